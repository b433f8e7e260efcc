"""Where a CI job's signed OIDC token comes from (--assertion-source, --subject-token-source): the
SOURCE syntax, GitHub's ID-token request and answer, and the check that what was read is a JWT.

Pure: flows/grants/token_sources.py does the reading.

    github-actions[:AUDIENCE]   GitHub Actions' ID-token service ($ACTIONS_ID_TOKEN_REQUEST_URL)
    gitlab:VAR                  a GitLab CI `id_tokens:` variable
    kubernetes[:PATH]           a projected service-account token file (re-read on every use)
    env:VAR                     any JWT in an environment variable
    file:PATH                   any JWT in a file
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from oauth2cli.core.errors import ConfigError

KUBERNETES_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
KINDS = ("github-actions", "gitlab", "kubernetes", "env", "file")
SYNTAX = "github-actions[:AUDIENCE], gitlab:VAR, kubernetes[:PATH], env:VAR or file:PATH"
# RFC 8693 §3: the default subject_token_type for a source's token.
JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt"
GITHUB_URL_VAR = "ACTIONS_ID_TOKEN_REQUEST_URL"
GITHUB_TOKEN_VAR = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"
GITHUB_HINT = "the workflow (or job) needs `permissions: id-token: write`"


@dataclass(frozen=True)
class TokenSource:
    kind: str
    arg: str | None = None  # the audience, variable name or path

    def __str__(self) -> str:
        return self.kind + (f":{self.arg}" if self.arg else "")

    @property
    def path(self) -> str | None:
        if self.kind == "kubernetes":
            return self.arg or KUBERNETES_TOKEN
        return self.arg if self.kind == "file" else None

    def describe(self) -> str:
        """What a person calls it in an error message."""
        if self.kind == "github-actions":
            return "the GitHub Actions ID token"
        if self.kind == "gitlab":
            return f"the GitLab CI ID token ${self.arg}"
        if self.kind == "env":
            return f"the token in ${self.arg}"
        if self.kind == "kubernetes":
            return f"the Kubernetes service-account token {self.path}"
        return f"the token file {self.path}"


def parse_source(text: str, option: str = "--assertion-source") -> TokenSource:
    kind, sep, arg = text.partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise ConfigError(f"{option} {text!r} is not a token source", hint=f"use {SYNTAX}")
    if kind in ("gitlab", "env", "file") and not arg:
        raise ConfigError(f"{option} {kind}: needs a {'path' if kind == 'file' else 'variable name'}",
                          hint=f"e.g. {kind}:{'/path/to/token' if kind == 'file' else 'CI_ID_TOKEN'}")
    if sep and not arg:
        arg = ""
    return TokenSource(kind, arg or None)


def github_request_url(base: str, audience: str | None) -> str:
    """GitHub's documented request: the given URL with `&audience=AUDIENCE` appended."""
    if not audience:
        return base
    return base + ("&" if urlsplit(base).query else "?") + "audience=" + quote(audience, safe="")


def github_answer(status: int, body: bytes, url: str) -> str:
    """The JWT of GitHub's answer `{"value": "<JWT>"}`, or one line saying what went wrong."""
    host = urlsplit(url).netloc
    if status in (401, 403):
        raise ConfigError(f"the GitHub Actions ID-token service ({host}) refused the request token (HTTP {status})",
                          hint=GITHUB_HINT + ", and ACTIONS_ID_TOKEN_REQUEST_TOKEN must be the job's own")
    if status != 200:
        raise ConfigError(f"the GitHub Actions ID-token service ({host}) answered HTTP {status}")
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"the GitHub Actions ID-token service ({host}) answered without a token "
                          "(expected JSON {\"value\": \"<JWT>\"})")
    return value


def check_jwt(value: str, what: str) -> str:
    """`value` without surrounding white space, when it has the shape of a signed JWT (RFC 7519 §7.2)."""
    token = value.strip()
    if not token:
        raise ConfigError(f"{what} is empty")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise ConfigError(f"{what} is not a JWT (expected three base64url parts separated by dots)")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        raise ConfigError(f"{what} is not a JWT (its header or claims are not base64url JSON)") from None
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str) or not isinstance(payload, dict):
        raise ConfigError(f"{what} is not a JWT (no JOSE header with an alg)")
    return token

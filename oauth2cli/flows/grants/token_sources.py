"""Reading a CI job's signed OIDC token (--assertion-source, --subject-token-source) at the moment
a new access token is needed: GitHub's ID-token service, a GitLab `id_tokens:` variable, a
Kubernetes projected token (re-read on every use: the kubelet rotates it), a variable, a file.

The token read here is a credential: it is handed to the token request and nowhere else — never
printed, never stored, and masked in the -v trace (transport/trace.py masks any JWT).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core import token_source as core
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def read(text: str, settings: ClientSettings, deps: Deps, option: str = "--assertion-source", *,
         jwt: bool = True) -> str:
    """The JWT that SOURCE (`text`) gives now (any token with jwt=False), or a ConfigError (exit 1) in one line."""
    source = core.parse_source(text, option)
    what = source.describe()
    if source.kind == "github-actions":
        value = _github_actions(source, settings, deps)
    elif source.kind in ("gitlab", "env"):
        value = deps.environ.get(source.arg or "")
        if not value:
            hint = (f"declare it in the job's `id_tokens:` (e.g. `{source.arg}: {{aud: ...}}`)"
                    if source.kind == "gitlab" else None)
            raise ConfigError(f"{what} is not available: ${source.arg} is not set or is empty", hint=hint)
    else:
        value = _read_file(source.path or "", what)
    if not jwt and value.strip():
        return value.strip()  # an opaque access or refresh token (RFC 8693 §3)
    return core.check_jwt(value, what)


def _read_file(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise ConfigError(f"cannot read {what}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{what} is not a JWT (not UTF-8 text)") from None


def _github_actions(source: core.TokenSource, settings: ClientSettings, deps: Deps) -> str:
    from oauth2cli.core.http import JSON, HttpRequest
    from oauth2cli.flows.discovery import transport_options

    url, request_token = deps.environ.get(core.GITHUB_URL_VAR), deps.environ.get(core.GITHUB_TOKEN_VAR)
    missing = [name for name, value in ((core.GITHUB_URL_VAR, url), (core.GITHUB_TOKEN_VAR, request_token)) if not value]
    if missing:
        raise ConfigError(f"{source.describe()} is not available: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set",
                          hint=core.GITHUB_HINT)
    target = core.github_request_url(url, source.arg)
    request = HttpRequest("GET", target, headers=(("Authorization", f"bearer {request_token}"), ("Accept", JSON)))
    response = deps.http(transport_options(settings)).send(request)
    return core.github_answer(response.status, response.body, target)

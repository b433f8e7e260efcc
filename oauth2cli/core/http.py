"""HTTP requests and responses as plain data, so the core can build and parse them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.origins import is_loopback_host  # noqa: F401 (its old home)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Pairs = ()
    # Form parameters as ordered pairs: RFC 8707 `resource` and friends repeat.
    form: Pairs | None = None
    body: bytes | None = None

    def with_header(self, name: str, value: str) -> HttpRequest:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=kept + ((name, value),))

    def with_form(self, *pairs: tuple[str, str]) -> HttpRequest:
        return replace(self, form=(self.form or ()) + tuple(pairs))

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def encoded_body(self) -> bytes | None:
        if self.form is not None:
            return urlencode(self.form).encode("ascii")
        return self.body


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Pairs
    body: bytes
    url: str = ""
    # True when the body was cut at the size cap.
    truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def content_type(self) -> str:
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    def excerpt(self, limit: int = 120) -> str:
        """A short, printable, single-line piece of the body for error messages, secrets masked."""
        text = mask_secrets(self.body[: limit * 4].decode("utf-8", "replace"))
        if self.content_type == "text/html":
            # An HTML error page says what it is in its title; its markup says nothing.
            title = _HTML_TITLE.search(text)
            text = title.group(1) if title else _HTML_TAG.sub(" ", text)
        text = " ".join(text.split())
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return text or "(empty body)"

    def describe(self) -> str:
        if 300 <= self.status < 400:
            location = self.header("location")
            where = mask_secrets(location)[:200] if location else "nowhere"
            # Redirects are never followed: a token request must not carry credentials elsewhere.
            return f"HTTP {self.status} redirect to {where!r}, not followed"
        ctype = self.content_type or "no content type"
        return f"HTTP {self.status}, {ctype}: {self.excerpt()!r}"


def parse_json_object(response: HttpResponse, what: str) -> dict[str, Any]:
    """The body as a JSON object, or a ProtocolError that says what came instead."""
    if response.truncated:
        raise ProtocolError(f"the {what} answer is larger than the size limit ({response.describe()})")
    if 300 <= response.status < 400:
        raise ProtocolError(f"the {what} answered {response.describe()}")
    try:
        text = response.body.decode("utf-8")
    except UnicodeDecodeError:
        # RFC 8259 §8.1: JSON exchanged between systems is UTF-8.
        raise ProtocolError(f"the {what} answered with invalid UTF-8 ({response.describe()})") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: a hostile "[[[[..." nested deeper than the parser's stack.
        raise ProtocolError(f"the {what} did not answer with JSON ({response.describe()})") from None
    if not isinstance(data, dict):
        kind = {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(data), "number")
        raise ProtocolError(f"the {what} answered with a JSON {kind} where an object belongs ({response.describe()})")
    return data


# Names of request and response fields that carry secrets (RFC 6749, 7009, 7523, 7636, 8628, 8693).
SECRET_FIELDS = (
    "access_token", "refresh_token", "id_token", "client_secret", "code", "code_verifier", "password",
    "assertion", "client_assertion", "device_code", "subject_token", "actor_token", "token", "issued_token",
    "registration_access_token", "auth_req_id",  # RFC 7591 §3.2.1, CIBA §7.3
)
_NAMES = "|".join(SECRET_FIELDS)
_JSON_SECRET = re.compile(r'("(?:%s)"\s*:\s*")((?:[^"\\]|\\.)*)' % _NAMES)
_FORM_SECRET = re.compile(r"((?:^|(?<=[&?#\s]))(?:%s)=)([^&#\s]*)" % _NAMES)
# A JWT (or the start of one) anywhere in free text.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}")
_HTML_TITLE = re.compile(r"<title[^>]*>([^<]*)", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>?")
MASK = "***"


def mask_secrets(text: str) -> str:
    """Text from a server or for a message, with token and secret values replaced by ***.

    Works on JSON and form bodies, whole or cut short, and on URLs with a query.
    """
    text = _JSON_SECRET.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)
    text = _FORM_SECRET.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)
    return _JWT.sub(MASK, text)


def check_transport_security(url: str, *, allow_http: bool = False) -> bool:
    """Refuse what OAuth forbids on the wire; True when the URL is plain HTTP that was allowed.

    RFC 6749 §3.1 and §3.2 require TLS for the authorization and token endpoints, and
    every other endpoint carries tokens or credentials too. Loopback is exempt: it never
    leaves the machine and is how people test (RFC 8252 §8.3 makes the same exception).
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise ConfigError(f"invalid URL {url[:200]!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme == "https" and host:
        return False
    if scheme != "http" or not host:
        raise ConfigError(f"invalid URL {url[:200]!r}: only absolute https:// URLs are used")
    if is_loopback_host(host):
        return False
    if allow_http:
        return True
    raise ConfigError(
        f"refusing plain http:// to {parts.netloc}: OAuth requires TLS (RFC 6749 §3.1, §3.2); "
        "credentials and tokens would cross the network unencrypted",
        hint="use https://, or --allow-http if you really mean it (loopback hosts need neither)",
    )

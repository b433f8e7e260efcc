"""`-v`: a trace of each HTTP exchange on stderr, with secrets masked unless revealed.

What is masked: the client secret, Basic and Bearer/DPoP credentials, tokens, `code`,
`code_verifier`, passwords, assertions, DPoP proofs and cookies, wherever they travel
(headers, query strings, URL fragments and user info, form and JSON bodies), plus anything
shaped like a JWT in other text. `--reveal-secrets` shows them (a warning is printed).
"""

from __future__ import annotations

import json
import re
from typing import IO, Any
from urllib.parse import parse_qsl, quote_plus, urlsplit, urlunsplit

from oauth2cli.core.errors import printable
from oauth2cli.core.http import HttpRequest, HttpResponse, mask_secrets

MASK = "***"
EXCERPT = 500  # characters of a body shown in the trace

# Headers whose whole value is a credential; for the *authorization ones the scheme stays visible.
SECRET_HEADERS = {
    "authorization", "proxy-authorization", "cookie", "set-cookie", "dpop", "x-api-key", "private-token",
}
URL_HEADERS = {"location", "content-location"}
SECRET_FIELDS = {
    "client_secret", "code", "code_verifier", "refresh_token", "access_token", "id_token", "password",
    "client_assertion", "assertion", "subject_token", "actor_token", "token", "device_code", "user_code",
    "issued_token", "private_key", "logout_token", "secret", "api_key",
    "registration_access_token", "auth_req_id", "id_token_hint",  # issue #20: RFC 7591, CIBA, logout
}
# A compact JWS/JWE (id_token, assertion, DPoP proof, JWT access token) anywhere in free text.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]*")


def _encode_pairs(pairs: list[tuple[str, str]]) -> str:
    # Encode by hand so the mask stays readable (urlencode would print %2A%2A%2A).
    return "&".join(
        f"{quote_plus(k)}={MASK if k in SECRET_FIELDS else quote_plus(v)}" for k, v in pairs
    )


def mask_text(text: str) -> str:
    return _JWT.sub(MASK, text)


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:  # https://user:password@host/
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{host}" if ":" in userinfo else f"{user}@{host}"
    query = _encode_pairs(parse_qsl(parts.query, keep_blank_values=True)) if parts.query else ""
    # The implicit grant returns tokens in the fragment (RFC 6749 §4.2.2).
    fragment = _encode_pairs(parse_qsl(parts.fragment, keep_blank_values=True)) if "=" in parts.fragment else parts.fragment
    return urlunsplit(parts._replace(netloc=netloc, query=query, fragment=fragment))


def mask_header(name: str, value: str) -> str:
    lowered = name.lower()
    if lowered in URL_HEADERS:
        return mask_url(value)
    if lowered not in SECRET_HEADERS:
        return mask_text(value)
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {MASK}" if rest and lowered.endswith("authorization") else MASK


def _mask_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (MASK if k in SECRET_FIELDS and v not in (None, "") else _mask_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_body(body: bytes, content_type: str) -> str:
    # Field masking misses tokens in cut-short JSON, arrays and mislabelled bodies: sweep those too.
    return mask_secrets(_mask_fields(body, content_type))


def _mask_fields(body: bytes, content_type: str) -> str:
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return json.dumps(_mask_json(json.loads(text)), ensure_ascii=False)
        except ValueError:
            return mask_text(text)
    if "x-www-form-urlencoded" in content_type:
        return _encode_pairs(parse_qsl(text, keep_blank_values=True))
    return mask_text(text)


def excerpt(text: str, size: int, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[:limit]}… ({size} bytes)"


class Tracer:
    """Observer for HttpClient: `> ` lines are the request, `< ` lines the response."""

    def __init__(self, stream: IO[str], *, verbose: int = 1, reveal: bool = False) -> None:
        self.stream, self.verbose, self.reveal = stream, verbose, reveal

    def _line(self, text: str) -> None:
        self.stream.write(printable(text, 4000) + "\n")

    def _header(self, name: str, value: str) -> str:
        return value if self.reveal else mask_header(name, value)

    def _body(self, body: bytes, content_type: str) -> str:
        shown = body.decode("utf-8", "replace") if self.reveal else mask_body(body, content_type)
        return excerpt(shown, len(body))

    def __call__(self, request: HttpRequest, response: HttpResponse | None, seconds: float) -> None:
        self._line(f"> {request.method} {request.url if self.reveal else mask_url(request.url)}")
        for name, value in request.headers:
            self._line(f"> {name}: {self._header(name, value)}")
        body = request.encoded_body()
        if body:
            ctype = "application/x-www-form-urlencoded" if request.form is not None else (request.header("content-type") or "")
            if request.form is not None and request.header("content-type") is None:
                self._line(f"> Content-Type: {ctype}")
            self._line("> " + self._body(body, ctype))
        timing = f" ({seconds * 1000:.0f} ms)" if self.verbose > 1 else ""
        if response is None:
            self._line(f"< (no response){timing}")
        else:
            self._line(f"< HTTP {response.status}{timing}")
            for name, value in response.headers:
                self._line(f"< {name}: {self._header(name, value)}")
            if response.body:
                self._line("< " + self._body(response.body, response.content_type))
        self.stream.flush()

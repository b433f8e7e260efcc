"""`-v`: a trace of each HTTP exchange on stderr, with secrets masked unless revealed."""

from __future__ import annotations

import json
from typing import IO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oauth2cli.core.errors import printable
from oauth2cli.core.http import HttpRequest, HttpResponse, mask_secrets

SECRET_HEADERS = {"authorization", "cookie", "set-cookie", "dpop", "proxy-authorization"}
SECRET_FIELDS = {
    "client_secret", "code", "code_verifier", "refresh_token", "access_token", "id_token",
    "password", "client_assertion", "assertion", "subject_token", "actor_token", "token",
    "device_code", "user_code", "issued_token", "private_key",
}
MASK = "***"


def _mask_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, MASK if k in SECRET_FIELDS else v) for k, v in pairs]


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    return urlunsplit(parts._replace(query=urlencode(_mask_pairs(parse_qsl(parts.query, keep_blank_values=True)))))


def mask_header(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {MASK}" if rest and name.lower().endswith("authorization") else MASK


def mask_body(body: bytes, content_type: str) -> str:
    # Field masking misses tokens in cut-short JSON, arrays and mislabelled bodies: sweep those too.
    return mask_secrets(_mask_fields(body, content_type))


def _mask_fields(body: bytes, content_type: str) -> str:
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict):
            data = {k: (MASK if k in SECRET_FIELDS else v) for k, v in data.items()}
        return json.dumps(data)
    if "x-www-form-urlencoded" in content_type:
        return urlencode(_mask_pairs(parse_qsl(text, keep_blank_values=True)))
    return text


class Tracer:
    def __init__(self, stream: IO[str], *, verbose: int = 1, reveal: bool = False) -> None:
        self.stream, self.verbose, self.reveal = stream, verbose, reveal

    def _line(self, text: str) -> None:
        self.stream.write(printable(text, 2000) + "\n")

    def __call__(self, request: HttpRequest, response: HttpResponse | None, seconds: float) -> None:
        show_url = request.url if self.reveal else mask_url(request.url)
        self._line(f"> {request.method} {show_url}")
        for name, value in request.headers:
            self._line(f"> {name}: {value if self.reveal else mask_header(name, value)}")
        body = request.encoded_body()
        if body:
            ctype = "application/x-www-form-urlencoded" if request.form is not None else (request.header("content-type") or "")
            self._line("> " + (body.decode("utf-8", "replace") if self.reveal else mask_body(body, ctype))[:500])
        if response is None:
            self._line("< (no response)")
            return
        timing = f" ({seconds * 1000:.0f} ms)" if self.verbose > 1 else ""
        self._line(f"< HTTP {response.status}{timing}")
        for name, value in response.headers:
            self._line(f"< {name}: {value if self.reveal else mask_header(name, value)}")
        if response.body:
            shown = response.body.decode("utf-8", "replace") if self.reveal else mask_body(response.body, response.content_type)
            self._line("< " + shown[:500])

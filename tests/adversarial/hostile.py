"""A local authorization server that misbehaves on purpose, one way per case.

    server = HostileServer().start()
    server.issuer("html_502")        # http://127.0.0.1:PORT/html_502
    server.url("html_502", "token")  # its token endpoint
    server.requests                  # (method, path, headers, body) of everything it saw

Every case has an issuer of its own: GET /.well-known/oauth-authorization-server/CASE is
good RFC 8414 metadata (unless the case is a discovery case), and every other path under
/CASE/ (token, revoke, jwks, ...) answers with the case's misbehaviour. Responses are
written byte by byte on the socket, so a case can lie about lengths, stall or trickle.
A bounded-time test must never wait for the server: stalls end when the server stops.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.support.loopback_http import LoopbackServer, QuietHandler

# Values the hostile server hands out that are secrets: they must never reach stderr.
LEAKED_TOKEN = "HOSTILE-ACCESS-TOKEN-d41d8cd98f"
LEAKED_REFRESH = "HOSTILE-REFRESH-TOKEN-9e107d9d37"
SECRETS = (LEAKED_TOKEN, LEAKED_REFRESH)

Respond = Callable[["Handler", "HostileServer", str], None]


class Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        hostile: HostileServer = self.server.standin
        hostile.requests.append((self.command, self.path, dict(self.headers), self.body()))
        self.close_connection = True
        try:
            hostile.dispatch(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    do_GET = do_POST = _handle

    # -- writing raw responses ----------------------------------------------------
    def raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def head(self, status: int, headers: list[tuple[str, str]] | tuple = (), *, length: int | None = None) -> None:
        lines = [f"HTTP/1.1 {status} Whatever"]
        lines += [f"{k}: {v}" for k, v in headers]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        lines.append("Connection: close")
        self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def answer(self, status: int, body: bytes | str, ctype: str | None = "application/json",
               extra: list[tuple[str, str]] | tuple = ()) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = ([("Content-Type", ctype)] if ctype else []) + list(extra)
        self.head(status, headers, length=len(data))
        self.raw(data)


class HostileServer:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.stopping = threading.Event()
        self._server: LoopbackServer | None = None

    def start(self) -> HostileServer:
        self._server = LoopbackServer(Handler, standin=self).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.stop()

    @property
    def base(self) -> str:
        assert self._server is not None
        return self._server.base

    def issuer(self, case: str) -> str:
        return f"{self.base}/{case}"

    def url(self, case: str, endpoint: str) -> str:
        return f"{self.base}/{case}/{endpoint}"

    def metadata(self, case: str) -> dict:
        return {
            "issuer": self.issuer(case),
            "token_endpoint": self.url(case, "token"),
            "revocation_endpoint": self.url(case, "revoke"),
            "introspection_endpoint": self.url(case, "introspect"),
            "jwks_uri": self.url(case, "jwks"),
            "grant_types_supported": ["client_credentials", "refresh_token"],
        }

    def hits(self, fragment: str) -> int:
        return sum(1 for _, path, _, _ in self.requests if fragment in path)

    def sleep(self, seconds: float) -> None:
        """A stall that ends when the server stops, so no thread outlives the tests."""
        self.stopping.wait(seconds)

    def dispatch(self, h: Handler) -> None:
        path = h.path.split("?", 1)[0]
        if path.startswith("/.well-known/"):
            case = path.rstrip("/").rsplit("/", 1)[-1]
            spec = CASES.get(case)
            if spec is not None and spec.where == "discovery":
                spec.respond(h, self, case)
            else:
                h.answer(200, json.dumps(self.metadata(case)))
            return
        if path.startswith("/elsewhere"):
            # Where redirects point: reaching it means a redirect was followed.
            h.answer(200, json.dumps({"access_token": LEAKED_TOKEN, "token_type": "Bearer"}))
            return
        case = path.strip("/").split("/", 1)[0]
        spec = CASES.get(case)
        if spec is None:
            h.answer(404, "not here", "text/plain")
            return
        spec.respond(h, self, case)


# -- the misbehaviours ---------------------------------------------------------------


def json_body(document: object, status: int = 200, ctype: str = "application/json") -> Respond:
    text = json.dumps(document)
    return lambda h, s, c: h.answer(status, text, ctype)


def raw_body(body: bytes | str, status: int = 200, ctype: str | None = "application/json",
             extra: tuple = ()) -> Respond:
    return lambda h, s, c: h.answer(status, body, ctype, extra)


def good_token(**fields: object) -> dict:
    return {"access_token": LEAKED_TOKEN, "token_type": "Bearer", "expires_in": 3600, **fields}


HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{font:sans}</style></head>"
    "<body><h1>Bad Gateway</h1><p>The upstream server is unreachable.</p>" + "<!-- padding -->" * 200 + "</body></html>"
)


def enormous(h: Handler, s: HostileServer, c: str, *, length: bool = True) -> None:
    """200 MB of JSON-ish bytes, made on the fly: a client that reads it all shows in its memory."""
    total = 200 * 1024 * 1024
    h.head(200, [("Content-Type", "application/json")], length=total if length else None)
    chunk = b'{"access_token":"' + b"A" * (64 * 1024 - 17)
    sent = 0
    while sent < total and not s.stopping.is_set():
        h.raw(chunk)
        sent += len(chunk)


_BOMB: bytes | None = None


def gzip_bomb(h: Handler, s: HostileServer, c: str) -> None:
    """About 200 KB on the wire that inflate to 200 MB."""
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b'{"access_token":"' + b"A" * (200 * 1024 * 1024), compresslevel=6)
    h.answer(200, _BOMB, "application/json", [("Content-Encoding", "gzip")])


def slow_headers(h: Handler, s: HostileServer, c: str) -> None:
    s.sleep(60)
    h.answer(200, json.dumps(good_token()))


def stall_mid_body(h: Handler, s: HostileServer, c: str) -> None:
    body = json.dumps(good_token()).encode()
    h.head(200, [("Content-Type", "application/json")], length=len(body))
    h.raw(body[:10])
    s.sleep(60)
    h.raw(body[10:])


def trickle(h: Handler, s: HostileServer, c: str) -> None:
    """One byte every 0.2 s: each read is quick, so only a total deadline stops it."""
    body = json.dumps(good_token(padding="x" * 2000)).encode()
    h.head(200, [("Content-Type", "application/json")], length=len(body))
    for i in range(len(body)):
        if s.stopping.is_set():
            return
        h.raw(body[i:i + 1])
        time.sleep(0.2)


def redirect(to: str, status: int = 307) -> Respond:
    def respond(h: Handler, s: HostileServer, c: str) -> None:
        target = to.replace("{base}", s.base).replace("{self}", s.base + h.path)
        h.answer(status, f"<a href='{target}'>moved</a>", "text/html", [("Location", target)])

    return respond


def disconnect(h: Handler, s: HostileServer, c: str) -> None:
    h.close_connection = True  # read the request, answer nothing


def garbage_status(h: Handler, s: HostileServer, c: str) -> None:
    h.raw(b"HELLO THERE\r\n\r\n")


def length_lie(h: Handler, s: HostileServer, c: str) -> None:
    h.head(200, [("Content-Type", "application/json")], length=5000)
    h.raw(b'{"access_token":"')


def huge_header(h: Handler, s: HostileServer, c: str) -> None:
    h.head(200, [("Content-Type", "application/json"), ("X-Padding", "p" * 200_000)], length=2)
    h.raw(b"{}")


def issuer_mismatch(h: Handler, s: HostileServer, c: str) -> None:
    doc = s.metadata(c)
    doc["issuer"] = "https://evil.example"
    h.answer(200, json.dumps(doc))


def metadata_with(**changes: object) -> Respond:
    def respond(h: Handler, s: HostileServer, c: str) -> None:
        doc = s.metadata(c)
        for key, value in changes.items():
            doc[key] = value.replace("{base}", s.base) if isinstance(value, str) else value
        h.answer(200, json.dumps(doc))

    return respond


@dataclass(frozen=True)
class Case:
    name: str
    where: str  # "token": the token endpoint misbehaves; "discovery": the metadata document does
    respond: Respond
    code: int  # the documented exit code
    message: str  # a regular expression the one stderr line must match
    slow: bool = False  # stalls: run with a short --timeout and measure it


C = Case
TABLE = [
    # -- token endpoint: what comes back is not a token response
    C("html_502", "token", raw_body(HTML_502, 502, "text/html"), 3, r"token endpoint failed: HTTP 502, text/html: '502 Bad Gateway'"),
    C("html_200", "token", raw_body(HTML_502.replace("502 Bad Gateway", "Sign in"), 200, "text/html"), 3, r"did not answer with JSON \(HTTP 200, text/html: 'Sign in'"),
    C("error_in_200", "token", json_body({"error": "invalid_client", "error_description": "client is disabled"}), 3, r"refused: invalid_client: client is disabled"),
    # A refused refresh token means a new login, even when the refusal hides in a 200 (issue 5: exit 7).
    C("invalid_grant_in_200", "token", json_body({"error": "invalid_grant", "error_description": "refresh token revoked"}), 7, r"invalid_grant: refresh token revoked\); log in again with `oauth2 login"),
    C("error_500_json", "token", json_body({"error": "server_error"}, 500), 3, r"refused: server_error"),
    C("error_escape_codes", "token", json_body({"error": "invalid_client", "error_description": "\x1b[31mred\x1b]0;title\x07 \u202e"}, 401), 3, r"refused: invalid_client: \\x1b\[31mred"),
    C("truncated_json", "token", raw_body('{"access_token":"' + LEAKED_TOKEN + '","token_ty'), 3, r"did not answer with JSON .*access_token\":\"\*\*\*"),
    C("invalid_json", "token", raw_body("{access_token: nope}"), 3, r"did not answer with JSON"),
    C("invalid_utf8", "token", raw_body(b'{"access_token":"\xff\xfe\xfd","token_type":"Bearer"}'), 3, r"invalid UTF-8"),
    C("empty_200", "token", raw_body(b""), 3, r"did not answer with JSON .*\(empty body\)"),
    C("json_array", "token", json_body([good_token()]), 3, r"JSON array where an object belongs"),
    C("json_string", "token", json_body("access granted"), 3, r"JSON string where an object belongs"),
    C("json_null", "token", raw_body("null"), 3, r"JSON null where an object belongs"),
    C("deep_nesting", "token", raw_body("[" * 200_000), 3, r"did not answer with JSON"),
    # A form labelled as a form is read (tests/integration/test_token_answer_labels.py); labelled HTML it is not.
    C("form_labelled_html_200", "token", raw_body(f"access_token={LEAKED_TOKEN}&token_type=bearer", 200, "text/html"), 3, r"did not answer with JSON .*access_token=\*\*\*"),
    # -- a JSON object, but not a usable token response
    C("missing_access_token", "token", json_body({"token_type": "Bearer", "expires_in": 3600}), 3, r"answer has no access_token"),
    C("access_token_number", "token", json_body(good_token(access_token=12345)), 3, r"access_token is a JSON number, not a string"),
    C("access_token_object", "token", json_body(good_token(access_token={"value": LEAKED_TOKEN})), 3, r"access_token is a JSON object"),
    C("refresh_token_array", "token", json_body(good_token(refresh_token=[LEAKED_REFRESH])), 3, r"refresh_token is a JSON array"),
    C("token_type_number", "token", json_body(good_token(token_type=7)), 3, r"token_type is a JSON number"),
    C("missing_token_type", "token", json_body({"access_token": LEAKED_TOKEN}), 3, r"answer has no token_type"),
    C("unknown_token_type", "token", json_body(good_token(token_type="mac")), 3, r"token of type 'mac', which this client cannot use \(RFC 6749 §7.1"),
    C("scope_object", "token", json_body(good_token(scope={"read": True})), 3, r"scope is a JSON object"),
    C("expires_in_negative", "token", json_body(good_token(expires_in=-3600)), 3, r"answer's expires_in is -3600, not a lifetime"),
    C("expires_in_word", "token", json_body(good_token(expires_in="soon")), 3, r"expires_in is not a number: 'soon'"),
    C("expires_in_nan", "token", raw_body('{"access_token":"%s","token_type":"Bearer","expires_in":NaN}' % LEAKED_TOKEN), 3, r"expires_in is nan"),
    C("expires_in_bool", "token", json_body(good_token(expires_in=True)), 3, r"expires_in is a boolean"),
    C("expires_in_array", "token", json_body(good_token(expires_in=[3600])), 3, r"expires_in is a JSON array"),
    # -- accepted: odd but usable (exit 0, nothing on stderr)
    C("expires_in_huge", "token", json_body(good_token(expires_in=1e300)), 0, r"^$"),
    C("expires_in_fraction", "token", json_body(good_token(expires_in=59.5)), 0, r"^$"),
    C("expires_in_string", "token", json_body(good_token(expires_in="3600")), 0, r"^$"),
    C("token_type_lowercase", "token", json_body(good_token(token_type="bearer")), 0, r"^$"),
    C("text_plain_json", "token", json_body(good_token(), ctype="text/plain"), 0, r"^$"),
    # -- size and encoding
    C("enormous_body", "token", enormous, 3, r"larger than the size limit"),
    C("enormous_unannounced", "token", lambda h, s, c: enormous(h, s, c, length=False), 3, r"larger than the size limit"),
    C("gzip_bomb", "token", gzip_bomb, 3, r"larger than the size limit"),
    C("unasked_encoding", "token", raw_body(b"\x1b\x00", extra=(("Content-Encoding", "br"),)), 3, r"content encoding 'br', which was not asked for"),
    C("huge_header", "token", huge_header, 6, r"broke off the HTTP exchange"),
    # -- the connection itself
    C("slow_headers", "token", slow_headers, 6, r"no complete answer from 127\.0\.0\.1:\d+ within 2 s", slow=True),
    C("stall_mid_body", "token", stall_mid_body, 6, r"no complete answer from .* within 2 s", slow=True),
    C("trickle", "token", trickle, 6, r"no complete answer from .* within 2 s", slow=True),
    C("disconnect", "token", disconnect, 6, r"broke off the HTTP exchange: Server disconnected"),
    C("garbage_status", "token", garbage_status, 6, r"broke off the HTTP exchange"),
    C("length_lie", "token", length_lie, 6, r"broke off the HTTP exchange"),
    # -- redirects are never followed for token requests
    C("redirect_token", "token", redirect("{base}/elsewhere/token"), 3, r"HTTP 307 redirect to 'http://127\.0\.0\.1:\d+/elsewhere/token', not followed"),
    C("redirect_loop", "token", redirect("{self}", 302), 3, r"HTTP 302 redirect to .*, not followed"),
    # -- discovery
    C("issuer_mismatch", "discovery", issuer_mismatch, 3, r"names issuer 'https://evil\.example', not .* \(RFC 8414 §3\.3\)"),
    C("discovery_html_503", "discovery", raw_body(HTML_502.replace("502 Bad Gateway", "503 Service Unavailable"), 503, "text/html"), 3, r"not available: HTTP 503, text/html: '503 Service Unavailable'"),
    C("discovery_array", "discovery", json_body([1, 2, 3]), 3, r"JSON array where an object belongs"),
    C("discovery_no_issuer", "discovery", json_body({"token_endpoint": "https://x.example/token"}), 3, r"has no issuer"),
    C("discovery_redirect_loop", "discovery", redirect("{self}", 301), 3, r"HTTP 301 redirect to .*, not followed"),
    C("discovery_endpoint_number", "discovery", metadata_with(token_endpoint=42), 3, r"token_endpoint is not a string"),
    C("discovery_endpoint_relative", "discovery", metadata_with(token_endpoint="/token"), 3, r"token_endpoint is not an absolute http\(s\) URL"),
    C("discovery_endpoint_plain_http", "discovery", metadata_with(token_endpoint="http://auth.example/token"), 1, r"refusing plain http:// to auth\.example: OAuth requires TLS"),
    C("discovery_enormous", "discovery", enormous, 3, r"larger than the size limit"),
    C("discovery_stall", "discovery", stall_mid_body, 6, r"no complete answer from .* within 2 s", slow=True),
]
CASES = {case.name: case for case in TABLE}
assert len(CASES) == len(TABLE), "case names must be unique"

# Keys a JWK Set may hold next to the good ones; RFC 7517 §5 says ignore them. jwks_mixed
# serves them around one good RSA key (tests/adversarial/test_jwks.py), for the id_token
# validation of issue #7 to plug into.
ODD_JWKS = [
    {"kty": "PQC-ML-DSA", "kid": "future", "pub": "AAAA"},
    {"kty": "EC", "kid": "broken-ec", "crv": "P-256"},  # no x, y
    {"kty": 17, "kid": "not-a-string"},
    {"kty": "RSA", "kid": 5, "n": "AQAB", "e": "AQAB"},
    {"kty": "oct"},
    "not-an-object",
    None,
]

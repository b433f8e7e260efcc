"""A small protected resource for `oauth2 call` tests: a threading http.server on a loopback port.

It records every request (method, path, headers, body) and answers by path:

    /echo...            200 JSON: method, path, headers, body (text), what a client sent
    /bin                200 application/octet-stream: BINARY (all 256 byte values, several times)
    /big?n=N            200, N MiB streamed
    /status/NNN         NNN with a small JSON body
    /redirect?to=URL    302 (or ?code=307) to URL
    /gzip               200 JSON, Content-Encoding: gzip
    /chunked            200 text in three chunks (Transfer-Encoding: chunked)
    /slow?s=SECONDS     200 after a wait
    anything else       404

A token listed in `refused` gets 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
With `dpop_nonce` set, a DPoP request whose proof lacks that nonce gets 401 use_dpop_nonce.
`Resource(tls=context)` serves the same over https. The fixtures `resource` and `other_resource`
(another origin) serve one for a test; a conftest imports them.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.loopback_http import LoopbackServer, QuietHandler

BINARY = bytes(range(256)) * 64 + b"\r\n\x00end"
BIG_CHUNK = bytes(range(256)) * 4096  # 1 MiB


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Resource(LoopbackServer):
    def __init__(self, *, tls=None) -> None:
        self.requests: list[dict] = []
        self.refused: set[str] = set()
        self.refuse_all = False
        self.dpop_nonce: str | None = None
        resource = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self.body()
                seen = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                        "body": body}
                resource.requests.append(seen)
                parts = urlsplit(self.path)
                auth = self.headers.get("Authorization", "")
                token = auth.partition(" ")[2]
                if token and (token in resource.refused or resource.refuse_all):
                    return self.reply(401, b'{"error":"invalid_token"}', "application/json",
                                      [("WWW-Authenticate", 'Bearer realm="test", error="invalid_token", '
                                                            'error_description="The access token expired"')])
                if resource.dpop_nonce and auth.startswith("DPoP "):
                    proof = self.headers.get("DPoP", "")
                    if _claims(proof).get("nonce") != resource.dpop_nonce:
                        return self.reply(401, b"", "text/plain", [
                            ("WWW-Authenticate", 'DPoP error="use_dpop_nonce", error_description="nonce required"'),
                            ("DPoP-Nonce", resource.dpop_nonce)])
                if parts.path.startswith("/echo"):
                    data = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                            "body": body.decode("utf-8", "replace")}
                    return self.reply(200, json.dumps(data).encode(), "application/json")
                if parts.path == "/big":  # BIG_CHUNK x n, streamed: a body larger than a client should hold
                    n = int(parse_qs(parts.query).get("n", ["1"])[0])
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(n * len(BIG_CHUNK)))
                    self.end_headers()
                    for _ in range(n):
                        self.wfile.write(BIG_CHUNK)
                    return None
                if parts.path == "/gzip":
                    import gzip

                    return self.reply(200, gzip.compress(b'{"zipped": true}'), "application/json",
                                      [("Content-Encoding", "gzip")])
                if parts.path == "/chunked":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for piece in (b"one ", b"two ", b"three\n", b""):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    return None
                if parts.path == "/slow":
                    import time

                    time.sleep(float(parse_qs(parts.query).get("s", ["1"])[0]))
                    return self.reply(200, b"late\n", "text/plain")
                if parts.path == "/bin":
                    return self.reply(200, BINARY, "application/octet-stream")
                if parts.path.startswith("/status/"):
                    code = int(parts.path.rsplit("/", 1)[1])
                    return self.reply(code, json.dumps({"status": code}).encode(), "application/json")
                if parts.path == "/redirect":
                    query = parse_qs(parts.query)
                    code = int(query.get("code", ["302"])[0])
                    return self.reply(code, b"", "text/plain", [("Location", query["to"][0])])
                return self.reply(404, b"not found\n", "text/plain")

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

        super().__init__(Handler, tls=tls)


@pytest.fixture
def resource():
    with Resource() as server:
        yield server


@pytest.fixture
def other_resource():
    """A second server on another port: another origin."""
    with Resource() as server:
        yield server

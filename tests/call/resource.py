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
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BINARY = bytes(range(256)) * 64 + b"\r\n\x00end"
BIG_CHUNK = bytes(range(256)) * 4096  # 1 MiB


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Resource:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.refused: set[str] = set()
        self.refuse_all = False
        self.dpop_nonce: str | None = None
        resource = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                        "body": body}
                resource.requests.append(seen)
                parts = urlsplit(self.path)
                auth = self.headers.get("Authorization", "")
                token = auth.partition(" ")[2]
                if token and (token in resource.refused or resource.refuse_all):
                    return self._send(401, b'{"error":"invalid_token"}', "application/json",
                                      [("WWW-Authenticate", 'Bearer realm="test", error="invalid_token", '
                                                            'error_description="The access token expired"')])
                if resource.dpop_nonce and auth.startswith("DPoP "):
                    proof = self.headers.get("DPoP", "")
                    if _claims(proof).get("nonce") != resource.dpop_nonce:
                        return self._send(401, b"", "text/plain", [
                            ("WWW-Authenticate", 'DPoP error="use_dpop_nonce", error_description="nonce required"'),
                            ("DPoP-Nonce", resource.dpop_nonce)])
                if parts.path.startswith("/echo"):
                    data = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                            "body": body.decode("utf-8", "replace")}
                    return self._send(200, json.dumps(data).encode(), "application/json")
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

                    return self._send(200, gzip.compress(b'{"zipped": true}'), "application/json",
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
                    return self._send(200, b"late\n", "text/plain")
                if parts.path == "/bin":
                    return self._send(200, BINARY, "application/octet-stream")
                if parts.path.startswith("/status/"):
                    code = int(parts.path.rsplit("/", 1)[1])
                    return self._send(code, json.dumps({"status": code}).encode(), "application/json")
                if parts.path == "/redirect":
                    query = parse_qs(parts.query)
                    code = int(query.get("code", ["302"])[0])
                    return self._send(code, b"", "text/plain", [("Location", query["to"][0])])
                return self._send(404, b"not found\n", "text/plain")

            def _send(self, status: int, body: bytes, ctype: str, headers=()) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Resource:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

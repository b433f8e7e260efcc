"""First tokens for a public client without the CLI's login: the code flow driven by the
stand-in browser and a one-shot loopback callback, then a plain token request."""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.support import browser


def _callback() -> tuple[http.server.HTTPServer, dict, threading.Thread]:
    received: dict = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            received["path"] = self.path
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 30
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    return server, received, thread


def code_flow_tokens(provider, client_id: str, scope: str = "openid offline_access") -> dict:
    """The token response (a dict, with `obtained_at`) of a real authorization code + PKCE login."""
    server, received, thread = _callback()
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
             "state": secrets.token_urlsafe(16), "code_challenge": challenge, "code_challenge_method": "S256"}
    browser.run(provider.endpoint("authorization") + "?" + urlencode(query))
    thread.join(30)
    server.server_close()
    code = parse_qs(urlsplit(received["path"]).query)["code"][0]
    obtained_at = time.time()
    resp = httpx.post(provider.endpoint("token"), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier})
    resp.raise_for_status()
    return {**resp.json(), "obtained_at": obtained_at}

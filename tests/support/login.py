"""First tokens for a public client without the CLI's login: the code flow driven by the
stand-in browser and a one-shot loopback callback, then a plain token request."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.support import browser
from tests.support.loopback_http import LoopbackServer, QuietHandler


class OneShotCallback:
    """The redirect target on a loopback port: `wait()` gives the query of the first request."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        received: dict = {}
        arrived = threading.Event()

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                received.setdefault("path", self.path)
                arrived.set()
                self.reply(200, b"callback received", "text/plain")

        self.received = received
        self._arrived = arrived
        self.server = LoopbackServer(Handler, host=host).start()
        self.port = self.server.port
        self.redirect_uri = self.server.url("/callback")

    def wait(self, timeout: float = 30) -> dict[str, str]:
        self._arrived.wait(timeout)
        self.server.stop()
        assert "path" in self.received, "the redirect URI was never requested"
        query = parse_qs(urlsplit(self.received["path"]).query)
        return {key: values[0] for key, values in query.items()}


def code_flow_tokens(provider, client_id: str, scope: str = "openid offline_access") -> dict:
    """The token response (a dict, with `obtained_at`) of a real authorization code + PKCE login."""
    callback = OneShotCallback()
    redirect_uri = callback.redirect_uri
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
             "state": secrets.token_urlsafe(16), "code_challenge": challenge, "code_challenge_method": "S256"}
    browser.run(provider.endpoint("authorization") + "?" + urlencode(query))
    code = callback.wait()["code"]
    obtained_at = time.time()
    resp = httpx.post(provider.endpoint("token"), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier})
    resp.raise_for_status()
    return {**resp.json(), "obtained_at": obtained_at}

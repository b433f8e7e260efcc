"""PAR (RFC 9126) because the server's metadata requires it: the real provider, with only its
discovery document edited on the way (it requires PAR per client, not in its metadata)."""

from __future__ import annotations

import io
import json

import httpx

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.settings import ClientSettings
from oauth2cli.deps import Deps
from oauth2cli.flows.login.login import LoginChoices, login
from oauth2cli.transport.http import HttpClient
from tests.support import browser


class RequirePar(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        response = self.inner.handle_request(request)
        if request.url.path.startswith("/.well-known/") and response.status_code == 200:
            response.read()
            document = {**json.loads(response.content), "require_pushed_authorization_requests": True}
            return httpx.Response(200, json=document)
        return response


def test_par_used_when_metadata_requires_it(provider):
    transport = RequirePar()
    opened: list[str] = []

    def open_browser(url: str) -> bool:
        opened.append(url)
        browser.run(url)
        return True

    deps = Deps(http_factory=lambda options: HttpClient(options, client=httpx.Client(transport=transport)),
                browser=open_browser, stderr=io.StringIO(), environ={"BROWSER": "stand-in"})
    settings = ClientSettings(client=ClientCredentials("public-pkce"), issuer=provider.issuer, scope="openid")
    result = login(settings, deps, LoginChoices(method="browser", browser_timeout=30))
    assert result.tokens.access_token and result.claims["sub"] == "alice"
    assert "/request" in transport.paths  # oidc-provider's pushed_authorization_request_endpoint
    assert set(provider.authorizations()[-1]) == {"client_id", "request_uri"}
    assert opened[0].count("request_uri=") == 1 and "code_challenge" not in opened[0]

"""What Keycloak taught, held without Keycloak: stand-ins that answer as Keycloak 26.7.3 did, so
these run on every machine (tests/peers/test_keycloak_*.py run the real thing where Java is)."""

from __future__ import annotations

import base64
import hashlib
import json

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.standin_server import StandinServer


def test_registration_sends_only_the_ipv4_redirect_a_trusted_hosts_policy_accepts():
    def register(request):
        uris = request.json()["redirect_uris"]
        if any("[::1]" in u for u in uris):  # Keycloak's anonymous Trusted Hosts policy
            return 403, {"error": "insufficient_scope", "error_description": "Policy 'Trusted Hosts' rejected request "
                         "to client-registration service. Details: URI doesn't match any trusted host or trusted domain"}
        return 201, {**request.json(), "client_id": "registered-1"}

    with StandinServer() as server:
        server.route("POST", "/register", register)
        result = run_cli("profile", "add", "reg", "--issuer", server.issuer, "--register", "--scope", "openid")
        assert result.code == 0, result
        assert_no_traceback(result)
        sent = [r.json()["redirect_uris"] for r in server.hits("/register")]
    shown = json.loads(run_cli("profile", "show", "reg", "--json").stdout)
    # issue #26: one request, with the one loopback URI the logins use, port included
    assert sent == [[shown["settings"]["redirect_uri"]["value"]]]
    assert shown["settings"]["client_id"]["value"] == "registered-1"


def test_registration_refused_for_another_reason_is_not_sent_again():
    with StandinServer() as server:
        server.route("POST", "/register", lambda r: (400, {"error": "invalid_client_metadata",
                                                           "error_description": "client_name is taken"}))
        result = run_cli("profile", "add", "reg", "--issuer", server.issuer, "--register", "--scope", "openid")
        assert result.code == 3 and "client_name is taken" in result.stderr, result
        assert len(server.hits("/register")) == 1


def test_device_flow_sends_pkce_when_the_device_endpoint_asks_for_it():
    pushed: dict = {}

    def device(request):
        if "code_challenge" not in request.form_dict():  # as Keycloak for a client that requires PKCE
            return 400, {"error": "invalid_request", "error_description": "Missing parameter: code_challenge_method"}
        pushed.update(request.form_dict())
        return 200, {"device_code": "dc-1", "user_code": "ABCD-EFGH", "verification_uri": "http://127.0.0.1:9/device",
                     "expires_in": 60, "interval": 1}

    def token(request):
        verifier = request.form_dict().get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if digest != pushed.get("code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        return 200, {"access_token": "at-device", "token_type": "Bearer", "expires_in": 300}

    with StandinServer() as server:
        server.route("POST", "/device", device)
        server.route("POST", "/token", token)
        result = run_cli("token", "--grant", "device_code", "--client-id", "tv", "--token-url", f"{server.issuer}/token",
                         "--device-authorization-url", f"{server.issuer}/device", timeout=60)
        assert result.code == 0, result
        assert result.stdout.strip() == "at-device"
        assert pushed["code_challenge_method"] == "S256"
        assert len(server.hits("/device")) == 2 and "ABCD-EFGH" in result.stderr

"""Keycloak 26's standard token exchange (RFC 8693, enabled per client), offline_access, and dynamic
registration under its anonymous-registration policies, through `oauth2`, checked at Keycloak."""

from __future__ import annotations

import json

import httpx

from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli


def login(keycloak, name: str, scope: str = "openid") -> None:
    added = run_cli("profile", "add", name, "--issuer", keycloak.issuer, "--client-id", "cli", "--scope", scope)
    assert added.code == 0, added
    result = run_cli("login", name)
    assert result.code == 0, result


def test_standard_token_exchange_for_the_confidential_client(keycloak, standin_browser):
    # cli's tokens carry `ci` in their aud (an audience mapper in the realm file): Keycloak 26
    # exchanges a subject token only for a client it was issued to
    login(keycloak, "kc")
    subject = store().load_tokens("kc").access_token
    keycloak.update_client("ci", attributes={"standard.token.exchange.enabled": "true"})
    result = run_cli("token", "--issuer", keycloak.issuer, "--client-id", "ci", "--grant", "token-exchange",
                     "--subject-token-env", "SUBJECT", "--subject-token-type", "access_token", "-o", "json",
                     env={"OAUTH2_CLIENT_SECRET": keycloak.ci_secret(), "SUBJECT": subject})
    assert result.code == 0, result
    assert_no_traceback(result)
    answer = json.loads(result.stdout)
    assert answer["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token"
    seen = httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token/introspect", auth=("ci", keycloak.ci_secret()),
                      data={"token": answer["access_token"]}).json()
    assert seen["active"] and seen["azp"] == "ci" and seen["preferred_username"] == "alice", seen
    assert keycloak.events(type="TOKEN_EXCHANGE", client="ci")


def test_offline_access_gives_an_offline_token(keycloak, standin_browser):
    login(keycloak, "off", "openid offline_access")
    refresh = store().load_tokens("off").refresh_token
    payload = refresh.split(".")[1]
    import base64

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["typ"] == "Offline", claims
    assert any(s["username"] == "alice" for s in keycloak.admin(
        "GET", f"/clients/{keycloak.client('cli')['id']}/offline-sessions").json())


def test_anonymous_dynamic_registration_from_a_trusted_host(keycloak, standin_browser):
    policy = next(c for c in keycloak.admin("GET", "/components", params={"type":
                  "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"}).json()
                  if c["providerId"] == "trusted-hosts" and c["subType"] == "anonymous")
    policy["config"]["trusted-hosts"] = ["127.0.0.1", "::1"]  # where the request and the redirects come from
    assert keycloak.admin("PUT", f"/components/{policy['id']}", json=policy).status_code == 204
    added = run_cli("profile", "add", "reg", "--issuer", keycloak.issuer, "--register", "--scope", "openid")
    assert added.code == 0, added
    client_id = json.loads(run_cli("profile", "show", "reg", "--json").stdout)["settings"]["client_id"]["value"]
    registered = keycloak.client(client_id)
    assert registered["publicClient"] is True and registered["consentRequired"] is True  # the anonymous policy
    result = run_cli("login", "reg")  # Keycloak's grant page comes up: the stand-in says Yes
    assert result.code == 0, result
    assert keycloak.events(type="CLIENT_REGISTER")

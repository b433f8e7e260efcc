"""RAR (RFC 9396): authorization_details checked before anything is sent, sent on the login, PAR
and the token endpoint, and the granted details kept with the token set and shown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.login.conftest import stored_tokens, write_profile
from tests.login.extensions import PAYMENT, RAR_SECRET, ext_provider, resource  # noqa: F401 (fixture)
from tests.support.cli import assert_no_traceback, run_cli

SECRET = {"OAUTH2_CLIENT_SECRET": RAR_SECRET}


def _profile(provider, name: str, details_toml: str | None = None) -> None:
    write_profile(name, issuer=provider.issuer, client_id="rar-conf", scope="openid offline_access",
                  resources=[resource()])
    if details_toml:  # an array of inline tables, as a person would write it in config.toml
        path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
        path.write_text(path.read_text("utf-8") + f"authorization_details = {details_toml}\n", "utf-8")


def test_login_sends_the_details_and_keeps_what_was_granted(ext_provider, standin_browser):
    provider, _ = ext_provider
    _profile(provider, "pay")
    result = run_cli("login", "pay", "--authorization-details", json.dumps(PAYMENT), env=SECRET)
    assert result.code == 0, result
    assert json.loads(provider.authorizations()[-1]["authorization_details"]) == PAYMENT
    tokens = stored_tokens("pay")
    assert tokens.extra["authorization_details"] == PAYMENT

    status = run_cli("status")
    row = next(line for line in status.stdout.splitlines() + status.stderr.splitlines() if line.startswith("pay"))
    assert "+ details: payment_initiation" in row and "Merchant A" not in row  # types only
    as_json = json.loads(run_cli("status", "--json").stdout)
    assert next(p for p in as_json["profiles"] if p["name"] == "pay")["authorization_details"] == ["payment_initiation"]

    # the access token for this resource is a JWT the provider will not introspect; its refresh token it will
    shown = run_cli("introspect", "pay", "--", tokens.refresh_token, env=SECRET)  # a token may begin with "-"
    assert shown.code == 0, shown
    assert json.loads(shown.stdout)["authorization_details"] == PAYMENT

    # refresh: the details granted at login stay with the token set
    refreshed = run_cli("refresh", "pay", env=SECRET)
    assert refreshed.code == 0, refreshed
    assert stored_tokens("pay").extra["authorization_details"] == PAYMENT


def test_details_from_the_profile_go_inside_the_pushed_request(ext_provider, standin_browser):
    provider, _ = ext_provider
    _profile(provider, "parpay", '[{type = "account_information", actions = ["list"]}]')
    result = run_cli("login", "parpay", "--par", env=SECRET)
    assert result.code == 0, result
    assert set(provider.authorizations()[-1]) == {"client_id", "request_uri"}
    assert stored_tokens("parpay").extra["authorization_details"] == [{"type": "account_information", "actions": ["list"]}]


def test_client_credentials_with_details_from_a_file(ext_provider, tmp_path):
    provider, _ = ext_provider
    details = tmp_path / "details.json"
    details.write_text(json.dumps(PAYMENT), "utf-8")
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "rar-conf", "--grant", "client_credentials",
                     "--resource", resource(), "--authorization-details", f"@{details}", "-o", "json", env=SECRET)
    assert result.code == 0, result
    assert json.loads(result.stdout)["authorization_details"] == PAYMENT


@pytest.mark.parametrize(("value", "message"), [
    ('{"type": "payment_initiation"}', "--authorization-details must be a non-empty JSON array of objects (RFC 9396 §2), not an object"),
    ('[{"actions": ["read"]}]', '--authorization-details: element 0 has no string "type"'),
    ('["payment_initiation"]', "--authorization-details: element 0 is a string, not an object"),
    ('[{"type": ', "--authorization-details is not JSON"),
    ("[]", "must be a non-empty JSON array"),
], ids=["object", "no-type", "string-element", "not-json", "empty"])
def test_malformed_details_are_refused_before_any_request(ext_provider, value, message):
    provider, _ = ext_provider
    provider.reset_events()
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "rar-conf", "--grant", "client_credentials",
                     "--authorization-details", value, env=SECRET)
    assert result.code == 1, result
    assert_no_traceback(result)
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("oauth2: error")]) == 1
    assert provider.events() == []  # nothing reached the server


def test_malformed_details_in_the_profile_are_named_with_the_file(ext_provider, standin_browser):
    provider, _ = ext_provider
    _profile(provider, "badpay", "[{type = 7}]")
    result = run_cli("login", "badpay", env=SECRET)
    assert result.code == 1, result
    assert "authorization_details: element 0 has no string \"type\"" in result.stderr
    assert "config.toml" in result.stderr
    assert standin_browser.visits() == [] and stored_tokens("badpay") is None


def test_details_the_server_does_not_know_show_its_refusal(ext_provider):
    provider, _ = ext_provider
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "rar-conf", "--grant", "client_credentials",
                     "--resource", resource(), "--authorization-details", '[{"type": "payment_initiation"}]', env=SECRET)
    assert result.code == 3, result
    assert "invalid_authorization_details" in result.stderr and "instructedAmount" in result.stderr


def test_profile_set_takes_json_and_refuses_a_detail_without_type(ext_provider):
    provider, _ = ext_provider
    _profile(provider, "setpay")
    good = run_cli("profile", "set", "setpay", "authorization_details", json.dumps(PAYMENT))
    assert good.code == 0, good
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    assert "[[profiles.setpay.authorization_details]]" in path.read_text("utf-8")
    before = path.read_text("utf-8")
    bad = run_cli("profile", "set", "setpay", "authorization_details", '[{"typ": "x"}]')
    assert bad.code == 1 and 'authorization_details: element 0 has no string "type"' in bad.stderr, bad
    assert path.read_text("utf-8") == before


def test_refresh_sends_narrower_details(ext_provider, standin_browser):
    provider, _ = ext_provider
    _profile(provider, "narrow")
    assert run_cli("login", "narrow", "--authorization-details", json.dumps(PAYMENT), env=SECRET).code == 0
    narrower = [{"type": "account_information"}]
    result = run_cli("refresh", "narrow", "--authorization-details", json.dumps(narrower), env=SECRET)
    assert result.code == 0, result
    assert stored_tokens("narrow").extra["authorization_details"] == narrower

"""`oauth2 call` without a profile (issue #17): one authenticated request from flags and the
environment, as a CI job makes it; nothing stored unless --save-as; the token only to URL's origin."""

from __future__ import annotations

from tests.ci.conftest import config_bytes, keyring_entries, store, token_events
from tests.support.ci_trust import CI_AUDIENCE, TOKEN_EXCHANGE
from tests.support.cli import assert_no_traceback, run_cli


def bearer(request) -> str:
    scheme, _, token = request["headers"].get("Authorization", "").partition(" ")
    assert scheme == "Bearer", request
    return token


def test_client_credentials_from_the_environment_and_nothing_stored(provider, resource):
    client = provider.clients["cc-only"]
    provider.reset_events()
    result = run_cli("call", "--issuer", provider.issuer, "--client-id", "cc-only", resource.base + "/echo",
                     env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    assert_no_traceback(result)
    (request,) = resource.requests
    token = bearer(request)
    assert provider.introspect(token)["active"] is True
    assert [e["grant_type"] for e in token_events(provider)] == ["client_credentials"]
    assert config_bytes() == b"" and not any(keyring_entries().values())
    assert client["client_secret"] not in result.stderr + result.stdout


def test_the_whole_ci_job_from_variables_alone(provider, github, resource):
    env = {**github.env(), "OAUTH2_TOKEN_URL": provider.endpoint("token"), "OAUTH2_CLIENT_ID": "ci-public",
           "OAUTH2_SUBJECT_TOKEN_SOURCE": f"github-actions:{CI_AUDIENCE}"}
    provider.reset_events()
    result = run_cli("call", "POST", resource.base + "/echo/deploy", "--json", '{"ref": "main"}', env=env)
    assert result.code == 0, result
    (request,) = resource.requests
    assert provider.introspect(bearer(request))["active"] is True
    assert request["body"] == b'{"ref": "main"}'
    assert [e["grant_type"] for e in token_events(provider)] == [TOKEN_EXCHANGE]
    (jwt,) = github.issued
    assert jwt not in result.stderr
    assert config_bytes() == b"" and not any(keyring_entries().values())


def test_the_token_goes_only_to_the_urls_origin(provider, resource, other_resource):
    client = provider.clients["cc-only"]
    target = f"{resource.base}/redirect?to={other_resource.base}/echo"
    result = run_cli("call", "-L", "--issuer", provider.issuer, "--client-id", "cc-only", target,
                     env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    (first,) = resource.requests
    assert bearer(first)
    (second,) = other_resource.requests
    assert "Authorization" not in second["headers"]


def test_a_refused_grant_is_exit_3_and_nothing_is_sent(provider, resource):
    result = run_cli("call", "--issuer", provider.issuer, "--client-id", "cc-only", resource.base + "/echo",
                     env={"OAUTH2_CLIENT_SECRET": "wrong"})
    assert result.code == 3, result
    assert_no_traceback(result)
    assert "invalid_client" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert resource.requests == []


def test_save_as_keeps_the_profile_and_its_token(provider, resource):
    client = provider.clients["cc-only"]
    env = {"OAUTH2_CLIENT_SECRET": client["client_secret"]}
    saved = run_cli("call", "--issuer", provider.issuer, "--client-id", "cc-only", "--save-as", "api",
                    resource.base + "/echo", env=env)
    assert saved.code == 0, saved
    assert "saved profile 'api'" in saved.stderr
    config = config_bytes()
    assert b"[profiles.api]" in config and resource.base.encode() in config
    assert client["client_secret"].encode() not in config
    assert store().secrets.get("api", "client_secret") == client["client_secret"]
    stored = store().load_tokens("api")
    assert bearer(resource.requests[0]) == stored.access_token

    provider.reset_events()
    again = run_cli("call", "-p", "api", resource.base + "/echo")  # no secret in the environment now
    assert again.code == 0, again
    assert bearer(resource.requests[1]) == stored.access_token and token_events(provider) == []


def test_a_user_grant_is_refused_without_a_profile(provider, resource):
    result = run_cli("call", "--issuer", provider.issuer, "--client-id", "x", "--grant", "password",
                     resource.base + "/echo")
    assert result.code == 1, result
    assert "password" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert resource.requests == []

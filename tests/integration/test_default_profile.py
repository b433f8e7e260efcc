"""Without a PROFILE and without ad-hoc flags, commands use the default profile."""

from __future__ import annotations

from tests.support.cli import assert_no_traceback, run_cli


def add_default_cc_profile(provider):
    client = provider.clients["cc-only"]
    secret = {"OAUTH2_CLIENT_SECRET": client["client_secret"]}
    added = run_cli("profile", "add", "ci", "--issuer", provider.issuer, "--client-id", client["client_id"],
                    "--grant", "client_credentials", env=secret)
    assert added.code == 0, added
    made_default = run_cli("profile", "default", "ci")
    assert made_default.code == 0, made_default
    return client, secret


def test_token_without_a_profile_uses_the_default(provider):
    client, secret = add_default_cc_profile(provider)
    first = run_cli("token", env=secret)
    assert first.code == 0, first
    assert provider.introspect(first.stdout.strip())["active"] is True
    again = run_cli("token")  # cached now: no secret needed, same token
    assert (again.code, again.stdout) == (0, first.stdout), again


def test_ad_hoc_flags_ignore_the_default(provider):
    client, secret = add_default_cc_profile(provider)
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "no-such-client",
                     "--grant", "client_credentials", env=secret)
    assert result.code == 3, result  # the ad-hoc client, not the default profile's
    assert "invalid_client" in result.stderr
    assert_no_traceback(result)


def test_no_default_and_no_flags_says_what_is_missing():
    result = run_cli("token")
    assert result.code == 1, result
    assert "no client id" in result.stderr


def test_introspect_and_revoke_without_arguments_use_the_default(provider):
    client, secret = add_default_cc_profile(provider)
    token = run_cli("token", env=secret).stdout.strip()
    active = run_cli("introspect", env=secret)
    assert active.code == 0, active
    assert '"active": true' in active.stdout
    revoked = run_cli("revoke", env=secret)
    assert revoked.code == 0, revoked
    assert provider.introspect(token)["active"] is False

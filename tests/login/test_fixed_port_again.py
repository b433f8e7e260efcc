"""A fixed redirect port binds again right after a login on it: the last connection's TIME_WAIT
does not make it "in use" (a logout or a second login comes straight after a login, and servers
that match a post_logout_redirect_uri exactly, like Ory Hydra, need the same fixed port)."""

from __future__ import annotations

from tests.login.conftest import write_profile
from tests.support.provider import free_port
from tests.support.cli import run_cli


def test_two_logins_in_a_row_on_one_fixed_port(provider, standin_browser):
    port = free_port()
    write_profile("fixed", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    for attempt in range(2):
        result = run_cli("login", "fixed", "--redirect-port", str(port))
        assert result.code == 0, (attempt, result)
        assert "in use" not in result.stderr, result

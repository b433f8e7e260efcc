"""`login --password`: the deprecated password grant, with the password never on the command line.

oidc-provider has no password grant, so the grant itself (issue #3's flows.exchange.token.password_grant)
is replaced here by a recorder; what is tested is what `login` does around it.
"""

from __future__ import annotations

from click.testing import CliRunner

from oauth2cli.cli import cli
from oauth2cli.core.tokens import TokenSet
from tests.login.conftest import stored_tokens, write_profile


def test_password_login_reads_the_password_from_stdin_and_saves(monkeypatch):
    seen = {}

    def password_grant(settings, deps, username, password):
        seen.update(client=settings.client.client_id, username=username, password=password,
                    params=settings.params)
        return TokenSet("pw-token", expires_at=deps.clock() + 600)

    monkeypatch.setattr("oauth2cli.flows.exchange.token.password_grant", password_grant, raising=False)
    write_profile("ropc", issuer="https://as.invalid", client_id="legacy")
    result = CliRunner().invoke(cli, ["login", "ropc", "--password", "--username", "bob", "-P", "x=y"],
                                input="s3cret\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == {"client": "legacy", "username": "bob", "password": "s3cret", "params": (("x", "y"),)}
    # the one deprecation warning is the grant's own (replaced here): login adds none of its own
    # (issue #28 row 6; the real grant's is checked in tests/integration/test_next_step.py)
    assert "deprecated" not in result.output
    assert "s3cret" not in result.output
    assert stored_tokens("ropc").access_token == "pw-token"

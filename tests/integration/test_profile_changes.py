"""What happens to stored tokens when things go wrong or the profile changes under them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.integration.test_refresh_race import logged_in_profile, refresh_grants, store, wait_until_expired
from tests.support.cli import run_cli


def test_a_rotated_refresh_token_survives_a_failed_id_token_check(provider):
    """The refresh succeeded and rotated the refresh token; the id_token check then could not run.
    The new refresh token must be kept: the server has retired the old one."""
    name, old = logged_in_profile(provider, "rot")
    assert old.id_token
    assert run_cli("profile", "set", name, "jwks_url", "http://127.0.0.1:9/jwks").code == 0
    wait_until_expired(old)
    provider.reset_events()
    failed = run_cli("token", name)
    assert failed.code == 6, failed  # the JWKS could not be fetched
    assert len(refresh_grants(provider)) == 1
    kept = store().load_tokens(name)
    assert kept.refresh_token != old.refresh_token  # the rotated one
    assert kept.access_token == old.access_token  # nothing unchecked was stored
    assert run_cli("profile", "unset", name, "jwks_url").code == 0
    again = run_cli("token", name)
    assert again.code == 0, again


def test_changing_the_token_endpoint_forgets_the_tokens(provider):
    name, old = logged_in_profile(provider, "moved")
    result = run_cli("profile", "set", name, "token_url", "http://127.0.0.1:9/token")
    assert result.code == 0, result
    assert "forgotten; log in again with `oauth2 login moved`" in result.stderr
    assert store().load_tokens(name) is None
    token = run_cli("token", name)
    assert token.code == 7 and old.access_token not in token.stdout, token


def test_a_config_in_a_shared_folder_does_not_close_the_folder(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    monkeypatch.setenv("OAUTH2CLI_CONFIG", str(shared / "oauth2.toml"))
    result = run_cli("profile", "add", "p1", "--token-url", "https://id.example.test/token", "--client-id", "c")
    assert result.code == 0, result
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "oauth2.toml").stat().st_mode) == 0o600
    ours = Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli"
    assert not ours.exists() or stat.S_IMODE(ours.stat().st_mode) == 0o700

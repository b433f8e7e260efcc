"""Real git against a real smart-HTTP server whose passwords are checked at the real provider:
`oauth2 setup-git`, then a plain `git clone`, and a `git fetch` after the token expired."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.accounts import logged_in, store, token_grants
from tests.helpers.gitserver import GitServer, git_available
from tests.support.cli import assert_no_traceback, run_cli

pytestmark = pytest.mark.skipif(not git_available(), reason="needs git and git-http-backend (Debian's git)")


@pytest.fixture(scope="module")
def slow_provider(tmp_path_factory):
    """short-public with 6 s access tokens: a token is used while 3 s of it are left, long enough
    for a clone on a busy machine, and short enough to wait out."""
    from tests.support.provider import Provider

    instance = Provider(tmp_path_factory.mktemp("provider6"), access_token_ttl={"short-public": 6}).start()
    yield instance
    instance.stop()


@pytest.fixture
def git_server(tmp_path: Path, provider):
    server = GitServer(tmp_path / "repos", lambda token: provider.introspect(token))
    (tmp_path / "repos").mkdir()
    server.make_repo("repo.git", {"README": "hello\n"})
    server.start()
    yield server
    server.stop()


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_clone_then_fetch_after_expiry_refreshes(slow_provider, tmp_path, oauth2_on_path):
    provider = slow_provider
    (tmp_path / "repos").mkdir()
    git_server = GitServer(tmp_path / "repos", lambda token: provider.introspect(token))
    git_server.make_repo("repo.git", {"README": "hello\n"})
    git_server.start()
    try:
        _clone_then_fetch(provider, git_server, tmp_path)
    finally:
        git_server.stop()


def _clone_then_fetch(provider, git_server, tmp_path):
    old = logged_in(provider, "forge", "short-public")  # short access tokens, rotating refresh tokens
    host = git_server.url().rstrip("/")
    setup = run_cli("setup-git", "forge", "--host", host)
    assert setup.code == 0 and setup.stdout == "", setup
    assert "credential." in setup.stderr and "git-credential -p forge" in setup.stderr

    # git clone within the token's life: the stored token, no request to the provider's token endpoint
    provider.reset_events()
    clone = git("clone", "-q", git_server.url("repo.git"), str(tmp_path / "checkout"))
    assert clone.returncode == 0, clone.stderr
    assert (tmp_path / "checkout" / "README").read_text() == "hello\n"
    assert git_server.seen and all(user == "oauth2" for user, _, _ in git_server.seen)
    assert git_server.seen[0][1] in (old.access_token, store().load_tokens("forge").access_token)

    # after expiry: git fetch gets a refreshed token from the helper
    time.sleep(max(0.0, old.expires_at - time.time()) + 0.5)
    git_server.commit("repo.git", "README", "hello again\n")
    provider.reset_events()
    seen_before = len(git_server.seen)
    fetch = git("fetch", "-q", "origin", cwd=tmp_path / "checkout")
    assert fetch.returncode == 0, fetch.stderr
    assert len(token_grants(provider, "refresh_token")) == 1
    new = store().load_tokens("forge")
    assert new.access_token != old.access_token and new.refresh_token != old.refresh_token
    assert all(active for _, _, active in git_server.seen[seen_before:])
    assert {password for _, password, _ in git_server.seen[seen_before:]} == {new.access_token}
    log = git("log", "-1", "--format=%s", "origin/main", cwd=tmp_path / "checkout")
    assert log.stdout.strip() == "more"


def test_without_the_helper_git_is_refused(provider, git_server, oauth2_on_path, tmp_path):
    # The server really demands a token: no helper, no clone (and no prompt hangs).
    clone = git("clone", "-q", git_server.url("repo.git"), str(tmp_path / "nope"))
    assert clone.returncode != 0
    assert "Authentication failed" in clone.stderr or "could not read Username" in clone.stderr


def test_git_username_from_the_profile(provider, git_server, oauth2_on_path, tmp_path):
    logged_in(provider, "forge2", "public-pkce", git_username="x-access-token")
    assert run_cli("setup-git", "forge2", "--host", git_server.url()).code == 0
    clone = git("clone", "-q", git_server.url("repo.git"), str(tmp_path / "checkout"))
    assert clone.returncode == 0, clone.stderr
    assert {user for user, _, _ in git_server.seen} == {"x-access-token"}


def test_a_refused_token_is_erased_and_the_next_get_refreshes(provider, git_server, oauth2_on_path, tmp_path):
    tokens = logged_in(provider, "forge3", "public-pkce")
    assert run_cli("setup-git", "forge3", "--host", git_server.url()).code == 0
    # The server turns the token away: git gets 401 and tells the helper to erase it.
    git_server.refused.add(tokens.access_token)
    clone = git("clone", "-q", git_server.url("repo.git"), str(tmp_path / "checkout"))
    assert clone.returncode != 0
    stored = store().load_tokens("forge3")
    assert stored.refresh_token == tokens.refresh_token and stored.expires_at < time.time()
    # the next git run refreshes (one refresh grant) and gets in
    provider.reset_events()
    again = git("clone", "-q", git_server.url("repo.git"), str(tmp_path / "checkout"))
    assert again.returncode == 0, again.stderr
    assert len(token_grants(provider, "refresh_token")) == 1
    assert_no_traceback(run_cli("status"))

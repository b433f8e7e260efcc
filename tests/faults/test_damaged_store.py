"""A damaged store entry (a secret file cut in half or emptied, a token entry that is not
JSON, in the file store or the keyring): `token` names it and says what to do; `login`,
`logout` and `profile remove` on that profile move it aside (NAME.json.damaged-TIME, 0600)
and go on; other profiles are never touched."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.faults.conftest import add_profile, log_in, one_line, snapshot
from tests.support.cli import assert_no_traceback, run_cli


def damage(path: Path, how: str) -> bytes:
    raw = path.read_bytes()
    broken = {"half": raw[: len(raw) // 2], "empty": b"", "tokens": None}[how]
    if broken is None:  # the file parses; its token entry does not
        data = json.loads(raw)
        data["tokens"] = data["tokens"][:40]
        broken = json.dumps(data).encode()
    path.write_bytes(broken)
    return broken


def two_profiles(provider, proxy):
    add_profile(provider, proxy, "bad")
    add_profile(provider, proxy, "good")
    log_in(provider, "bad")
    good = log_in(provider, "good")
    return good


def aside_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}.json.damaged-*"))


@pytest.mark.parametrize("how", ["half", "empty", "tokens"])
def test_token_names_the_damaged_file_and_what_to_do(provider, proxy, file_store, how):
    two_profiles(provider, proxy)
    damage(file_store / "bad.json", how)
    before = snapshot(file_store)

    result = run_cli("token", "bad")

    line = one_line(result)
    assert result.code == 1 and result.stdout == "", result
    where = str(file_store / "bad.json") if how != "tokens" else "the stored tokens of profile 'bad'"
    assert where in line and ("damaged" in line or "empty" in line), line
    assert "`oauth2 login bad`" in line and "`oauth2 logout bad`" in line, line
    assert snapshot(file_store) == before
    other = run_cli("token", "good")  # (refreshed or not: its 2 s token may have expired meanwhile)
    assert other.code == 0 and other.stdout.strip() and other.stderr == "", other


@pytest.mark.parametrize("how", ["half", "empty", "tokens"])
def test_logout_moves_the_damaged_file_aside(provider, proxy, file_store, how):
    two_profiles(provider, proxy)
    broken_file = (file_store / "bad.json").read_bytes()
    damage(file_store / "bad.json", how)
    damaged = (file_store / "bad.json").read_bytes()
    good_before = (file_store / "good.json").read_bytes()

    result = run_cli("logout", "bad")

    assert result.code == 0, result
    assert_no_traceback(result)
    kept = aside_files(file_store, "bad")
    assert len(kept) == 1, result
    assert kept[0].read_bytes() == damaged  # the damaged bytes, kept as they were
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert f"moved aside to {kept[0]}" in result.stderr, result
    assert (file_store / "good.json").read_bytes() == good_before
    assert broken_file  # (the original is gone for good: only the damaged copy is kept)
    status = run_cli("token", "bad")
    assert status.code == 7, status  # not logged in any more: a clean state, not a damaged one


def test_login_repairs_a_damaged_file_and_logs_in(provider, proxy, file_store, standin_browser):
    two_profiles(provider, proxy)
    damage(file_store / "bad.json", "half")
    good_before = (file_store / "good.json").read_bytes()

    result = run_cli("login", "bad")

    assert result.code == 0, result
    assert_no_traceback(result)
    assert len(aside_files(file_store, "bad")) == 1
    assert result.stderr.splitlines()[-1].startswith("Logged in to bad"), result
    after = run_cli("token", "bad", "--min-ttl", "0")
    assert after.code == 0 and after.stdout.strip(), after
    assert (file_store / "good.json").read_bytes() == good_before


def test_profile_remove_repairs_a_damaged_file(provider, proxy, file_store):
    two_profiles(provider, proxy)
    damaged = damage(file_store / "bad.json", "empty")
    result = run_cli("profile", "remove", "bad")
    assert result.code == 0, result
    assert_no_traceback(result)
    kept = aside_files(file_store, "bad")
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert not (file_store / "bad.json").exists()
    assert "bad" not in run_cli("profile", "list").stdout


@pytest.mark.parametrize("how", ["value", "chunk"])
def test_a_damaged_keyring_entry_is_moved_aside_by_logout(provider, proxy, how):
    """The suite's keyring stand-in (a real keyring backend class, kept in a JSON file)."""
    add_profile(provider, proxy, "kr")
    log_in(provider, "kr")
    keyring_file = Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"])
    if how == "chunk":  # a value long enough to be split into chunks
        from oauth2cli.deps import Deps
        from oauth2cli.store import Store

        secrets = Store(Deps(environ=dict(os.environ))).secrets
        value = json.loads(secrets.get("kr", "tokens"))
        secrets.set("kr", "tokens", json.dumps({**value, "padding": "x" * 1500}))
    data = json.loads(keyring_file.read_text())
    entries = data["oauth2cli"]
    header = entries["kr:tokens"]
    if how == "value":
        entries["kr:tokens"] = broken = "{not json"
    else:  # a chunked value whose first chunk is gone
        assert header.startswith("oauth2cli-chunked:v1:"), header
        del entries[next(k for k in entries if k.startswith("kr:tokens#") and k.endswith(".0"))]
        broken = header
    keyring_file.write_text(json.dumps(data))

    token = run_cli("token", "kr")
    line = one_line(token)
    assert token.code == 1 and "damaged" in line and "`oauth2 logout kr`" in line, token

    result = run_cli("logout", "kr")
    assert result.code == 0, result
    assert_no_traceback(result)
    after = json.loads(keyring_file.read_text())["oauth2cli"]
    moved = [k for k in after if k.startswith("kr:tokens.damaged-")]
    assert len(moved) == 1 and after[moved[0]] == broken, after
    assert "kr:tokens" not in after
    assert run_cli("token", "kr").code == 7  # cleanly logged out

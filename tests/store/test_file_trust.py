"""Issue #25 rows 7, 8, 10, 13 (names) and 14: the files the tool creates trust no one else,
through the real command: modes under umask 000, folders of another user or open to others
refused with one line (as OpenSSH refuses a loose ~/.ssh), no temp or lock file opened through a
symlink, a killed run's temp files removed by the next write, names from config.toml checked."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Result


def run(*args: str, umask: int | None = None, input: str = "") -> Result:
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", *args], input=input, capture_output=True, text=True,
                          env={**os.environ, "OAUTH2CLI_STORE": "file"}, timeout=60,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


def xdg(var: str) -> Path:
    return Path(os.environ[var])


def add(name: str = "w") -> None:
    result = run("profile", "add", name, "--client-id", "c", "--token-url", "https://id.example/token")
    assert result.code == 0, result


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_under_umask_000_every_folder_made_is_0700(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    for var, default in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                         ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache")):
        monkeypatch.setenv(var, str(home / default))
    assert run("profile", "add", "w", "--client-id", "c", "--token-url", "https://id.example/token",
               umask=0).code == 0
    assert run("profile", "secret", "w", input="s3cret\n", umask=0).code == 0
    assert run("git-credential", "-p", "w", "erase", input="protocol=https\nhost=h\n", umask=0).code == 0
    made = sorted(p for p in home.rglob("*") if p.is_dir())
    assert {str(p.relative_to(home)): oct(mode(p)) for p in made} == {
        str(p.relative_to(home)): "0o700" for p in made}
    assert {".config", ".local/share", ".local/state", ".config/oauth2cli",
            ".local/share/oauth2cli/secrets"} <= {str(p.relative_to(home)) for p in made}
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files and all(mode(p) == 0o600 for p in files), {str(p): oct(mode(p)) for p in files}


@pytest.mark.parametrize("var", ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"])
def test_a_folder_open_to_others_is_refused_with_one_line(var):
    add()
    folder = xdg(var) / "oauth2cli"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o777)
    result = run("git-credential", "-p", "w", "erase", input="protocol=https\nhost=h\n")
    assert result.code == 1, result
    assert result.stderr.splitlines() == [
        f"oauth2: error: refusing {folder}: it is writable by others (mode 0777, owner root), so someone else "
        f"could change what oauth2 trusts there; make it yours and private: chown root {folder} && chmod go-w {folder}"]


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_a_config_folder_of_another_user_is_refused():
    add()
    folder = xdg("XDG_CONFIG_HOME") / "oauth2cli"
    os.chown(folder, 65534, 65534)
    result = run("token", "w")
    assert result.code == 1, result
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"oauth2: error: refusing {folder}: it is owned by ")
    assert "(mode 0700, owner " in result.stderr


def test_a_lock_file_is_not_opened_through_a_planted_symlink(tmp_path):
    add()
    target = tmp_path / "victim"
    target.write_text("keep me")
    locks = xdg("XDG_STATE_HOME") / "oauth2cli" / "locks"
    locks.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(locks.parent, 0o700)
    (locks / "w.lock").symlink_to(target)
    result = run("git-credential", "-p", "w", "erase", input="protocol=https\nhost=h\n")
    assert result.code == 1, result
    assert len(result.stderr.splitlines()) == 1 and str(locks / "w.lock") in result.stderr, result
    assert target.read_text() == "keep me" and mode(target) == 0o644


def test_a_planted_memo_symlink_is_removed_not_followed(tmp_path):
    add()
    cache = xdg("XDG_CACHE_HOME") / "oauth2cli"
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = tmp_path / "victim"
    target.write_text("keep me")
    (xdg("XDG_CONFIG_HOME") / "oauth2cli" / "config.toml").write_text(
        'default = "w"\n[profiles.w]\nclient_id = "c2"\ntoken_url = "https://id.example/token"\n')
    # the next run remembers config.toml's parse through CACHE/config.json.PID.tmp: plant one for every
    # pid it can get (pid_max is small in a container; this is what an attacker would do)
    planted = []
    for pid in range(os.getpid() + 1, os.getpid() + 400):
        link = cache / f"config.json.{pid}.tmp"
        link.symlink_to(target)
        planted.append(link)
    result = run("profile", "list")
    assert result.code == 0, result
    assert target.read_text() == "keep me"


def test_a_killed_runs_temp_files_are_removed_by_the_next_write():
    add()
    assert run("profile", "secret", "w", input="s1\n").code == 0
    secrets = xdg("XDG_DATA_HOME") / "oauth2cli" / "secrets"
    left = [secrets / ".w.json.a1b2c3d4.tmp", secrets / ".other.json.x9y8z7w6.tmp"]
    for path in left:
        path.write_text('{"token_set": "the new tokens"}')
        os.chmod(path, 0o600)
        old = time.time() - 60
        os.utime(path, (old, old))
    assert run("profile", "secret", "w", input="s2\n").code == 0
    assert [p for p in left if p.exists()] == []
    assert sorted(p.name for p in secrets.iterdir()) == sorted(
        p.name for p in secrets.iterdir() if not p.name.endswith(".tmp"))


@pytest.mark.parametrize("name", ["../../../../tmp/x/evil", "a" * 300, "nul\x00name", "a/b"],
                         ids=["dot-dot", "long", "nul", "slash"])
def test_a_bad_profile_name_in_config_toml_is_reported_with_file_and_line_and_others_work(name, tmp_path):
    config = xdg("XDG_CONFIG_HOME") / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = name.replace("\\", "\\\\").replace("\x00", "\\u0000")
    config.write_text('[profiles.good]\nclient_id = "c"\ntoken_url = "https://id.example/token"\n\n'
                      f'[profiles."{key}"]\nclient_id = "c"\ntoken_url = "https://id.example/token"\n')
    assert run("profile", "secret", "good", input="s\n").code == 0  # the others still work
    if "\x00" in name:  # not on a command line: status lists it as unreadable, the others as they are
        listed = run("status")
        assert listed.code == 0 and "good\tnot logged in" in listed.stdout and "unreadable" in listed.stdout, listed
        return
    # token, profile show and exec read through the store's lean view first, git-credential through the Store
    for args in (["token", name], ["profile", "show", name], ["exec", "-p", name, "--", "true"],
                 ["git-credential", "-p", name, "erase"]):
        result = run(*args, input="protocol=https\nhost=h\n")
        assert result.code in (1, 2), result
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "invalid profile name" in lines[0], result
    assert not (Path("/tmp/x/evil.lock").exists() or Path("/tmp/x/evil.json").exists())


def test_a_remembered_null_keyring_does_not_count(monkeypatch):
    """Row 9: the remembered backend passes the lookup's rule (null and fail backends do not count)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    add()
    from keyring.util import platform_

    rc = Path(platform_.config_root()) / "keyringrc.cfg"
    stamp = str(rc.stat().st_mtime_ns) if rc.exists() else "-"
    memo = xdg("XDG_CACHE_HOME") / "oauth2cli" / "keyring-backend"
    memo.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    memo.write_text(f"keyring.backends.null.Keyring\nkeyringrc={stamp}\n")
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", "profile", "secret", "w"], input="s3cret\n",
                          capture_output=True, text=True, timeout=60, env={**os.environ, "OAUTH2CLI_STORE": "keyring"})
    assert proc.returncode == 1, proc.stderr
    assert "null keyring" in proc.stderr or "no keyring backend" in proc.stderr, proc.stderr

"""Fixtures of the fault suite: a misbehaving proxy in front of the real provider, stores on
a 64 KiB tmpfs or a read-only bind mount, and logged-in profiles whose token and JWKS
requests go through the proxy. Every mount made here is unmounted in the fixture's teardown.
"""

from __future__ import annotations

import errno
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.faults.proxy import FaultProxy
from tests.support.cli import run_cli
from tests.support.login import code_flow_tokens


def _mount_reason() -> str | None:
    """Why this machine cannot mount (None when it can): CI runs the suite as root."""
    if os.geteuid() != 0:
        return "mounting a tmpfs or a read-only bind needs root (CI runs as root); run the suite as root"
    probe = Path(tempfile.mkdtemp(prefix="oauth2cli-mount-probe-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return f"mount -t tmpfs is refused here: {done.stderr.strip() or done.returncode}"
        subprocess.run(["umount", str(probe)], check=True)
        return None
    except FileNotFoundError:
        return "no mount command on this machine"
    finally:
        probe.rmdir()


MOUNT_REASON = _mount_reason()
needs_mount = pytest.mark.skipif(MOUNT_REASON is not None, reason=MOUNT_REASON or "")


class Mounts:
    """Mounts made by one test, undone (innermost first) at teardown."""

    def __init__(self) -> None:
        self.points: list[Path] = []

    def tmpfs(self, where: Path, size: str = "64k") -> Path:
        where.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)], check=True)
        self.points.append(where)
        return where

    def read_only(self, where: Path) -> Path:
        """`where` bind-mounted onto itself, read-only."""
        subprocess.run(["mount", "--bind", str(where), str(where)], check=True)
        self.points.append(where)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], check=True)
        return where

    def writable(self, where: Path) -> None:
        subprocess.run(["mount", "-o", "remount,bind,rw", str(where)], check=True)

    def undo(self) -> None:
        while self.points:
            point = self.points.pop()
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def mounts():
    if MOUNT_REASON is not None:
        pytest.skip(MOUNT_REASON)
    made = Mounts()
    try:
        yield made
    finally:
        made.undo()


@pytest.fixture
def proxy(provider):
    instance = FaultProxy(provider.issuer).start()
    try:
        yield instance
    finally:
        instance.stop()


@pytest.fixture
def file_store(monkeypatch) -> Path:
    """The file store is used (the suite's keyring is a test stand-in): its folder."""
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    return Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli" / "secrets"


def add_profile(provider, proxy, name: str, env: dict[str, str] | None = None) -> None:
    """Profile NAME for short-public (2 s access tokens, a new refresh token on every refresh,
    reuse of an old one revokes the grant), token and JWKS requests through the proxy."""
    added = run_cli("profile", "add", name, "--issuer", provider.issuer, "--client-id", "short-public",
                    "--auth-method", "none", "--scope", "openid offline_access",
                    "--token-url", f"{proxy.url}/token", "--jwks-url", f"{proxy.url}/jwks", env=env)
    assert added.code == 0, added


def log_in(provider, name: str, environ: dict[str, str] | None = None):
    """A real login's tokens, saved in NAME through the store API; the TokenSet."""
    from oauth2cli.core.tokens import token_set_from_json
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    answer = code_flow_tokens(provider, "short-public")
    tokens = token_set_from_json(answer, answer["obtained_at"])
    assert tokens.refresh_token and tokens.id_token
    Store(Deps(environ=dict(environ or os.environ))).save_tokens(name, tokens)
    return tokens


def wait_until_expired(*token_sets) -> None:
    latest = max(t.expires_at for t in token_sets)
    time.sleep(max(0.0, latest - time.time()) + 0.3)


def stored_refresh_token(name: str, environ: dict[str, str] | None = None) -> str | None:
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    tokens = Store(Deps(environ=dict(environ or os.environ))).load_tokens(name)
    return tokens.refresh_token if tokens else None


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (names relative to it) and its bytes."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line(result) -> str:
    """The single stderr line of a failed run (asserting there is exactly one, and no traceback)."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, str(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, str(result)
    assert "unexpected error" not in lines[0], str(result)
    return lines[0]


def fill(folder: Path) -> Path:
    """Write a file in `folder` until its file system is full."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"x" * 1024)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler

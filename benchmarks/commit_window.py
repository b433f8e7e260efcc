#!/usr/bin/env python3
"""Benchmark row of issue #13: from the last byte of the token answer to the store's fsync.

Usage: .venv/bin/python benchmarks/commit_window.py [--runs N]   (benchmarks/run has it as a row too)

`oauth2 token PROFILE` refreshes an expired token (the provider's short-public client: 2 s
access tokens, rotating refresh tokens) through the fault proxy of tests/faults, which notes
when it wrote the answer's last byte; an inotify watch on the file store's folder notes when
the new secret file is renamed into place, which the store does right after the file's fsync
(the folder's own fsync follows the rename). The row is the median of those windows; the
goal is 10 ms. Exits 1 when the goal is missed. benchmarks/run measures it as its last row.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PY = sys.executable
GOAL_MS = 10.0
IN_MOVED_TO = 0x00000080


class RenameWatch:
    """monotonic_ns() of every file renamed into `folder`, by name (Linux inotify, via ctypes)."""

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(0)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, str(folder).encode(), IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), "inotify is not available")
        self.events: list[tuple[int, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            data = os.read(self.fd, 65536)
            now = time.monotonic_ns()
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16: offset + 16 + length].rstrip(b"\0").decode()
                self.events.append((now, name))
                offset += 16 + length

    def first_after(self, name: str, after_ns: int, timeout: float = 30.0) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, seen in list(self.events):
                if seen == name and at >= after_ns:
                    return at
            time.sleep(0.001)
        return None


def measure(runs: int) -> tuple[list[float], str]:
    from tests.faults.proxy import FaultProxy
    from tests.support.login import code_flow_tokens
    from tests.support.provider import Provider

    work = Path(tempfile.mkdtemp(prefix="oauth2cli-commit-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAUTH2_", "OAUTH2CLI_"))}
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        (work / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(work / sub)
    env.update(NO_COLOR="1", OAUTH2CLI_STORE="file", PYTHONPATH=str(ROOT))
    secrets = work / "data" / "oauth2cli" / "secrets"
    provider = Provider(work / "provider").start()
    proxy = FaultProxy(provider.issuer).start()
    try:
        from oauth2cli.core.tokens import token_set_from_json
        from oauth2cli.deps import Deps
        from oauth2cli.store import Store

        store = Store(Deps(environ=env))
        names = [f"c{i}" for i in range(runs)]
        expiry = 0.0
        for name in names:
            subprocess.run([PY, "-m", "oauth2cli", "profile", "add", name, "--issuer", provider.issuer,
                            "--client-id", "short-public", "--auth-method", "none", "--scope", "openid offline_access",
                            "--token-url", f"{proxy.url}/token", "--jwks-url", f"{proxy.url}/jwks"],
                           env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            answer = code_flow_tokens(provider, "short-public")
            tokens = token_set_from_json(answer, answer["obtained_at"])
            store.save_tokens(name, tokens)
            expiry = max(expiry, tokens.expires_at or 0)
        watch = RenameWatch(secrets)
        time.sleep(max(0.0, expiry - time.time()) + 0.3)
        # One warm-up refresh (page cache, .pyc) is not counted.
        windows = []
        for i, name in enumerate(names):
            proxy.clear()
            delivered = proxy.delivered("/token")
            done = subprocess.run([PY, "-m", "oauth2cli", "token", name], env=env, capture_output=True, text=True)
            if done.returncode != 0 or not delivered.wait(5):
                raise SystemExit(f"oauth2 token {name} failed ({done.returncode}): {done.stderr[-500:]}")
            renamed = watch.first_after(f"{name}.json", delivered.at_ns)
            if renamed is None:
                raise SystemExit(f"the store of {name} was never renamed into place")
            if i:
                windows.append((renamed - delivered.at_ns) / 1e6)
        fs = subprocess.run(["stat", "-f", "-c", "%T", str(secrets)], capture_output=True, text=True).stdout.strip()
        return windows, fs
    finally:
        proxy.stop()
        provider.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


NAME = "token answer -> store fsync (commit window)"


def window(b) -> None:
    """The row in benchmarks/run's table (b: its Bench)."""
    from timing import Row

    if not b.wanted(NAME):
        return
    try:
        windows, fs = measure(b.runs + 1)
    except (SystemExit, Exception) as exc:  # a failed set-up or refresh is the row's failure, in one line
        reason = str(exc).strip().splitlines()
        b.add(Row(NAME, "", GOAL_MS, [], [], error=reason[0] if reason else type(exc).__name__, absolute=True))
        return
    b.add(Row(NAME, "", GOAL_MS, [w / 1000 for w in windows], [], absolute=True,
              note=f"{len(windows)} refreshes, file store on {fs}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="")
    args, _ = parser.parse_known_args(argv)
    if args.only and args.only not in NAME:
        return 0
    windows, fs = measure(args.runs + 1)
    median = statistics.median(windows)
    verdict = "pass" if median <= GOAL_MS else "FAIL"
    print(f"{'token answer -> store fsync (commit window)':48} {median:7.1f} {min(windows):7.1f} {max(windows):7.1f}  "
          f"goal <= {GOAL_MS:g} ms  {verdict}  ({len(windows)} refreshes, file store on {fs}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0 if median <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Where the peer servers' packages are kept between runs, and the helpers their fixtures share.

The cache is outside the repository: $OAUTH2CLI_PEERS_CACHE, else ~/.cache/oauth2cli-tests
(never the throwaway XDG_CACHE_HOME the tests give `oauth2`). Each server is fetched or built
once per version under a lock, so scripts/test's early `python -m tests.peers.prepare` in the
background and a fixture asking for the same server wait for one another instead of building
twice. A missing tool is a `Missing` with one line naming what to install (the fixtures skip
with it); a tool that is there and fails is an error with its log.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import httpx


class Missing(Exception):
    """This machine lacks a tool a peer needs; str() is the one line saying what to install."""


class PrepareFailed(Exception):
    """A fetch or build that should have worked did not; str() names its log."""


def root() -> Path:
    base = os.environ.get("OAUTH2CLI_PEERS_CACHE") or str(Path.home() / ".cache" / "oauth2cli-tests")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def locked(name: str):
    """An exclusive lock on ROOT/NAME.lock, held while a package is fetched or built."""
    with open(root() / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_logged(argv: list[str], log: Path, *, cwd: Path | None = None, env: dict | None = None,
               timeout: float = 1800) -> None:
    """Run a fetch or build step, its output to LOG; PrepareFailed (naming LOG) if it fails."""
    with open(log, "a") as out:
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        try:
            proc = subprocess.run(argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise PrepareFailed(f"{argv[0]} took over {timeout:.0f}s; see {log}") from exc
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise PrepareFailed(f"{' '.join(argv[:3])} failed (exit {proc.returncode}); see {log}:\n" + "\n".join(tail))


def refused(log: Path) -> bool:
    """Whether a failed fetch failed because the registry said no or could not be reached."""
    text = log.read_text(errors="replace")
    return any(sign in text for sign in ("403 Forbidden", "404 Not Found", "not available", "Could not resolve",
                                         "Could not transfer artifact", "Could not find artifact",
                                         "dial tcp", "connection refused"))


def go_tool() -> str:
    go = shutil.which("go")
    if not go:
        raise Missing("needs Go >= 1.25 on PATH to build Hydra and Dex (Dex v2.45 asks for 1.25)")
    return go


def go_build(name: str, module: str, version: str, package: str, tags: str = "") -> Path:
    """ROOT/bin/NAME-VERSION, built once from the Go module proxy (`go get -tool` in a module of
    our own under ROOT/src/NAME, so the program's own replace directives do not stop it)."""
    binary = root() / "bin" / (f"{name}-{version}" + (f"-{tags.replace(',', '-')}" if tags else ""))
    if binary.is_file():
        return binary
    go = go_tool()
    with locked(name):
        if binary.is_file():  # built while we waited
            return binary
        src = root() / "src" / f"{name}-{version}"
        src.mkdir(parents=True, exist_ok=True)
        log = root() / f"{name}-{version}.log"
        (src / "go.mod").write_text(f"module oauth2cli-tests/{name}\n\ngo 1.24\n")
        try:
            run_logged([go, "get", "-tool", f"{package}@{version}"], log, cwd=src)
        except PrepareFailed:
            if refused(log):
                raise Missing(f"{module}@{version} could not be fetched (the Go module proxy refused it or "
                              f"cannot be reached; see {log})") from None
            raise
        replaces = _replaces(go, module, src)
        if replaces:  # the program's own replace directives, which a dependency's go.mod cannot give
            with open(src / "go.mod", "a") as mod:
                mod.write("\n" + "\n".join(replaces) + "\n")
            run_logged([go, "mod", "tidy"], log, cwd=src)
        binary.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(f"{binary}.partial")
        build = [go, "build", "-trimpath", "-o", str(partial)] + (["-tags", tags] if tags else []) + [package]
        run_logged(build, log, cwd=src, env={"CGO_ENABLED": "1" if tags else "0"})
        partial.rename(binary)
    return binary


def _replaces(go: str, module: str, src: Path) -> list[str]:
    """MODULE's replace directives, with its local paths turned into paths in the module cache."""
    import json
    import re

    info = json.loads(subprocess.run([go, "list", "-m", "-json", module], cwd=src, capture_output=True,
                                     text=True, check=True).stdout)
    text = Path(info["GoMod"]).read_text()
    lines = re.findall(r"^replace\s+(?!\()(.+)$", text, re.M)
    for block in re.findall(r"^replace\s*\((.*?)^\)", text, re.M | re.S):
        lines += [line.strip() for line in block.splitlines() if "=>" in line]
    out = []
    for line in lines:
        old, new = (part.strip() for part in line.split("=>"))
        if new.startswith(("./", "../")):
            local = (Path(info["Dir"]) / new).resolve()
            if not local.is_dir():  # a nested module, not in the zip: its published version serves
                continue
            new = str(local)
        out.append(f"replace {old} => {new}")
    return out


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll URL until it answers below 500; fail with the server's log if it exits or is too slow."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PrepareFailed(f"{proc.args[0]} exited with {proc.returncode} before {url} answered:\n"
                                + tail(log))
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise PrepareFailed(f"{url} did not answer within {timeout:.0f}s:\n" + tail(log))


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

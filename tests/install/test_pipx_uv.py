"""scripts/install when pipx or uv is on PATH: they install, the script adds the man pages and completions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from oauth2cli import __version__
from tests.install.conftest import INSTALL, REAL_HOME, Machine, new_machine


def machine_with(tool: str, root: Path, wheelhouse: Path) -> Machine:
    """A fresh machine that has `tool` on PATH (installed from PyPI, as `pip install TOOL` would)."""
    machine = new_machine(root / "machine", wheelhouse)
    venv = root / f"{tool}-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    proc = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", tool],
                          env=dict(machine.env, PATH=f"{venv}/bin:{machine.env['PATH']}"),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    tools = root / "tools"
    tools.mkdir()
    (tools / tool).symlink_to(venv / "bin" / tool)  # the tool alone, not its venv's python3
    machine.env["PATH"] = f"{tools}:{machine.env['PATH']}"
    return machine


@pytest.fixture(scope="session")
def pipx_machine(tmp_path_factory, wheelhouse) -> Machine:
    return machine_with("pipx", tmp_path_factory.mktemp("with-pipx"), wheelhouse)


def test_pipx_installs_and_uninstalls_it(pipx_machine: Machine, dist):
    home = pipx_machine.home
    proc = pipx_machine.run([str(INSTALL), "--from", str(dist["wheel"])])
    assert proc.returncode == 0, proc.stderr
    assert f"installed oauth2 {__version__} with pipx: ~/.local/bin/oauth2" in proc.stderr
    manifest = json.loads((home / ".local/share/oauth2cli/install.json").read_text())
    assert manifest["method"] == "pipx" and manifest["venv"] is None
    assert not (home / ".local/share/oauth2cli/venv").exists(), "pipx's venv, not one of ours"

    seen = pipx_machine.run("oauth2 --version && man -w oauth2-token", login=True)
    assert seen.returncode == 0, seen.stderr
    version, page = seen.stdout.splitlines()
    assert version == f"oauth2 {__version__}" and page.startswith(str(home)) and page.endswith("oauth2-token.1")
    fish = home / ".config/fish/completions/oauth2.fish"
    assert fish.is_symlink() and "pipx" in str(fish.resolve())

    gone = pipx_machine.run([str(INSTALL), "--uninstall"])
    assert gone.returncode == 0, gone.stderr
    assert "removed oauth2 (pipx)" in gone.stderr
    assert not (home / ".local/bin/oauth2").exists() and not fish.exists()
    listed = pipx_machine.run(["pipx", "list", "--short"])
    assert "oauth2cli" not in listed.stdout


def test_uv_tool_installs_and_uninstalls_it(tmp_path_factory, wheelhouse, dist):
    # uv's wheel is one static binary: take it out of the wheel rather than make a venv for it
    root = tmp_path_factory.mktemp("with-uv")
    machine = new_machine(root / "machine", wheelhouse)
    with zipfile.ZipFile(next(wheelhouse.glob("uv-*.whl"))) as whl:
        member = next(n for n in whl.namelist() if n.endswith(".data/scripts/uv"))
        uv = root / "tools" / "uv"
        uv.parent.mkdir()
        uv.write_bytes(whl.read(member))
    uv.chmod(0o755)
    machine.env["PATH"] = f"{uv.parent}:{machine.env['PATH']}"
    home = machine.home
    # uv reads PyPI itself (it ignores pip's settings); the system's CA bundle for its TLS
    certs = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt"
    extra = {"SSL_CERT_FILE": certs, "UV_CACHE_DIR": os.path.join(REAL_HOME, ".cache", "uv")}
    proc = machine.run([str(INSTALL), "--from", str(dist["wheel"])], extra=extra)
    assert proc.returncode == 0, proc.stderr
    assert f"installed oauth2 {__version__} with uv: ~/.local/bin/oauth2" in proc.stderr
    assert (home / ".local/bin/oauth2").resolve().is_relative_to(home / ".local/share/uv/tools/oauth2cli")
    # uv links only the command; the man pages are linked by scripts/install
    seen = machine.run("oauth2 --version && man -w oauth2-token", login=True)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.splitlines()[1].startswith(str(home / ".local/share/uv/tools/oauth2cli/share/man/man1"))
    assert (home / ".local/share/man/man1/oauth2-token.1").is_symlink()

    gone = machine.run([str(INSTALL), "--uninstall"], extra=extra)
    assert gone.returncode == 0, gone.stderr
    assert "removed oauth2 (uv)" in gone.stderr
    assert not (home / ".local/bin/oauth2").exists()
    assert not (home / ".local/share/uv/tools/oauth2cli").exists()
    assert not (home / ".local/share/man/man1/oauth2-token.1").exists()

"""scripts/install when pipx is on PATH: pipx installs, the script adds the man pages and completions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from oauth2cli import __version__
from tests.install.conftest import INSTALL, Machine, new_machine


@pytest.fixture(scope="session")
def pipx_machine(tmp_path_factory, wheelhouse) -> Machine:
    """A fresh machine that has pipx (installed from PyPI, as `apt install pipx` or `pip install pipx` would)."""
    root = tmp_path_factory.mktemp("with-pipx")
    machine = new_machine(root / "machine", wheelhouse)
    venv = root / "pipx-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    proc = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "pipx"],
                          env=dict(machine.env, PATH=f"{venv}/bin:{machine.env['PATH']}"),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    tools = root / "tools"
    tools.mkdir()
    (tools / "pipx").symlink_to(venv / "bin" / "pipx")  # pipx alone, not its venv's python3
    machine.env["PATH"] = f"{tools}:{machine.env['PATH']}"
    return machine


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

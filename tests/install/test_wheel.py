"""The built wheel, installed with plain pip into a venv: the command, its man pages, its completions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oauth2cli import __version__
from tests.install.conftest import REAL_HOME, _real_pip_cache
from tests.support.tmux import TMUX, TmuxPane

ROOT = Path(__file__).resolve().parents[2]
BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


@pytest.fixture(scope="session")
def wheel_venv(dist, wheelhouse, tmp_path_factory) -> dict[str, str]:
    """`python -m venv V && V/bin/pip install oauth2cli-*.whl`; the environment of a shell using it."""
    root = tmp_path_factory.mktemp("wheel-route")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: os.environ[k] for k in ("PIP_CERT", "PIP_INDEX_URL", "PIP_FIND_LINKS", "SSL_CERT_FILE", "LANG")
           if k in os.environ}
    env.update(HOME=str(root / "home"), PIP_CACHE_DIR=_real_pip_cache(), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse),
               # no bytecode for the 30 packages: it is most of an install's time here, and tests nothing
               PIP_COMPILE="0",
               PATH=os.pathsep.join([str(venv / "bin"), "/usr/bin", "/bin"]))
    (root / "home").mkdir()
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(dist["wheel"])],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return dict(env, VENV=str(venv))


def sh(env: dict[str, str], command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "--norc", "-c", command], env=env, capture_output=True, text=True, timeout=60)


def test_oauth2_runs_and_man_finds_the_pages_beside_the_venvs_bin(wheel_venv):
    proc = sh(wheel_venv, "oauth2 --version && man -w oauth2-token && man -w oauth2-profile-add")
    assert proc.returncode == 0, proc.stderr
    version, token, profile_add = proc.stdout.splitlines()
    assert version == f"oauth2 {__version__}"
    assert token == f"{wheel_venv['VENV']}/share/man/man1/oauth2-token.1"
    assert profile_add == f"{wheel_venv['VENV']}/share/man/man1/oauth2-profile-add.1"
    # Without the venv on PATH man knows nothing of them: it is the PATH that finds them.
    outside = sh(dict(wheel_venv, PATH="/usr/bin:/bin"), "man -w oauth2-token")
    assert outside.returncode != 0


def test_every_man_page_and_completion_is_in_the_venv(wheel_venv):
    share = Path(wheel_venv["VENV"]) / "share"
    pages = sorted(p.name for p in (ROOT / "man").glob("*.1"))
    assert sorted(p.name for p in (share / "man/man1").iterdir()) == pages
    assert (share / "bash-completion/completions/oauth2").read_text() == (ROOT / "completions/oauth2.bash").read_text()
    assert (share / "zsh/site-functions/_oauth2").read_text() == (ROOT / "completions/_oauth2").read_text()
    assert (share / "fish/vendor_completions.d/oauth2.fish").read_text() == (ROOT / "completions/oauth2.fish").read_text()


@pytest.mark.skipif(TMUX is None or not BASH_COMPLETION.exists(), reason="needs tmux and bash-completion")
def test_bash_completion_loads_the_shipped_file_from_the_prefix(wheel_venv):
    # bash-completion looks in $XDG_DATA_DIRS/bash-completion/completions: a venv's share/ named there
    # (as /usr/local/share is by default, for a pip install into /usr/local) needs nothing else.
    rc = Path(wheel_venv["HOME"]) / ".bashrc"
    rc.write_text(f"source {BASH_COMPLETION}\nPS1='$ '\n")
    env = {k: wheel_venv[k] for k in ("HOME", "PATH", "LANG") if k in wheel_venv}
    env["XDG_DATA_DIRS"] = f"{wheel_venv['VENV']}/share:/usr/local/share:/usr/share"
    with TmuxPane(shell=["bash"], env=env) as pane:
        pane.type("oauth2 to")
        pane.keys("Tab")
        pane.wait_for("oauth2 token")

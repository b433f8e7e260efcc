"""scripts/mkvenv on a Python without ensurepip (Debian without python3-venv): pip comes from PyPI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.install.conftest import REAL_HOME, ROOT, emulated_debian_python

MKVENV = ROOT / "scripts" / "mkvenv"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in ("PIP_CERT", "PIP_INDEX_URL")}
    env.pop("PYTHONPATH", None)
    return dict(env, HOME=REAL_HOME, **extra)


def test_pip_is_fetched_from_the_index_and_checked(tmp_path):
    python = emulated_debian_python(tmp_path / "python")
    venv = tmp_path / "venv"
    proc = subprocess.run([str(python), str(MKVENV), str(venv)], env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"mkvenv: {python} has no ensurepip (Debian's python3-venv is not installed); putting pip into {venv} "
        "from its wheel"]
    pip = subprocess.run([str(venv / "bin/python"), "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.returncode == 0 and str(venv) in pip.stdout


def test_no_index_and_no_wheel_is_one_clear_line(tmp_path):
    python = emulated_debian_python(tmp_path / "python")
    empty = tmp_path / "links"
    empty.mkdir()
    proc = subprocess.run([str(python), str(MKVENV), str(tmp_path / "venv")],
                          env=_env(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(empty)), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        "mkvenv: PIP_NO_INDEX is set and no pip wheel is in PIP_FIND_LINKS; put one there, or install your "
        "system's python3-venv package")
    assert "Traceback" not in proc.stderr


def test_an_unreachable_index_is_one_clear_line(tmp_path):
    python = emulated_debian_python(tmp_path / "python")
    # a loopback port nothing listens on: refused at once
    proc = subprocess.run([str(python), str(MKVENV), str(tmp_path / "venv")],
                          env=_env(PIP_INDEX_URL="http://127.0.0.1:9/simple"), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    last = proc.stderr.splitlines()[-1]
    assert last.startswith("mkvenv: could not fetch pip from http://127.0.0.1:9/simple (")
    assert last.endswith("install your system's python3-venv package, or set PIP_INDEX_URL to a reachable index")
    assert "Traceback" not in proc.stderr

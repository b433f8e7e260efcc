"""The README's two commands and CI agree: the test command is what .ci/run runs, the package list is its list."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```\n(.+?)\n```", section, re.S)]


def ci_packages() -> list[str]:
    return re.search(r"^for pkg in ([^;]+); do$", CI, re.M).group(1).split()


def test_ci_runs_the_readmes_test_command_exactly():
    install, test = quick_start_commands()[:2]
    assert test == "scripts/test"
    commands = [line for line in CI.splitlines() if line and not line.startswith((" ", "#", "\t"))]
    assert commands[-1] == test, "the last thing .ci/run does is the README's test command"


def test_readme_lists_exactly_the_packages_ci_installs():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    listed = re.search(r"first installs these Debian packages[^:]*:(.+?)\.\n", section, re.S).group(1)
    assert re.findall(r"`([^`]+)`", listed) == ci_packages()


def test_scripts_parse_and_are_executable():
    for name in ("scripts/install", "scripts/mkvenv", "scripts/test", ".ci/run"):
        path = ROOT / name
        assert path.stat().st_mode & 0o111, f"{name} is not executable"
    for name in ("scripts/test", ".ci/run"):
        assert subprocess.run(["bash", "-n", str(ROOT / name)]).returncode == 0
    for name in ("scripts/install", "scripts/mkvenv"):
        compile((ROOT / name).read_text(), name, "exec")


def test_install_help_names_its_options():
    proc = subprocess.run([str(ROOT / "scripts" / "install"), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for option in ("--from", "--method", "--bin-dir", "--uninstall", "--force"):
        assert option in proc.stdout


def test_scripts_test_names_a_python_that_does_not_run_and_keeps_venv():
    venv_python = ROOT / ".venv" / "bin" / "python"
    before = venv_python.lstat() if venv_python.is_symlink() or venv_python.exists() else None
    env = {k: v for k, v in os.environ.items() if k != "OAUTH2CLI_TEST_SESSION"}
    proc = subprocess.run([str(ROOT / "scripts" / "test")], env=dict(env, PYTHON="/nonexistent/python3"),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "scripts/test: PYTHON=/nonexistent/python3 does not run here; name an interpreter that does, "
        "e.g. PYTHON=/usr/bin/python3.12 scripts/test"]
    after = venv_python.lstat() if venv_python.is_symlink() or venv_python.exists() else None
    assert (before and (before.st_ino, before.st_mtime)) == (after and (after.st_ino, after.st_mtime))

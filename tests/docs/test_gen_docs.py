"""scripts/gen-docs: the committed completions and man pages are what the command tree gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oauth2cli.commands.completion import FILES, SHELLS
from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "scripts" / "gen-docs"


def gen_docs(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "scripts" / "gen-docs"), *args],
                          capture_output=True, text=True, timeout=60)


def test_committed_files_are_up_to_date():
    started = time.monotonic()
    proc = gen_docs(ROOT, "--check")
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 10


def test_gen_docs_is_executable():
    assert GEN.stat().st_mode & 0o111


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A throw-away copy of the parts gen-docs reads and writes."""
    dest = tmp_path / "repo"
    for name in ("oauth2cli", "scripts", "man", "completions"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "README.md", dest / "README.md")
    return dest


def test_check_names_what_is_stale_and_writing_repairs_it(copy: Path):
    (copy / "man" / "oauth2-token.1").write_text("old\n")
    (copy / "completions" / "_oauth2").unlink()
    (copy / "man" / "oauth2-removed.1").write_text("a command that is gone\n")
    proc = gen_docs(copy, "--check")
    assert proc.returncode == 1
    assert "man/oauth2-token.1: differs" in proc.stderr
    assert "completions/_oauth2: missing" in proc.stderr
    assert "man/oauth2-removed.1: no such command any more" in proc.stderr
    assert (copy / "man" / "oauth2-token.1").read_text() == "old\n", "--check must change nothing"

    assert gen_docs(copy).returncode == 0
    assert gen_docs(copy, "--check").returncode == 0
    assert not (copy / "man" / "oauth2-removed.1").exists()


def test_a_new_option_makes_the_check_fail(copy: Path):
    # The generator follows the code: a help text changed in the option table shows up as stale.
    module = copy / "oauth2cli" / "cmdline" / "tree.py"
    text = module.read_text()
    changed = text.replace("'Show every profile", "'Changed: show every profile", 1)
    assert changed != text, "tree.py has no short help of status to change"
    module.write_text(changed)
    proc = gen_docs(copy, "--check")
    assert proc.returncode == 1 and "man/oauth2-status.1" in proc.stderr


def test_output_is_deterministic(copy: Path):
    first = {p: p.read_bytes() for p in sorted((copy / "man").iterdir())}
    assert gen_docs(copy).returncode == 0
    assert {p: p.read_bytes() for p in sorted((copy / "man").iterdir())} == first


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_command_prints_the_committed_script(shell):
    result = run_cli("completion", shell)
    assert result.code == 0, result
    assert result.stdout == (ROOT / "completions" / FILES[shell]).read_text("utf-8")


def test_completion_of_an_unknown_shell_is_a_usage_error():
    result = run_cli("completion", "tcsh")
    assert result.code == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.stderr

"""The README's install line, run literally on an emulated fresh Debian 12 (see conftest.py).

One install per session: the tests below read what it left, in file order; the last one upgrades
and then uninstalls.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oauth2cli import __version__
from tests.install.conftest import INSTALL, ROOT, Machine
from tests.support.tmux import TMUX, TmuxPane

README = ROOT / "README.md"


def readme_install_line() -> str:
    """The first command of the README's Quick start: the one that installs and runs oauth2."""
    section = README.read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```\n(.+?)\n```", section, re.S).group(1).strip()


@pytest.fixture(scope="session")
def installed(machine: Machine) -> subprocess.CompletedProcess:
    line = readme_install_line()
    proc = machine.run(line)
    assert proc.returncode == 0, f"`{line}` failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_the_machine_is_a_fresh_debian(machine: Machine):
    # What makes the old `python3 -m pip install .` fail there: no pip, no ensurepip, PEP 668.
    proc = machine.run("python3 -m pip --version; python3 -c 'import ensurepip'; "
                       "python3 -c 'import sysconfig; print(sysconfig.get_path(\"stdlib\"))'")
    assert "No module named pip" in proc.stderr
    assert "No module named 'ensurepip'" in proc.stderr
    assert (Path(proc.stdout.strip()) / "EXTERNALLY-MANAGED").exists()
    # Its stdlib is the emulated one, not the real interpreter's (which has ensurepip).
    assert Path(proc.stdout.strip()).is_relative_to(machine.root)
    assert machine.run("command -v oauth2 pipx uv").stdout == ""
    assert ".local/bin" not in machine.env["PATH"]


@pytest.mark.skipif(not Path("/usr/lib/python3/dist-packages/pip").exists(), reason="needs Debian's python3-pip")
def test_debian_pip_refuses_the_old_readme_command(machine: Machine):
    # The README used to say `python3 -m pip install .`: with Debian's pip it stops at PEP 668.
    # --dry-run: should a machine lack the marker, nothing lands in its system Python
    proc = machine.run("/usr/bin/python3 -m pip install --dry-run --no-deps .")
    assert proc.returncode != 0 and "externally-managed-environment" in proc.stderr


def test_the_readme_line_installs_and_runs_oauth2(installed, machine: Machine):
    assert readme_install_line() == "scripts/install && ~/.local/bin/oauth2 --help"
    assert "Usage: oauth2" in installed.stdout and "token" in installed.stdout
    assert f"installed oauth2 {__version__} with venv: ~/.local/bin/oauth2" in installed.stderr
    assert "has no ensurepip" in installed.stderr  # the venv got pip from its wheel (test_mkvenv.py: from PyPI)
    # It says that ~/.local/bin is not on PATH (and that Debian's ~/.profile adds it at login).
    assert "~/.local/bin is not on PATH (your ~/.profile adds it at the next login)" in installed.stderr
    assert "Traceback" not in installed.stderr
    venv = machine.home / ".local/share/oauth2cli/venv"
    stdlib = machine.run([str(venv / "bin/python"), "-c", "import os; print(os.__file__)"]).stdout.strip()
    assert Path(stdlib).is_relative_to(machine.root), "the venv runs on the emulated Python"
    assert (machine.home / ".local/bin/oauth2").resolve() == (venv / "bin/oauth2").resolve()
    # The emulated system Python got nothing: PEP 668 is respected, not bypassed.
    assert list((machine.python.parent.parent / "lib").glob("python3*/site-packages/*")) == []


def test_a_new_login_shell_finds_oauth2_and_its_man_pages(installed, machine: Machine):
    proc = machine.run("oauth2 --version && man -w oauth2-token && man -w oauth2", login=True)
    assert proc.returncode == 0, proc.stderr
    version, token_page, page = proc.stdout.splitlines()
    assert version == f"oauth2 {__version__}"
    assert token_page.endswith("/man1/oauth2-token.1") and token_page.startswith(str(machine.home))
    assert page.endswith("/man1/oauth2.1")
    rendered = machine.run("MANPAGER=cat MANWIDTH=80 man oauth2-token", login=True)
    assert rendered.returncode == 0 and "oauth2 token" in rendered.stdout and "--client-id" in rendered.stdout



def test_man_finds_a_page_for_every_alias(installed, machine: Machine):
    # `oauth2 --help` lists `login` as an alias of `authorize`; `man oauth2-login` shows that page.
    rendered = machine.run("MANPAGER=cat MANWIDTH=80 man oauth2-login", login=True)
    assert rendered.returncode == 0, rendered.stderr
    assert "oauth2-authorize" in rendered.stdout and "oauth2 login" in rendered.stdout


def _follow_hint(installed, prefix: str) -> str | None:
    """The line the installer told the user to add (None when it said nothing for that shell)."""
    for line in installed.stderr.splitlines():
        if line.startswith(f"scripts/install: {prefix}"):
            return line
    return None


@pytest.mark.skipif(TMUX is None, reason="needs tmux")
def test_a_new_bash_completes_oauth2_to(installed, machine: Machine):
    hint = _follow_hint(installed, "bash: ")
    if hint is not None:  # no bash-completion package: do what the installer said
        line = hint.split("this line in ~/.bashrc: ", 1)[1]
        with open(machine.home / ".bashrc", "a") as rc:
            rc.write(f"\n{line}\n")
    with open(machine.home / ".bashrc", "a") as rc:
        rc.write("PS1='$ '\n")  # the prompt TmuxPane waits for; Debian's .bashrc sets its own
    env = {k: machine.env[k] for k in ("HOME", "PATH", "LANG") if k in machine.env}
    with TmuxPane(shell=["bash", "-l"], env=env) as pane:
        pane.wait_for("$")
        pane.type("oauth2 to")
        pane.keys("Tab")
        pane.wait_for("oauth2 token")



@pytest.mark.skipif(not Path("/usr/share/bash-completion/bash_completion").exists(), reason="needs bash-completion")
def test_an_empty_home_is_told_the_line_that_loads_bash_completion(installed, machine: Machine, dist):
    # No ~/.bashrc: nothing loads bash-completion in a plain bash, so the installer names the line.
    bashrc = machine.home / ".bashrc"
    kept = bashrc.read_text() if bashrc.exists() else None
    bashrc.unlink(missing_ok=True)
    try:
        proc = machine.run([str(INSTALL), "--from", str(dist["wheel"])])
    finally:
        if kept is not None:
            bashrc.write_text(kept)
    assert proc.returncode == 0, proc.stderr
    assert ("scripts/install: bash: bash-completion is installed but no startup file loads it, so a plain bash "
            "does not complete oauth2; add this line in ~/.bashrc: source /usr/share/bash-completion/bash_completion"
            ) in proc.stderr.splitlines()


@pytest.mark.skipif(TMUX is None or shutil.which("zsh") is None, reason="needs tmux and zsh")
def test_a_new_zsh_completes_oauth2_to(installed, machine: Machine):
    fpath = _follow_hint(installed, "zsh: ")
    assert fpath is not None, "the installer must say how zsh finds the completion"
    path_hint = _follow_hint(installed, "~/.local/bin is not on PATH")
    export = re.search(r"(export PATH=\"[^\"]+\")", path_hint).group(1)
    fpath_line = fpath.split("add ", 1)[1].split(" to ~/.zshrc", 1)[0]
    (machine.home / ".zshrc").write_text(f"{export}\n{fpath_line}\nautoload -Uz compinit && compinit\nPS1='$ '\n")
    env = {k: machine.env[k] for k in ("HOME", "PATH", "LANG") if k in machine.env}
    with TmuxPane(shell=["zsh"], env=env) as pane:
        pane.wait_for("$")
        pane.type("oauth2 to")
        pane.keys("Tab")
        pane.wait_for("oauth2 token")


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (CI installs it)")
def test_a_new_fish_completes_oauth2_to(installed, machine: Machine):
    # fish loads ~/.config/fish/completions by itself; PATH as `fish_add_path` would set it
    proc = machine.run(["fish", "-c", "fish_add_path -g ~/.local/bin; complete -C 'oauth2 to'"])
    assert proc.returncode == 0, proc.stderr
    assert [line.split("\t")[0] for line in proc.stdout.splitlines()] == ["token"]


def _wheel_with_version(tmp_path: Path, version: str, drop_page: str) -> Path:
    """A newer release of this checkout, with one man page fewer (a command that went away)."""
    src = tmp_path / "src"
    for name in ("oauth2cli", "man", "completions"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    init = src / "oauth2cli" / "__init__.py"
    init.write_text(init.read_text().replace(f'__version__ = "{__version__}"', f'__version__ = "{version}"'))
    (src / "man" / drop_page).unlink()
    proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir",
                           str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return next((tmp_path / "dist").glob("*.whl"))


def test_rerun_upgrades(installed, machine: Machine, tmp_path):
    home = machine.home
    manifest = json.loads((home / ".local/share/oauth2cli/install.json").read_text())
    made = [Path(p) for p in manifest["files"]]
    assert home / ".local/bin/oauth2" in made
    assert home / ".local/share/man/man1/oauth2-status.1" in made
    assert home / ".config/fish/completions/oauth2.fish" in made
    # A profile made meanwhile must outlive upgrades and the uninstall.
    profile = machine.run("~/.local/bin/oauth2 profile add work --token-url https://id.example/token "
                          "--client-id cli")
    assert profile.returncode == 0, profile.stderr

    newer = _wheel_with_version(tmp_path, "99.0.0", "oauth2-status.1")
    upgrade = machine.run([str(INSTALL), "--from", str(newer)])
    assert upgrade.returncode == 0, upgrade.stderr
    assert "mkvenv" not in upgrade.stderr, "an upgrade reuses the venv"
    assert machine.run("oauth2 --version", login=True).stdout.strip() == "oauth2 99.0.0"
    assert not (home / ".local/share/man/man1/oauth2-status.1").is_symlink(), "a page that went away is unlinked"
    assert machine.run("man -w oauth2-token", login=True).returncode == 0


def test_a_file_of_the_users_in_the_way_is_left_alone(installed, machine: Machine, dist):
    page = machine.home / ".local/share/man/man1/oauth2-status.1"
    page.write_text("mine\n")
    proc = machine.run([str(INSTALL), "--from", str(dist["wheel"])])  # this checkout's: it has that page
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        "scripts/install: ~/.local/share/man/man1/oauth2-status.1 exists and was not put there by "
        "scripts/install: left as it is; move it away and run again (or use --force)")
    assert page.read_text() == "mine\n"
    # Everything else is in place, and the version is this checkout's again.
    assert machine.run("oauth2 --version", login=True).stdout.strip() == f"oauth2 {__version__}"
    page.unlink()
    # The same version again repairs what was damaged meanwhile (pip alone would skip it).
    preset = next((machine.home / ".local/share/oauth2cli/venv/lib").glob("python3*/site-packages/oauth2cli/providers/github.toml"))
    preset.unlink()
    assert machine.run([str(INSTALL), "--from", str(dist["wheel"])]).returncode == 0
    assert page.is_symlink()
    assert preset.exists()


def test_uninstall(installed, machine: Machine):
    home = machine.home
    manifest = json.loads((home / ".local/share/oauth2cli/install.json").read_text())
    added = machine.run("oauth2 profile add gitwork --token-url https://id.example/token --client-id cli "
                        "&& oauth2 setup-git gitwork --host git.example.com", login=True)
    assert added.returncode == 0, added.stderr
    assert "oauth2 git-credential -p gitwork" in (home / ".gitconfig").read_text()
    status = json.loads(machine.run("oauth2 status --json", login=True).stdout)["store"]
    store = status["name"].split("(", 1)[1].rstrip(")") if status["backend"] == "file" else status["name"]
    store = store.replace(str(home), "~", 1)
    proc = machine.run([str(INSTALL), "--uninstall"])
    assert proc.returncode == 0, proc.stderr
    assert "removed oauth2 (venv)" in proc.stderr and "profiles in ~/.config/oauth2cli" in proc.stderr
    # What setup-git wrote goes too (git would fail on `!oauth2` and ask no other helper), and the
    # line says where the tokens really are and what else stays.
    assert "the git credential helper of https://git.example.com (`oauth2 setup-git`)" in proc.stderr
    assert "helper" not in (home / ".gitconfig").read_text()
    assert f"secrets and tokens in {store}," in proc.stderr
    assert "cached metadata in ~/.cache/oauth2cli" in proc.stderr
    assert "refresh locks in ~/.local/state/oauth2cli" in proc.stderr
    for path in manifest["files"]:
        assert not Path(path).exists() and not Path(path).is_symlink(), path
    assert not (home / ".local/share/oauth2cli/venv").exists()
    assert not (home / ".local/share/oauth2cli/install.json").exists()
    assert (home / ".config/oauth2cli/config.toml").exists(), "profiles are kept"
    assert machine.run("command -v oauth2; man -w oauth2-token", login=True).stdout == ""
    again = machine.run([str(INSTALL), "--uninstall"])
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        "scripts/install: nothing to uninstall: ~/.local/share/oauth2cli/install.json is missing "
        "(no earlier scripts/install here)"]

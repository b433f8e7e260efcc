"""man/: every command has a page, pages render without groff warnings, the overview is complete."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from oauth2cli.core.errors import ExitCode
from tests.docs.tree import commands, options

ROOT = Path(__file__).resolve().parents[2]
MAN = ROOT / "man"
PAGES = sorted(MAN.glob("*.1"))
COMMANDS = commands()


def page_for(path: str) -> Path:
    return MAN / (path.replace(" ", "-") + ".1")


def test_every_command_has_a_page():
    for path, _, _ in COMMANDS:
        assert page_for(path).exists(), f"no man page for {path}"
    from oauth2cli.cli import ALIASES

    # and one link page per alias: `man oauth2-login` is authorize's page (issue #28 row 5)
    assert len(PAGES) == len(COMMANDS) + len(ALIASES)
    for alias, target in ALIASES.items():
        assert (MAN / f"oauth2-{alias}.1").read_text() == f".so man1/oauth2-{target}.1\n"


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed (CI installs it)")
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_groff_renders_without_warnings(page):
    link = page.read_text()
    if link.startswith(".so "):  # an alias: man (run in the man root) reads the page it names
        page = MAN / Path(link.split()[1]).name
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


@pytest.mark.skipif(shutil.which("man") is None, reason="man-db is not installed (CI installs it)")
def test_man_shows_the_overview():
    env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat")
    proc = subprocess.run(["man", "--warnings", "-l", str(MAN / "oauth2.1")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = proc.stdout
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS", "ENVIRONMENT", "FILES",
                    "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
        assert re.search(rf"^{heading}$", text, re.M), f"no {heading} section"
    assert "$ oauth2 login github" in text
    # Prose wraps at MANWIDTH; only example command lines may run longer.
    assert all(len(line) <= 80 for line in text.splitlines() if not line.strip().startswith("$"))


def section(text: str, name: str) -> str:
    return text.split(f".SH {name}\n", 1)[1].split("\n.SH ", 1)[0]


def test_overview_lists_every_command_environment_variable_and_exit_code():
    text = (MAN / "oauth2.1").read_text()
    listed = section(text, "COMMANDS")
    for path, _, _ in COMMANDS[1:]:
        name = path[len('oauth2 '):].replace("-", "\\-")  # roff spells a hyphen \-
        assert f"\\fB{name}\\fR" in listed, f"{path} missing from oauth2(1) COMMANDS"
    env = section(text, "ENVIRONMENT")
    for path, option in options():
        for var in [option.envvar] if isinstance(option.envvar, str) else list(option.envvar or ()):
            assert f"\\fB{var}\\fR" in env, f"{var} ({path}) missing from ENVIRONMENT"
    for var in ("OAUTH2_CLIENT_SECRET", "OAUTH2CLI_CONFIG", "NO_COLOR", "XDG_CONFIG_HOME"):
        assert f"\\fB{var}\\fR" in env
    codes = re.findall(r"^\.TP\n\\fB(\d+)\\fR$", section(text, "EXIT STATUS"), re.M)
    assert sorted(map(int, codes)) == sorted(int(c) for c in ExitCode)
    assert "config.toml" in section(text, "FILES")


def test_exit_codes_are_the_readmes():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", table, re.M)
    text = (MAN / "oauth2.1").read_text()
    assert rows
    for code, meaning in rows:
        plain = meaning.replace("`", "")
        rendered = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou"], input=text, capture_output=True,
                                  text=True).stdout if shutil.which("groff") else plain
        assert " ".join(plain.split()[:4]) in " ".join(rendered.split()), f"exit code {code} differs from the README"


@pytest.mark.parametrize("path,command,ctx", COMMANDS[1:], ids=[p for p, _, _ in COMMANDS[1:]])
def test_each_page_documents_every_option_and_the_examples(path, command, ctx):
    text = page_for(path).read_text()
    for option in command.params:
        if option.param_type_name == "option" and not option.hidden and "--help" not in option.opts:
            flag = max(option.opts, key=len).replace("-", "\\-")
            assert f"\\fB{flag}\\fR" in text, f"{path}: {flag} not in its man page"
    assert ".SH EXAMPLES" in text and "$ oauth2 " in section(text, "EXAMPLES").replace("\\-", "-")

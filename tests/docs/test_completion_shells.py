"""TAB in real shells: the committed scripts load in bash, zsh and fish and complete values."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from oauth2cli.core.grants import names as grant_names
from tests.support.shim import oauth2_bin, path_with
from tests.support.tmux import TMUX, TmuxPane

ROOT = Path(__file__).resolve().parents[2]
COMPLETIONS = ROOT / "completions"
PROFILES = ("home-lab", "work", "workshop")


@pytest.fixture
def shell_env(isolate: Path, tmp_path: Path) -> dict[str, str]:
    """An environment with `oauth2` on PATH and a config with three profiles."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("".join(f'[profiles.{name}]\nissuer = "https://{name}.example"\n\n' for name in PROFILES))
    return dict(os.environ, PATH=path_with(oauth2_bin(tmp_path / "bin")))


def bash_complete(env: dict[str, str], *words: str) -> list[str]:
    """Source completions/oauth2.bash, fill COMP_WORDS/COMP_CWORD as bash does on TAB, read COMPREPLY."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    script = (
        f"source {COMPLETIONS / 'oauth2.bash'}\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
        "_oauth2_completion oauth2 2>/dev/null\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env, capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


def test_bash_registers_the_function(shell_env):
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                           f"source {COMPLETIONS / 'oauth2.bash'} && complete -p oauth2"],
                          env=shell_env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "-F _oauth2_completion" in proc.stdout


@pytest.mark.parametrize("words,expected", [
    (("oauth2", "token", ""), list(PROFILES)),
    (("oauth2", "token", "wo"), ["work", "workshop"]),
    (("oauth2", "login", "h"), ["home-lab"]),
    (("oauth2", "token", "--grant", ""), list(grant_names())),
    (("oauth2", "token", "--output", ""), ["token", "json", "header", "env"]),
    (("oauth2", "token", "--auth-method", "client_secret_"), None),
    (("oauth2", "pro"), ["profile"]),
    (("oauth2", "completion", ""), ["bash", "zsh", "fish"]),
], ids=["profiles", "prefix", "alias", "grants", "output", "auth-method", "command", "shells"])
def test_bash_completes_values(shell_env, words, expected):
    got = bash_complete(shell_env, *words)
    if expected is None:
        assert got and all(m.startswith("client_secret_") for m in got) and "client_secret_basic" in got
    else:
        assert got == expected


def test_bash_completes_options(shell_env):
    got = bash_complete(shell_env, "oauth2", "token", "--cl")
    assert {"--client-id", "--client-secret-env", "--client-secret-file"} <= set(got)


def test_a_broken_config_completes_nothing_and_prints_nothing(shell_env):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.write_text("[profiles.work\n")
    assert bash_complete(shell_env, "oauth2", "token", "") == []
    assert config.read_text() == "[profiles.work\n"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (CI installs it)")
def test_fish_completes_profiles_and_files(shell_env, tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "client.pem").write_text("x")
    (keys / "client.jwk").write_text("x")

    def fish(line: str) -> list[str]:
        proc = subprocess.run(["fish", "--no-config", "-c",
                               f"source {COMPLETIONS / 'oauth2.fish'}; complete -C {line!r}"],
                              env=shell_env, capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        return [l.split("\t")[0] for l in proc.stdout.splitlines()]

    assert fish("oauth2 token ") == list(PROFILES)
    assert fish("oauth2 token --grant client") == ["client_credentials"]
    assert sorted(fish(f"oauth2 token --private-key {keys}/client.")) == [f"{keys}/client.jwk", f"{keys}/client.pem"]
    commands = fish("oauth2 ")
    assert "token" in commands and "profile" in commands
    # Help texts with commas survive: the description after the tab is whole.
    described = subprocess.run(["fish", "--no-config", "-c", f"source {COMPLETIONS / 'oauth2.fish'}; complete -C 'oauth2 re'"],
                               env=shell_env, capture_output=True, text=True).stdout
    assert "Force a refresh_token grant and save the new tokens." in described


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (CI installs it)")
def test_zsh_loads_the_function_with_compinit(shell_env, tmp_path):
    script = (
        f"fpath=({COMPLETIONS} $fpath); autoload -Uz compinit; compinit -u -d {tmp_path}/zcompdump; "
        "print -r -- ${_comps[oauth2]}"
    )
    proc = subprocess.run(["zsh", "-f", "-c", script], env=shell_env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert proc.stdout.strip() == "_oauth2"


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (CI installs it)")
def test_zsh_protocol_answers_with_descriptions(shell_env):
    env = dict(shell_env, _OAUTH2_COMPLETE="zsh_complete", COMP_WORDS="oauth2 token ", COMP_CWORD="2")
    proc = subprocess.run(["oauth2"], env=env, capture_output=True, text=True, timeout=30)
    lines = proc.stdout.splitlines()
    assert [lines[i + 1] for i in range(0, len(lines), 3) if lines[i] == "plain"] == list(PROFILES)


@pytest.mark.skipif(TMUX is None or shutil.which("zsh") is None, reason="needs tmux and zsh")
def test_tab_in_an_interactive_zsh(shell_env, tmp_path):
    env = {k: shell_env[k] for k in ("PATH", "XDG_CONFIG_HOME", "PYTHONPATH", "HOME") if k in shell_env}
    with TmuxPane(shell=["zsh", "-f"], env=dict(env, PS1="$ ")) as pane:
        pane.type(f"fpath=({COMPLETIONS} $fpath); autoload -Uz compinit; compinit -u -d {tmp_path}/dump; clear",
                  enter=True)
        pane.wait_for("$")
        pane.type("oauth2 token h")
        pane.keys("Tab")
        pane.wait_for("oauth2 token home-lab")
        pane.keys("C-u")
        pane.type("oauth2 token wo")
        pane.keys("Tab")  # the common prefix of work and workshop
        pane.wait_for("oauth2 token work")
        pane.keys("Tab")  # then the list of both
        screen = pane.wait_for("workshop")
        assert "home-lab" not in screen.split("oauth2 token work", 1)[1]


@pytest.mark.skipif(TMUX is None, reason="needs tmux")
def test_tab_in_an_interactive_bash(shell_env):
    env = {k: shell_env[k] for k in ("PATH", "XDG_CONFIG_HOME", "PYTHONPATH", "HOME") if k in shell_env}
    with TmuxPane(env=env) as pane:
        pane.type(f"source {COMPLETIONS / 'oauth2.bash'}; clear", enter=True)
        pane.wait_for("$")
        pane.type("oauth2 login hom")
        pane.keys("Tab")
        pane.wait_for("oauth2 login home-lab")

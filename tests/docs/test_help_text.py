"""Help cannot fall behind the code: every command and option explains itself, with examples."""

from __future__ import annotations

import click
import pytest

from oauth2cli.cli.params import PRESET, PROFILE, PresetName, ProfileName
from tests.docs.tree import commands, options

COMMANDS = commands()
OPTIONS = options()


def test_the_walk_sees_the_whole_tree():
    # The walker is not blind: it reaches nested subcommands and shared options.
    paths = [path for path, _, _ in COMMANDS]
    assert {"oauth2", "oauth2 token", "oauth2 profile", "oauth2 completion"} <= set(paths)
    assert any(path.startswith("oauth2 profile ") for path in paths)
    assert "oauth2 token --client-secret-file" in dict(OPTIONS)


@pytest.mark.parametrize("path,command", [(p, c) for p, c, _ in COMMANDS], ids=[p for p, _, _ in COMMANDS])
def test_every_command_has_help_and_an_example(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"
    assert command.get_short_help_str(limit=200).strip(), f"{path} has no short help"
    assert "$ oauth2 " in (command.help or ""), f"`{path} --help` shows no `$ oauth2 …` example"
    # click prints text after \b verbatim: the examples must be in such a block, to keep their lines.
    assert "\b\n" in command.help and "Examples:" in command.help, f"{path}: examples need a '\\b' + 'Examples:' block"


@pytest.mark.parametrize("path,option", OPTIONS, ids=[p for p, _ in OPTIONS])
def test_every_option_has_help(path, option):
    assert (option.help or "").strip(), f"{path} has no help text"


@pytest.mark.parametrize("path,option", OPTIONS, ids=[p for p, _ in OPTIONS])
def test_path_options_complete_file_names(path, option):
    # TAB after an option that takes a file must offer files: that needs click.Path (or File).
    wants_path = (option.metavar or "").upper() in {"PATH", "FILE", "DIR"} or option.name.endswith(("_file", "_path"))
    if wants_path:
        assert isinstance(option.type, (click.Path, click.File)), f"{path} takes a path but is {option.type!r}"


@pytest.mark.parametrize("path,option", OPTIONS, ids=[p for p, _ in OPTIONS])
def test_profile_and_preset_values_complete(path, option):
    if option.name in {"profile"}:
        assert isinstance(option.type, ProfileName), f"{path} should use params.PROFILE to complete names"
    if option.name in {"preset"}:
        assert isinstance(option.type, PresetName), f"{path} should use params.PRESET to complete names"


def test_profile_arguments_complete_names():
    for path, command, _ in COMMANDS:
        for param in command.params:
            if isinstance(param, click.Argument) and param.name == "profile":
                assert param.type is PROFILE or isinstance(param.type, ProfileName), path
    assert PRESET.name == "preset"

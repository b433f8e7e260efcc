"""The fast paths of oauth2cli/entry.py answer before click loads, exactly as click would, and
import only what they need; config.toml's parsed form is remembered (store/view.py, store/memo.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


from tests.support.startup import lean_violations, run_click, run_entry, write_config


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_clicks_line_without_click(flag):
    stdout, _, code, modules = run_entry(flag)
    assert (stdout, code) == (run_click(flag)[0], 0)
    assert stdout.startswith("oauth2 ")
    assert lean_violations(modules) == []


TAB_CASES = [
    ("oauth2 ", 1), ("oauth2 to", 1), ("oauth2 lo", 1), ("oauth2 zz", 1), ("oauth2 token ", 2),
    ("oauth2 token w", 2), ("oauth2 login ", 2), ("oauth2 revoke c", 2), ("oauth2 userinfo nope", 2),
]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("words,cword", TAB_CASES, ids=[w.strip().replace(" ", "_") for w, _ in TAB_CASES])
def test_tab_on_commands_and_profiles_answers_as_click_does_without_click(shell, words, cword):
    write_config('default = "work"\n[profiles.work]\nissuer = "https://id.example"\n[profiles.ci]\nclient_id = "x"\n'
                  '[profiles."with:colon"]\nclient_id = "y"\n')
    from oauth2cli.store import view

    view.read_config(dict(os.environ), now_ns=_settled())  # remembered, as after the first TAB
    env = dict(os.environ, _OAUTH2_COMPLETE=f"{shell}_complete", COMP_WORDS=words,
               COMP_CWORD=(words.split(" ")[-1] if shell == "fish" else str(cword)))
    stdout, stderr, code, modules = run_entry(env=env)
    assert stdout == run_click(env=env)[0], stderr
    assert code == 0 and "click" not in modules
    assert lean_violations(modules) == []


@pytest.mark.parametrize("config", ["[profiles\nbroken", "profiles = 3\n", "[profiles]\nwork = 1\n", None],
                         ids=["bad-toml", "not-a-table", "not-tables", "no-config"])
def test_tab_on_profiles_with_a_broken_or_missing_config_is_clicks_answer(config):
    if config is not None:
        write_config(config)
    env = dict(os.environ, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS="oauth2 token ", COMP_CWORD="2")
    stdout, _, code, modules = run_entry(env=env)
    assert stdout == run_click(env=env)[0] == "\n"
    assert code == 0 and "click" not in modules


@pytest.mark.parametrize("words,cword", [("oauth2 token --grant x --", 4), ("oauth2 -v to", 2),
                                         ("oauth2 token --grant ", 3), ("oauth2 profile show ", 3),
                                         ("oauth2 token 'w", 2), ("oauth2 profile --", 2), ("oauth2 token --grant=", 2)],
                         ids=["option-after-options", "root-option", "option-value", "subcommand", "quoted", "group",
                              "option-equals"])
def test_other_tabs_go_to_click_with_the_same_answer(words, cword):
    write_config('[profiles.work]\nissuer = "https://id.example"\n')
    env = dict(os.environ, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(cword))
    stdout, _, code, modules = run_entry(env=env)
    assert "click" in modules
    assert stdout == run_click(env=env)[0]


OPTION_TABS = [(shell, f"oauth2 {name} {incomplete}") for shell, incomplete in
               (("bash", "--"), ("bash", "-"), ("bash", "--h"), ("zsh", "--"), ("fish", "--c"))
               for name in ("token", "call", "status", "exec", "login")]


@pytest.mark.parametrize("shell,words", OPTION_TABS, ids=[f"{s}-{w[7:].replace(' ', '_')}" for s, w in OPTION_TABS])
def test_tab_on_a_commands_options_answers_from_the_option_table_as_click_does(shell, words):
    """Right after a command, its options (and their help, for zsh and fish) come from the option table."""
    env = dict(os.environ, _OAUTH2_COMPLETE=f"{shell}_complete", COMP_WORDS=words,
               COMP_CWORD=(words.split(" ")[-1] if shell == "fish" else "2"))
    stdout, stderr, code, modules = run_entry(env=env)
    assert stdout == run_click(env=env)[0], stderr
    assert code == 0 and "click" not in modules and lean_violations(modules) == []


def test_the_option_answer_is_clicks_on_every_command():
    """The whole tree, in process: tab.option_items against click's own shell_complete."""
    from oauth2cli.cli import ALIASES, COMMANDS, cli
    from oauth2cli.cli.tab import option_items

    for name in (*COMMANDS, *ALIASES):
        for incomplete in ("-", "--", "--c", "-h"):
            ours = option_items(name, incomplete)
            if ours is None:
                continue
            ctx = cli.make_context("oauth2", [], resilient_parsing=True)
            command = cli.get_command(ctx, name)
            sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
            theirs = [(i.value, i.help) for i in command.shell_complete(sub, incomplete)]
            assert ours == theirs, (name, incomplete)


def test_profile_first_lists_exactly_the_commands_whose_first_argument_is_a_profile():
    import click

    from oauth2cli.cli import COMMANDS, cli
    from oauth2cli.cli.params import PROFILE
    from oauth2cli.cli.tab import profile_first

    ctx = click.Context(cli)
    expected = []
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if not isinstance(command, click.Group) and arguments and arguments[0].type is PROFILE:
            expected.append(name)
    assert [name for name in COMMANDS if profile_first(name)] == expected
    assert "token" in expected and profile_first("login")


@pytest.mark.parametrize("environ,config,data,cache,state", [
    ({"HOME": "/h"}, "/h/.config/oauth2cli/config.toml", "/h/.local/share/oauth2cli", "/h/.cache/oauth2cli",
     "/h/.local/state/oauth2cli"),
    ({"HOME": "/h", "XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_CACHE_HOME": "/k", "XDG_STATE_HOME": "/s"},
     "/c/oauth2cli/config.toml", "/d/oauth2cli", "/k/oauth2cli", "/s/oauth2cli"),
    ({"HOME": "/h", "XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": "rel", "XDG_CACHE_HOME": "r", "XDG_STATE_HOME": "s"},
     "/h/.config/oauth2cli/config.toml", "/h/.local/share/oauth2cli", "/h/.cache/oauth2cli", "/h/.local/state/oauth2cli"),
    ({"HOME": "/h", "OAUTH2CLI_CONFIG": "/elsewhere/x.toml"}, "/elsewhere/x.toml", "/h/.local/share/oauth2cli",
     "/h/.cache/oauth2cli", "/h/.local/state/oauth2cli"),
], ids=["home", "xdg", "relative-xdg-ignored", "oauth2cli-config"])
def test_the_xdg_places_are_one_implementation(environ, config, data, cache, state):
    """store/xdg.py decides where every file is; store/paths.py gives the same places as Paths, and the
    lean profile lock (store/lock.ProfileLock) is Store.lock's file."""
    from oauth2cli.store.lock import lock_file
    from oauth2cli.store import paths, xdg
    from oauth2cli.store.lock import lock_path

    assert (xdg.config_file(environ), xdg.data_dir(environ), xdg.cache_dir(environ), xdg.state_dir(environ)) == (
        config, data, cache, state)
    assert xdg.secrets_dir(environ) == data + "/secrets" and xdg.config_memo(environ) == cache + "/config.json"
    assert (paths.config_file(environ), paths.data_dir(environ), paths.cache_dir(environ), paths.state_dir(environ)) == (
        Path(config), Path(data), Path(cache), Path(state))
    assert lock_file(xdg.state_dir(environ), "p") == str(lock_path(paths.state_dir(environ), "p")) == state + "/locks/p.lock"


def test_the_full_path_reads_config_toml_through_the_same_memo():
    """One reading of config.toml: what the memo holds for the file's stamp is what the click path
    (`profile list`) and the lean one (TAB on a profile) both see."""
    write_config('[profiles.work]\nissuer = "https://id.example"\n')
    from oauth2cli.store import view, xdg

    environ = dict(os.environ)
    view.read_config(environ, now_ns=_settled())
    memo = Path(xdg.config_memo(environ))
    saved = json.loads(memo.read_text())
    saved["config"] = {"profiles": {"remembered": {"client_id": "x"}}}
    memo.write_text(json.dumps(saved))
    listed, _, code = run_click("profile", "list")
    assert code == 0 and "remembered" in listed and "work" not in listed
    env = dict(os.environ, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS="oauth2 token ", COMP_CWORD="2")
    assert run_entry(env=env)[0] == "plain,remembered\n"


# -- the remembered config.toml (store/view.py, store/memo.py) ---------------------------------------------

def _settled(now_offset_s: float = 10.0) -> int:
    import time

    return time.time_ns() + int(now_offset_s * 1e9)


def test_a_settled_config_is_remembered_and_a_change_is_seen():
    from oauth2cli.store import view, xdg

    path = write_config('[profiles.work]\nleeway = 30\n')
    environ = dict(os.environ)
    assert view.read_config(environ)["profiles"]["work"]["leeway"] == 30
    memo = Path(xdg.config_memo(environ))
    assert not memo.exists()  # just written: not remembered yet (its stamp could repeat)
    assert view.read_config(environ, now_ns=_settled())["profiles"]["work"]["leeway"] == 30
    assert memo.exists() and memo.stat().st_mode & 0o777 == 0o600
    path.write_text('[profiles.work]\nleeway = 45\n')  # same size, new change time
    assert view.read_config(environ, now_ns=_settled())["profiles"]["work"]["leeway"] == 45
    path.write_text('[profiles.work\n')
    assert view.read_config(environ, now_ns=_settled()) is None  # broken: not remembered, not served
    assert json.loads(memo.read_text())["config"]["profiles"]["work"]["leeway"] == 45


def test_a_corrupt_memo_or_a_value_json_cannot_hold_is_parsed_afresh():
    from oauth2cli.store import view, xdg

    write_config('[profiles.work]\nsince = 2024-01-01\n')
    environ = dict(os.environ)
    memo = Path(xdg.config_memo(environ))
    memo.parent.mkdir(parents=True, exist_ok=True)
    memo.write_text("{not json")
    config = view.read_config(environ, now_ns=_settled())
    assert str(config["profiles"]["work"]["since"]) == "2024-01-01"
    assert memo.read_text() == "{not json"  # a TOML date has no JSON form: nothing remembered


def test_a_cached_token_with_a_remembered_config_imports_almost_nothing(monkeypatch):
    """With the memo warm, `oauth2 token PROFILE` (file store) needs no tomllib, json, typing or pathlib."""
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import view

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    write_config('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + 3600))
    stdout, _, code, modules = run_entry("token", "work")
    assert (stdout, code) == ("cached-token\n", 0)
    assert "click" not in modules  # served before click even with a config too fresh to remember
    view.read_config(dict(os.environ), now_ns=_settled())
    stdout, _, code, modules = run_entry("token", "work")
    assert (stdout, code) == ("cached-token\n", 0)
    assert lean_violations(modules) == []


# -- JSON without the json module (store/view.py, store/memo.py) --------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_dumps_indented_writes_what_json_writes(value):
    from oauth2cli.core.jsonlite import dumps_indented

    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [float("nan"), [float("inf")], {1: "a"}, {"a": (1, 2)}, "é\u2028\x00", [[[[]]]], {"": {}},
                                   -0.0, 10**30, [True, False, None, 1.5e-7]])
def test_dumps_indented_on_edge_cases(value):
    from oauth2cli.core.jsonlite import dumps_indented

    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _same_as_json(text: str) -> None:
    from oauth2cli.core.jsonlite import loads

    try:
        expected = json.loads(text)
    except (ValueError, RecursionError):
        with pytest.raises((ValueError, RecursionError)):
            loads(text)
    else:
        assert repr(loads(text)) == repr(expected)  # repr: NaN is not equal to itself


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from(["", " ", "\n\t", "\r\n "]), st.booleans())
def test_loads_reads_what_json_writes(value, space, ascii_only):
    _same_as_json(space + json.dumps(value, ensure_ascii=ascii_only) + space)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]",:0123456789.eE+-truefalsnNIinfityaA \t\n\\u\ufeff', max_size=30))
def test_loads_refuses_what_json_refuses(text):
    _same_as_json(text)


@pytest.mark.parametrize("text", ['{"a": 1} x', '{"a": 1}{}', "\ufeff{}", "", "   ", "[1,]", '{"a" 1}', "NaN",
                                  "-Infinity", '"\\ud800"', "[" * 10000 + "]" * 10000, "1e999", '{"a":1,"a":2}'])
def test_loads_on_edge_cases(text):
    _same_as_json(text)


# -- the commands that read every profile, or a fresh token, read the store's lean view -----------------------

EXEC_STUB = """
import os, sys
os.execvpe = lambda file, args, env: (sys.stdout.write(env.get("OAUTH2_ACCESS_TOKEN", "") + "\\n"), sys.exit(0))
"""
VIEW_READERS = [(["status"], ()), (["status", "--json"], ()), (["profile", "list"], ()),
                (["profile", "list", "--json"], ()), (["token", "work", "-o", "json"], ()),
                (["exec", "-p", "work", "--", "true"], ()), (["exec", "--", "true"], ()),
                (["profile", "show", "work"], ()), (["profile", "show", "work", "--json"], ())]


def _stored(monkeypatch):
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import view

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    write_config('default = "work"\n[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n'
                 '[profiles.svc]\ngrant = "jwt-bearer"\ntoken_url = "http://127.0.0.1:9/token"\n')
    store = Deps(environ=dict(os.environ)).store
    store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + 3 * 3600, scope="read", refresh_token="r"))
    store.secrets.set("work", "client_secret", "s3cret")
    view.read_config(dict(os.environ), now_ns=_settled())  # remembered, as on a user's machine


def _probe(argv, env=None):
    import subprocess
    import sys

    from tests.support.startup import LOADED_PROBE

    proc = subprocess.run([sys.executable, "-c", EXEC_STUB + LOADED_PROBE, *argv], capture_output=True, text=True,
                          timeout=30, env=env)
    head, _, tail = proc.stderr.rpartition("\nLOADED=")
    return proc.stdout, head, json.loads(tail)["modules"]


@pytest.mark.parametrize("argv,allowed", VIEW_READERS, ids=[" ".join(a) for a, _ in VIEW_READERS])
def test_status_profile_list_exec_and_token_json_read_the_lean_view(monkeypatch, argv, allowed):
    """With config.toml remembered and the token (and a secret) in the file store, they import what `token P` does (no
    pathlib, typing, dataclasses, subprocess, tomllib, keyring, click, none of the Store: STORE_LEAN; no
    json for a JSON output either: core/jsonlite); and print what the Store's reading prints (`--store
    file`, the full path)."""
    _stored(monkeypatch)
    stdout, stderr, modules = _probe(argv)
    assert "Traceback" not in stderr, stderr
    assert [m for m in lean_violations(modules) if m.split(".")[0] not in allowed] == [], stderr
    assert not {"dataclasses", "subprocess", "inspect"} & set(modules)
    full_env = {k: v for k, v in os.environ.items() if k != "OAUTH2CLI_STORE"}
    full_out, full_err, full_modules = _probe(["--store", "file", *argv], env=full_env)
    assert "oauth2cli.store.profile_store" in full_modules, full_err
    if argv[:2] == ["token", "work"]:  # expires_in may have ticked
        stdout, full_out = (json.loads(o) for o in (stdout, full_out))
        assert abs(stdout.pop("expires_in") - full_out.pop("expires_in")) <= 1
    if argv[:2] == ["status", "--json"]:
        stdout, full_out = (json.loads(o) for o in (stdout, full_out))
        for report in (stdout, full_out):
            report["profiles"][1]["expires_in"] //= 10
    if argv[:2] == ["profile", "show"]:
        import re

        if "--json" in argv:
            stdout, full_out = (json.loads(o) for o in (stdout, full_out))
            for report in (stdout, full_out):
                report["tokens"]["expires_in"] //= 10
        else:
            stdout, full_out = (re.sub(r"expires in \d+ s", "", o) for o in (stdout, full_out))
        assert "client_secret" in str(stdout)
    assert stdout == full_out

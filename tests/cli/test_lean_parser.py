"""The lean parser (oauth2cli/cmdline/parse.py) reads a command line as click does, over the whole
command tree: for every command and every option, command lines are made from the option table
(each option alone, with =, attached, bundled, repeated, between and after the arguments, from
its environment variable, with a bad value, without its value) and each is read by both. Where
click accepts, the lean parser gives the same values or defers (None); where click refuses or
answers itself (--help, --version), the lean parser defers. Plain, well-formed lines must not be
deferred: that is what makes the lean path worth having."""

from __future__ import annotations

import os
from unittest import mock

import click
import pytest

from oauth2cli.cmdline import parse as lean
from oauth2cli.cmdline.spec import UNSET, load
from oauth2cli.cmdline.tree import ROOT

REFUSED = "click refuses"


def _paths():
    for name, (ref, _) in ROOT.commands.items():
        command = load(ref)
        if command.commands is None:
            yield (name,), command
        else:
            for sub, (sub_ref, _) in command.commands.items():
                yield (name, sub), load(sub_ref)


PATHS = list(_paths())


def _good(kind) -> str:
    if kind is None:
        return "val"
    return {"Choice": lambda: kind.args["choices"][-1], "FloatRange": lambda: "5", "IntRange": lambda: "5",
            "Path": lambda: "/nonexistent/oauth2cli-file", "GRANT": lambda: "client_credentials",
            "KEY_VALUE": lambda: "a=b", "AUTH_METHOD": lambda: "private_key_jwt", "PROFILE": lambda: "work",
            "PRESET": lambda: "github", "UNPROCESSED": lambda: "x", "INT": lambda: "5", "FLOAT": lambda: "5"}[kind.kind]()


def _bad(kind) -> list[str]:
    if kind is None:
        return []
    return {"Choice": ["nope"], "FloatRange": ["x", "-5", "nan", "1e9", " 7"], "IntRange": ["x", "0", "99999", "1.5"],
            "Path": ["/", "-"], "GRANT": ["magic", "urn:"], "KEY_VALUE": ["ab", "=b"], "AUTH_METHOD": ["a b", ""],
            "PROFILE": [], "PRESET": [], "UNPROCESSED": [], "INT": ["x"], "FLOAT": ["x"]}[kind.kind]


def _base(command) -> list[str]:
    words = []
    for p in command.params:
        if p.is_option:
            if p.kw.get("required"):
                words += [p.opts[-1], _good(p.kw.get("type"))]
            continue
        nargs = p.kw.get("nargs", 1)
        required = p.kw.get("required", nargs > 0 and "default" not in p.kw)
        if required:
            words.append(_good(p.kw.get("type")) if p.kw.get("type") is not None else "arg")
    return words


def _takes_value(p) -> bool:
    return not (p.kw.get("is_flag") or "flag_value" in p.kw or p.secondary or p.kw.get("count"))


def cases(path, command):
    """(argv, environ, plain?) for one command: plain ones must be read by the lean parser."""
    base = _base(command)
    head = list(path)
    yield head + base, {}, True
    yield head + ["--nope"] + base, {}, False
    yield head + ["-h"] + base, {}, False
    yield head + ["--help"], {}, False
    yield head + ["--"] + base, {}, False
    yield head + base + ["extra", "words"], {}, False
    if base:
        yield head, {}, False
    shorts = []
    for p in command.params:
        if not p.is_option:
            env = p.kw.get("envvar")
            if env:
                yield head + base, {env: "from-env"}, True
                yield head + base + ["given"], {env: "from-env"}, False
            continue
        kind = p.kw.get("type")
        for s in p.opts + p.secondary:
            if _takes_value(p):
                v = _good(kind)
                yield head + [s, v] + base, {}, True
                yield head + base + [s, v], {}, True
                yield head + base + [s], {}, False
                yield head + [s, v, s, v + "2" if kind is None else v] + base, {}, True
                yield head + [s, "-x"] + base, {}, False
                if s.startswith("--"):
                    yield head + [f"{s}={v}"] + base, {}, True
                    yield head + [f"{s}="] + base, {}, False
                else:
                    yield head + [s + v] + base, {}, True
                    yield head + [f"{s}={v}"] + base, {}, False
                    shorts.append((s, v))
                for bad in _bad(kind):
                    yield head + [s, bad] + base, {}, False
            else:
                yield head + [s] + base, {}, True
                yield head + base + [s, s], {}, True
                if s.startswith("--"):
                    yield head + [f"{s}=x"] + base, {}, False
                else:
                    shorts.append((s, None))
        env = p.kw.get("envvar")
        if env:
            good = "1" if not _takes_value(p) else _good(kind)
            yield head + base, {env: good}, True
            yield head + base, {env: ""}, True
            yield head + [p.opts[0]] + ([_good(kind)] if _takes_value(p) else []) + base, {env: good}, True
            for bad in _bad(kind) + (["maybe", "off", p.kw.get("flag_value", "yes")] if not _takes_value(p) else []):
                yield head + base, {env: str(bad)}, False
    flags = [s for s, v in shorts if v is None]
    if len(flags) > 1:
        yield head + ["-" + "".join(f[1] for f in flags)] + base, {}, True
    for s, v in shorts:
        if v is not None and flags:
            yield head + ["-" + flags[0][1] + s[1] + v] + base, {}, True
            yield head + ["-" + flags[0][1] + s[1], v] + base, {}, True
            yield head + ["-" + s[1] + flags[0][1]] + base, {}, True


ROOT_CASES = [
    (["-v"], {}, True), (["-vv", "--no-color"], {}, True), (["--store", "file"], {}, True), (["--store=file"], {}, True),
    (["--store", "bogus"], {}, False), (["--store"], {}, False), (["--debug"], {}, True), (["--reveal-secrets"], {}, True),
    ([], {"OAUTH2CLI_STORE": "file"}, True), ([], {"OAUTH2CLI_STORE": "bogus"}, False),
    ([], {"OAUTH2CLI_DEBUG": "1"}, True), ([], {"OAUTH2CLI_DEBUG": "0"}, True), ([], {"OAUTH2CLI_DEBUG": "maybe"}, False),
    (["-V"], {}, False), (["--version"], {}, False), (["-h"], {}, False), (["-vV"], {}, False), (["--nope"], {}, False),
]


def _clean(values: dict) -> dict:
    return {k: (None if v is UNSET or v is click.core.UNSET else v) for k, v in values.items()}


def click_reading(argv: list[str], environ: dict):
    """(path, root values, command values) as click reads argv, or REFUSED."""
    from oauth2cli.cli.root import cli

    import io

    with mock.patch.dict(os.environ, environ), mock.patch("sys.stderr", io.StringIO()), \
            mock.patch("sys.stdout", io.StringIO()):
        try:
            ctx = cli.make_context("oauth2", list(argv))
            root = _clean(ctx.params)
            group, path, args = cli, (), ctx._protected_args + ctx.args
            while isinstance(group, click.Group):
                if not args:
                    return REFUSED  # click prints the group's help
                name, command, args = group.resolve_command(ctx, args)
                ctx = command.make_context(name, args, parent=ctx)
                path, group, args = path + (name,), command, ctx._protected_args + ctx.args
            return path, root, _clean(ctx.params)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            return REFUSED


def _compare(argv, environ):
    environ = {**{k: v for k, v in os.environ.items() if not k.startswith(("OAUTH2", "_OAUTH2"))}, **environ}
    with mock.patch.dict(os.environ, {}, clear=True):
        os.environ.update(environ)
        theirs = click_reading(argv, {})
        mine = lean.parse(list(argv), dict(environ))
    if theirs == REFUSED:
        return None if mine is None else f"lean accepted what click refuses: {argv} {environ_of(environ)}"
    if mine is None:
        return "deferred"
    got = (mine.path, vars(mine.root), vars(mine.options))
    if _shown(got) != _shown(theirs):  # repr: a nan (click takes it) is equal to itself
        keys = {k for a, b in ((got[1], theirs[1]), (got[2], theirs[2])) for k in set(a) | set(b)
                if repr(a.get(k, "-")) != repr(b.get(k, "-"))}
        return (f"differs: {argv} {environ_of(environ)} paths {got[0]} {theirs[0]}\n"
                + "".join(f"  {k}: lean {got[1].get(k, got[2].get(k, '-'))!r}, "
                          f"click {theirs[1].get(k, theirs[2].get(k, '-'))!r}\n" for k in sorted(keys)))
    return None


def _shown(reading) -> str:
    path, root, options = reading
    return repr((path, sorted(root.items()), sorted(options.items())))


def environ_of(environ: dict) -> dict:
    return {k: v for k, v in environ.items() if k.startswith("OAUTH2")}


@pytest.fixture(autouse=True)
def _no_oauth2_variables(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("OAUTH2", "_OAUTH2")):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("path,command", PATHS, ids=[" ".join(p) for p, _ in PATHS])
def test_lean_and_click_read_every_option_alike(path, command):
    problems = []
    seen = decided = 0
    for n, (argv, environ, plain) in enumerate(cases(path, command)):
        for before in ([], ["-v"], ["--store", "file"]) if n < 2 else ([],):
            seen += 1
            outcome = _compare(before + argv, environ)
            if outcome == "deferred":
                if plain:
                    problems.append(f"deferred a plain line: {before + argv} {environ}")
            elif outcome:
                problems.append(outcome)
            elif lean.parse(before + argv, {**os.environ, **environ}) is not None:
                decided += 1
    assert seen >= 8 and decided >= 3, (seen, decided)  # most lines are decided, and compared
    assert problems == [], "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


@pytest.mark.parametrize("argv,environ,plain", ROOT_CASES, ids=[" ".join(a) + repr(e) for a, e, _ in ROOT_CASES])
def test_the_root_options_before_a_command(argv, environ, plain):
    outcome = _compare(argv + ["status"], environ)
    assert outcome in (None, "deferred") and (outcome is None or not plain), outcome


def test_effects_of_the_trace_options_are_returned_for_the_run():
    parsed = lean.parse(["-v", "introspect", "-vv", "--reveal-secrets", "work"], {})
    assert parsed.root.verbose == 1 and parsed.effects == {"verbose": 2, "reveal_secrets": True}
    assert not hasattr(parsed.options, "verbose")


def test_options_after_the_first_argument_of_exec_are_its_command():
    parsed = lean.parse(["exec", "-p", "work", "true", "-p", "x"], {})
    assert parsed.options.command == ("true", "-p", "x") and parsed.options.profile == "work"
    assert lean.parse(["exec", "-p", "work", "--", "-v"], {}).options.command == ("-v",)


def test_the_order_of_repeated_options_is_kept_as_curl_needs_it():
    """call joins -d, --data-binary, ... in the order given; click's side keeps it (cli/build.py's
    OrderedCommand), and the lean reading says it too, for commands/call.py to build the same body."""
    parsed = lean.parse(["call", "-d", "a=1", "--data-binary", "@f", "-H", "X: 1", "-d", "b=2", "http://x/"], {})
    assert parsed.sequence == (("data", "a=1"), ("data_binary", "@f"), ("headers", "X: 1"), ("data", "b=2"))
    assert parsed.options.data == ("a=1", "b=2") and parsed.options.args == ("http://x/",)
    assert parsed.options.order == (("data", "a=1"), ("data_binary", "@f"), ("data", "b=2"))

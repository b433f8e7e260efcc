"""The lean parser: a command line read against the option table exactly as click reads it.

parse() returns the command and its options, or None whenever it cannot decide exactly: an
unknown option, -h/--help, -V/--version, a missing value, a value click's type would refuse,
a missing argument, an extra one. Then click runs and says what is wrong in its own words.
What it follows is click's own reading (click/parser.py, Parameter.consume_value): options
before, between and after arguments (not after the first argument where a command says so,
and never after `--`), `--name value`, `--name=value`, `-n value`, `-nvalue`, bundled short
flags, the last value winning, repeated values, counts, then a missing option's environment
variable and then its default, every value through its type. tests/cli/test_lean_parser.py
compares the two over the whole command tree.
"""

from __future__ import annotations

from oauth2cli.cmdline import values as _values
from oauth2cli.cmdline.spec import UNSET, load

_LATER = float("inf")
# click.core.ParameterSource: the smaller, the more explicit
_COMMANDLINE, _ENVIRONMENT, _DEFAULT = 1, 2, 4


class Parsed:
    """What a command line says: the command's path and entry, the root's and the command's options,
    the trace options' effects, and `sequence`: the (dest, word) of each repeatable option in the
    order given (call joins -d, --data-binary, ... in that order, as curl does)."""

    __slots__ = ("path", "command", "root", "options", "effects", "sequence")

    def __init__(self, path, command, root, options, effects, sequence=()) -> None:
        self.path, self.command, self.root, self.options, self.effects = path, command, root, options, effects
        self.sequence = tuple(sequence)


class _Defer(Exception):
    """click must read this command line."""


def parse(argv: list[str], environ) -> Parsed | None:
    from oauth2cli.cmdline.tree import ROOT

    try:
        root, effects, rest = _read(ROOT, list(argv), environ)
        command, path, sequence = ROOT, (), []
        while command.commands is not None:
            if not rest:
                raise _Defer  # `oauth2` alone, `oauth2 profile` alone: click's help
            name = command.aliases.get(rest[0], rest[0])
            if name not in command.commands:
                raise _Defer
            # the path keeps the word typed: `oauth2 login` says "Usage: oauth2 login", as click does
            command, path = load(command.commands[name][0]), path + (rest[0],)
            options, effects, rest = _read(command, rest[1:], environ, sequence := [])
            if command.commands is None and rest:
                raise _Defer  # click: "Got unexpected extra argument"
    except (_Defer, _values.Reject):
        return None
    from oauth2cli.cmdline.options import Options

    if command.ordered:
        options["order"] = tuple((dest, word) for dest, word in sequence if dest in command.ordered)
    return Parsed(path, command, Options(root), Options(options), effects, sequence)


def _flag(p) -> bool:
    return bool(p.kw.get("is_flag")) or "flag_value" in p.kw or bool(p.secondary)


def _read(command, args: list[str], environ, sequence: list | None = None) -> tuple[dict, dict, list[str]]:
    """One command's own options and arguments: (exposed values, effects, what is left for a subcommand)."""
    spellings = {}
    for p in command.params:
        if "callback" in p.kw:
            raise _Defer  # a click callback's doing: only click knows it
        for o in p.opts:
            spellings[o] = (p, True)
        for o in p.secondary:
            spellings[o] = (p, False)
    got: dict[str, object] = {}  # dest -> what the command line said
    order: list = []  # the parameters in the order the command line names them
    largs: list[str] = []
    rargs = args
    interspersed = command.interspersed
    while rargs:
        arg = rargs.pop(0)
        if arg == "--":
            break
        if arg[:1] == "-" and len(arg) > 1:
            _option(arg, rargs, spellings, got, order)
        elif interspersed:
            largs.append(arg)
        else:
            rargs.insert(0, arg)
            break
    if sequence is not None:
        taken: dict[str, int] = {}
        for p in order:
            if p.kw.get("multiple"):
                taken[p.dest] = taken.get(p.dest, -1) + 1
                sequence.append((p.dest, got[p.dest][taken[p.dest]]))
    positional = largs + rargs
    arguments = [p for p in command.params if not p.is_option]
    rest = _arguments(arguments, positional, got)
    order.extend(arguments)
    return (*_resolve(command, got, order, environ), rest)


def _takes_value(p) -> bool:
    return not _flag(p) and not p.kw.get("count")


def _option(arg: str, rargs: list[str], spellings: dict, got: dict, order: list) -> None:
    name, eq, explicit = arg.partition("=")
    if name in spellings and not _short(name):
        p, on = spellings[name]
        if _takes_value(p):
            if eq:
                value = explicit
            elif not rargs:
                raise _Defer  # "Option '--x' requires an argument."
            else:
                value = rargs.pop(0)
            _store(p, value, got, order)
        elif eq:
            raise _Defer  # "Option '--x' does not take a value."
        else:
            _store_const(p, on, got, order)
        return
    if arg[:2] == "--":
        raise _Defer  # no such option
    for i, ch in enumerate(arg[1:], 2):
        if "-" + ch not in spellings:
            raise _Defer  # no such option (-h included: the help is click's)
        p, on = spellings["-" + ch]
        if _takes_value(p):
            if i < len(arg):
                value = arg[i:]
            elif not rargs:
                raise _Defer
            else:
                value = rargs.pop(0)
            _store(p, value, got, order)
            return
        _store_const(p, on, got, order)


def _short(spelling: str) -> bool:
    return len(spelling) == 2 and spelling[0] == "-" and spelling[1] != "-"


def _store(p, value, got: dict, order: list) -> None:
    if p.kw.get("multiple"):
        got.setdefault(p.dest, []).append(value)
    else:
        got[p.dest] = value
    order.append(p)


def _store_const(p, on: bool, got: dict, order: list) -> None:
    if p.kw.get("count"):
        got[p.dest] = got.get(p.dest, 0) + 1
    else:
        const = p.kw.get("flag_value", True) if on else False
        if p.kw.get("multiple"):
            got.setdefault(p.dest, []).append(const)
        else:
            got[p.dest] = const
    order.append(p)


def _arguments(arguments: list, positional: list[str], got: dict) -> list[str]:
    """click's _unpack_args for nargs 1 and -1: what each argument takes, and what is left."""
    rest = list(positional)
    eat_all = [i for i, p in enumerate(arguments) if p.kw.get("nargs", 1) == -1]
    if eat_all:
        before, after = arguments[:eat_all[0]], arguments[eat_all[0] + 1:]
        for p in before:
            got[p.dest] = rest.pop(0) if rest else UNSET
        tail = []
        for p in reversed(after):
            tail.insert(0, rest.pop() if rest else UNSET)
        for p, value in zip(after, tail):
            got[p.dest] = value
        got[arguments[eat_all[0]].dest] = tuple(rest) if rest else UNSET
        return []
    for p in arguments:
        got[p.dest] = rest.pop(0) if rest else UNSET
    return rest


def _resolve(command, got: dict, order: list, environ) -> tuple[dict, dict]:
    """Each parameter's value as click's handle_parse_result makes it, in click's processing order."""
    params = sorted(command.params, key=lambda p: order.index(p) if p in order else _LATER)
    exposed: dict = {}
    effects: dict = {}
    sources: dict = {}
    for p in params:
        value, source, explicit = _value(p, got, environ)
        if p.kw.get("required") or (not p.is_option and p.kw.get("required", p.kw.get("nargs", 1) > 0
                                                              and "default" not in p.kw)):
            if value is UNSET or ((p.kw.get("nargs", 1) != 1 or p.kw.get("multiple")) and value == ()):
                raise _Defer  # "Missing argument" / "Missing option"
        if value is UNSET:
            value = None
        if "effect" in p.kw:
            # the subcommand -v and --reveal-secrets of cmdline/shared.TRACE: they feed the run's Deps
            effects[p.dest] = value
        if not p.kw.get("expose_value", True):
            continue
        held = sources.get(p.dest)
        # click's arbitration of options that share a name (--device, --manual, ... of `method`)
        if held is None or source < held[0] or (source == held[0] and not (
                source == _DEFAULT and held[1] and not explicit)):
            exposed[p.dest] = value
            sources[p.dest] = (source, explicit)
    return exposed, effects


def _value(p, got: dict, environ):
    kind = p.kw.get("type")
    flag = p.is_option and _flag(p)
    bool_flag = flag and not isinstance(p.kw.get("flag_value", True), str)
    multiple = p.kw.get("multiple") or p.kw.get("nargs", 1) == -1
    explicit = "default" in p.kw
    value = got.get(p.dest, UNSET)
    source = _COMMANDLINE
    if value is UNSET:
        value, source = _from_environment(p, kind, flag, bool_flag, multiple, environ), _ENVIRONMENT
    if value is UNSET:
        source = _DEFAULT
        value = p.kw.get("default", UNSET)
        if value is UNSET and flag:
            if p.kw.get("multiple") and not p.kw.get("required"):
                value = ()
            elif bool_flag and not p.kw.get("required"):
                value = False
        if value is UNSET and p.kw.get("count"):
            value = 0
        if value is True and flag and not bool_flag:
            value = p.kw["flag_value"]
    if value is UNSET:
        return (() if multiple else UNSET), source, explicit
    return _cast(p, kind, value, flag, bool_flag, multiple), source, explicit


def _from_environment(p, kind, flag: bool, bool_flag: bool, multiple: bool, environ):
    name = p.kw.get("envvar")
    if not name:
        return UNSET
    names = (name,) if isinstance(name, str) else name
    raw = next((environ[n] for n in names if environ.get(n)), None)
    if raw is None:
        return UNSET
    if flag and not bool_flag:
        if raw == p.kw["flag_value"]:
            return raw
        state = _values.str_to_bool(raw)
        if state is None:
            return UNSET
        return p.kw["flag_value"] if state else False
    if multiple:
        return _values.split_envvar(kind, raw)
    return raw


def _cast(p, kind, value, flag: bool, bool_flag: bool, multiple: bool):
    if value is None:
        return () if multiple else None
    if p.kw.get("count"):
        kind = kind or _COUNT
    if bool_flag:
        state = _values.str_to_bool(value)
        if state is None:
            raise _values.Reject(value)
        return state
    if multiple:
        return tuple(_values.convert(kind, v) for v in value)
    return _values.convert(kind, value)


class _Count:
    """click gives a count option the type IntRange(min=0)."""

    kind = "IntRange"
    args = {"min": 0, "max": None, "min_open": False, "max_open": False, "clamp": False}


_COUNT = _Count()

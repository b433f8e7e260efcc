"""The shape of the option table: commands, options, arguments and value types, as plain data.

Each entry keeps click's own words (the keyword arguments a click.option would take), so that
cli/build.py makes the same click objects and cmdline/parse.py reads a command line as click
would. Nothing here imports click, typing or dataclasses: the lean path imports this module.
"""

from __future__ import annotations

UNSET = type("Unset", (), {"__repr__": lambda self: "UNSET", "__slots__": ()})()


class Type:
    """A value type: click's built-in types by name, or one of the project's (cli/params.py)."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: str, **args) -> None:
        self.kind = kind
        self.args = args

    def __repr__(self) -> str:
        return f"{self.kind}({', '.join(f'{k}={v!r}' for k, v in self.args.items())})"


def Choice(choices, case_sensitive: bool = True) -> Type:  # noqa: N802 - named like click's
    return Type("Choice", choices=tuple(choices), case_sensitive=case_sensitive)


def FloatRange(min=None, max=None, min_open=False, max_open=False, clamp=False) -> Type:  # noqa: N802,A002
    return Type("FloatRange", min=min, max=max, min_open=min_open, max_open=max_open, clamp=clamp)


def IntRange(min=None, max=None, min_open=False, max_open=False, clamp=False) -> Type:  # noqa: N802,A002
    return Type("IntRange", min=min, max=max, min_open=min_open, max_open=max_open, clamp=clamp)


def Path(exists=False, file_okay=True, dir_okay=True, writable=False, readable=True, resolve_path=False,  # noqa: N802
         allow_dash=False, executable=False) -> Type:
    return Type("Path", exists=exists, file_okay=file_okay, dir_okay=dir_okay, writable=writable, readable=readable,
                resolve_path=resolve_path, allow_dash=allow_dash, executable=executable)


UNPROCESSED = Type("UNPROCESSED")
INT = Type("INT")
FLOAT = Type("FLOAT")
# The project's own types (cli/params.py makes their click forms; cmdline/values.py reads them).
GRANT = Type("GRANT")
KEY_VALUE = Type("KEY_VALUE")
AUTH_METHOD = Type("AUTH_METHOD")
PROFILE = Type("PROFILE")
PRESET = Type("PRESET")


def _identifier(decl: str) -> bool:
    return decl.isidentifier()


class Param:
    """What an option or argument of a click command is: its spellings and click's keyword arguments."""

    __slots__ = ("decls", "kw", "dest", "opts", "secondary")
    is_option = True

    def __init__(self, *decls: str, **kw) -> None:
        self.decls = decls
        self.kw = kw
        names = [d for d in decls if _identifier(d)]
        spellings = [d for d in decls if not _identifier(d)]
        self.opts: list[str] = []
        self.secondary: list[str] = []
        for d in spellings:
            first, slash, second = d.partition("/")
            self.opts.append(first.strip())
            if slash:
                self.secondary.append(second.strip())
        if names:
            self.dest = names[0]
        elif not self.is_option:
            self.dest = ""
        else:
            # click's rule: the spelling with the longest prefix ("--" over "-"), the first of them
            ranked = sorted(self.opts, key=lambda o: -(len(o) - len(o.lstrip("-"))))
            self.dest = ranked[0].lstrip("-").replace("-", "_").lower()

    def get(self, name: str, default=None):
        return self.kw.get(name, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.decls))}, {self.kw!r})"


class Opt(Param):
    __slots__ = ()


class Arg(Param):
    __slots__ = ()
    is_option = False


class Command:
    """A command (or a group, with `commands`): its parameters, texts and what runs it.

    An option's `effect` says what it does to the run rather than to the command's options: the
    trace options (cmdline/shared.TRACE) add to the run's Deps, on click's side by a callback.
    `run` names the click-free use case (oauth2cli.commands.X, whose run(opts, deps) -> int);
    `callback` names the click callback of a command whose body has not moved there yet.
    `ordered` names repeatable options whose relative order the use case reads (call joins -d,
    --data-binary, ... as given, as curl does): both parsers hand it over as `order`, the
    (dest, word) of each of them in command-line order.
    """

    __slots__ = ("name", "params", "help", "short_help", "epilog", "context_settings", "cls", "callback", "run",
                 "pass_context", "commands", "aliases", "version", "ordered")

    def __init__(self, name: str, *, params=(), help=None, short_help=None, epilog=None,  # noqa: A002
                 context_settings=None, cls=None, callback=None, run=None, pass_context=False, commands=None,
                 aliases=None, version=None, ordered=()) -> None:
        self.name = name
        self.params = tuple(params)
        self.help = help
        self.short_help = short_help
        self.epilog = epilog
        self.context_settings = context_settings or {}
        self.cls = cls
        self.callback = callback
        self.run = run
        self.pass_context = pass_context
        self.commands = commands  # name -> "module:ATTR" of its Command, loaded on demand
        self.aliases = aliases or {}
        self.version = version  # (spellings, message) of a version option
        self.ordered = tuple(ordered)

    @property
    def interspersed(self) -> bool:
        return self.context_settings.get("allow_interspersed_args", self.commands is None)

    def __repr__(self) -> str:
        return f"Command({self.name!r})"


def load(ref: str):
    """The object a "package.module:ATTR" reference names."""
    import importlib

    module, _, attr = ref.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def use_case(ref: str):
    """The run(opts, deps) -> int a Command's `run` names: "oauth2cli.commands.X" or "...X:function"."""
    return load(ref if ":" in ref else ref + ":run")

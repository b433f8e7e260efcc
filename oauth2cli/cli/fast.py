"""What the fast paths of oauth2cli/entry.py share: reading their command line without click,
and saying an error in the full path's words once a request has been sent (from then on the
call cannot be handed to click, which would send it again).

A fast path (oauth2cli/entry.py) names the options it understands; `parse` reads argv the way
click does for those (`--name value`, `--name=value`, `-n value`, `-nvalue`, bundled short flags
such as `-si`, options before, between and after the arguments) and returns None for anything
else — an option it does not know, `--`, a value missing — so the call goes to click, which
either answers it or says what is wrong in its own words. tests/cli/test_fast_call.py checks
each table against the click command it stands for.
"""

from __future__ import annotations

FLAG, VALUE, VALUES, COUNT = "flag", "value", "values", "count"


def parse(args: list[str], options: dict[str, tuple[str, str]]) -> tuple[dict, list[str]] | None:
    """({dest: value}, positional arguments) or None. `options` maps each spelling ('-p',
    '--profile') to (dest, FLAG | VALUE | VALUES | COUNT); a VALUE given twice keeps the last, as
    click, and a COUNT (-v, -vv) counts."""
    values: dict = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg == "--":
            return None  # click would take the rest as arguments; rare enough to leave to it
        if arg.startswith("--"):
            name, eq, attached = arg.partition("=")
            known = options.get(name)
            if known is None:
                return None
            dest, kind = known
            if kind in (FLAG, COUNT):
                if eq:
                    return None
                values[dest] = values.get(dest, 0) + 1 if kind == COUNT else True
                continue
            if not eq:
                if i >= len(args):
                    return None
                attached = args[i]
                i += 1
            _store(values, dest, kind, attached)
            continue
        # short options: -s, -si (flags bundled), -p NAME, -pNAME
        j = 1
        while j < len(arg):
            known = options.get("-" + arg[j])
            if known is None:
                return None
            dest, kind = known
            if kind in (FLAG, COUNT):
                values[dest] = values.get(dest, 0) + 1 if kind == COUNT else True
                j += 1
                continue
            rest = arg[j + 1:]
            if not rest:
                if i >= len(args):
                    return None
                rest = args[i]
                i += 1
            _store(values, dest, kind, rest)
            break
    return values, positional


def seconds(value: str) -> float | None:
    """A click.FloatRange(min=0.1) value (--timeout, --max-time), or None: click then says what is wrong."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0.1 <= number < float("inf") else None


def _store(values: dict, dest: str, kind: str, value: str) -> None:
    if kind == VALUES:
        values.setdefault(dest, []).append(value)
    else:
        values[dest] = value


def say_error(exc) -> int:
    """An OAuth2CliError as cli/errors.py says it (one line), and its exit code."""
    import sys

    sys.stderr.write(f"oauth2: error: {exc.message}" + (f"; {exc.hint}" if exc.hint else "") + "\n")
    sys.stderr.flush()
    return int(exc.exit_code)

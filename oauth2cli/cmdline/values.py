"""Turning the words of a command line into option values, as click's types do, without click.

Each converter returns the value, or raises Reject when click would refuse the word: the lean
parser then leaves the whole command line to click, which says why in its own words. The
project's own types (grant, client authentication method, KEY=VALUE) are decided here once;
cli/params.py's click types call these.
"""

from __future__ import annotations


class Reject(ValueError):
    """click would refuse this value (a usage error)."""


# click.types.BoolParamType.bool_states
BOOL_STATES = {"1": True, "0": False, "yes": True, "no": False, "true": True, "false": False, "on": True,
               "off": False, "t": True, "f": False, "y": True, "n": False, "": False}


def str_to_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    return BOOL_STATES.get(value.strip().lower())


def grant(value: str) -> str | None:
    """A registered grant's name (core/grants.REGISTRY) from its name or grant_type value, or an
    extension URI as given; None if unknown."""
    from oauth2cli.core import grants

    known = grants.find(value)
    if known is not None:
        return known.name
    if value.startswith(("urn:", "http://", "https://")) and len(value) > 6:
        # An extension grant (RFC 6749 §4.5) sent as given, with the request parameters and -P.
        return value
    return None


def auth_method_name(value: str) -> bool:
    """A built-in client authentication method, or a plug-in's name (checked when used)."""
    return bool(value) and all(c.isalnum() or c in "_-." for c in value)


def key_value(value) -> tuple[str, str] | None:
    if isinstance(value, tuple):
        return value
    key, sep, val = value.partition("=")
    if not sep or not key:
        return None
    return (key, val)


def _number(kind, value, args):
    try:
        rv = kind(value)
    except (TypeError, ValueError):
        raise Reject(value) from None
    low, high = args["min"], args["max"]
    lt_min = low is not None and (rv <= low if args["min_open"] else rv < low)
    gt_max = high is not None and (rv >= high if args["max_open"] else rv > high)
    if args["clamp"]:
        if lt_min:
            return low  # click clamps an open bound to the next value; no option here clamps
        if gt_max:
            return high
    if lt_min or gt_max:
        raise Reject(value)
    return rv


def _path(value, args):
    import os
    import stat

    if args["file_okay"] and args["allow_dash"] and value == "-":
        return value
    rv = os.path.realpath(value) if args["resolve_path"] else value
    try:
        st = os.stat(rv)
    except OSError:
        if args["exists"]:
            raise Reject(value) from None
        return rv
    if (not args["file_okay"] and stat.S_ISREG(st.st_mode)) or (not args["dir_okay"] and stat.S_ISDIR(st.st_mode)):
        raise Reject(value)
    if (args["readable"] and not os.access(rv, os.R_OK)) or (args["writable"] and not os.access(rv, os.W_OK)) \
            or (args["executable"] and not os.access(value, os.X_OK)):
        raise Reject(value)
    return rv


def convert(kind, value):
    """`value` as an option of type `kind` (a spec.Type, or None for a string) has it."""
    if kind is None or kind.kind in ("PROFILE", "PRESET", "UNPROCESSED"):
        return value
    name, args = kind.kind, kind.args
    if name == "Choice":
        if value in args["choices"]:
            return value
        if not args["case_sensitive"] and isinstance(value, str):
            for choice in args["choices"]:
                if choice.casefold() == value.casefold():
                    return choice
        raise Reject(value)
    if name in ("FloatRange", "FLOAT"):
        return _number(float, value, args if args else _OPEN)
    if name in ("IntRange", "INT"):
        return _number(int, value, args if args else _OPEN)
    if name == "Path":
        return _path(value, args)
    if name == "GRANT":
        rv = grant(value)
    elif name == "AUTH_METHOD":
        rv = value if auth_method_name(value) else None
    elif name == "KEY_VALUE":
        rv = key_value(value)
    else:
        raise Reject(value)
    if rv is None:
        raise Reject(value)
    return rv


_OPEN = {"min": None, "max": None, "min_open": False, "max_open": False, "clamp": False}


def split_envvar(kind, value: str) -> list[str]:
    """click's split_envvar_value: paths split on os.pathsep, everything else on blanks."""
    if kind is not None and kind.kind == "Path":
        import os

        return (value or "").split(os.path.pathsep)
    return (value or "").split()

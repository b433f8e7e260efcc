"""JSON without importing the json module, for the fast paths (store/view.py, the helpers'
flows/helpers/helper_view.py): json's import compiles half a dozen regular expressions, more than the
rest of those paths cost. The same C scanner and string encoder json itself uses; pure."""

from __future__ import annotations

_SCAN: list = []


def _scanner():
    """The C scanner the json module decodes with, built (once) without importing json."""
    if _SCAN:
        return _SCAN[0]
    try:
        import _json

        class Context:
            strict = True
            object_hook = object_pairs_hook = None
            parse_float, parse_int = float, int
            parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__

        _SCAN.append(_json.make_scanner(Context()))
    except Exception:  # not CPython, or its internals changed: json.loads below
        _SCAN.append(None)
    return _SCAN[0]


def loads(text: str):
    """json.loads(text) on json's own C scanner. A text json would refuse raises ValueError
    (tests/cli/test_fast_paths.py compares the two)."""
    scan = _scanner()
    if scan is None:
        import json

        return json.loads(text)
    body = text.strip(" \t\n\r")  # json's own whitespace, before and after the value
    try:
        value, end = scan(body, 0)
    except (StopIteration, ValueError, RecursionError):
        raise ValueError("not a JSON document") from None
    if end != len(body):
        raise ValueError("extra data after the JSON document")
    return value


def dumps_compact(value) -> str:
    """json.dumps(value, separators=(",", ":")) for dicts (str keys) of dicts and strings, the
    ExecCredential's shape; anything else goes to json itself."""
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # pragma: no cover - not CPython
        quote = None
    if quote is None or not _plain(value):
        import json

        return json.dumps(value, separators=(",", ":"))
    return _dump(value, quote)


def _plain(value) -> bool:
    if type(value) is str:
        return True
    return type(value) is dict and all(type(k) is str and _plain(v) for k, v in value.items())


def _dump(value, quote) -> str:
    if type(value) is str:
        return quote(value)
    return "{" + ",".join(quote(k) + ":" + _dump(v, quote) for k, v in value.items()) + "}"


def dumps_indented(value) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), what a command prints as JSON, for plain data
    (dicts with str keys, lists, str, int, finite floats, booleans, null); anything else goes to json."""
    try:
        from _json import encode_basestring as quote
    except ImportError:  # pragma: no cover - not CPython
        quote = None
    if quote is None or not _data(value, 0):
        import json

        return json.dumps(value, indent=2, ensure_ascii=False)
    return _indented(value, quote, "\n")


def _data(value, depth: int) -> bool:
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return value - value == 0.0  # finite: json writes NaN and Infinity its own way
    if depth > 50:
        return False  # json says how deep is too deep
    if kind is dict:
        return all(type(k) is str and _data(v, depth + 1) for k, v in value.items())
    return kind is list and all(_data(v, depth + 1) for v in value)


def _indented(value, quote, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return quote(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join(quote(k) + ": " + _indented(v, quote, inner) for k, v in value.items()) \
            + newline + "}"
    if not value:
        return "[]"
    return "[" + inner + ("," + inner).join(_indented(v, quote, inner) for v in value) + newline + "]"

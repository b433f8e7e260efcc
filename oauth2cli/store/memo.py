"""TOML files read once and remembered: config.toml (and the presets' files) parsed with tomllib,
the parsed form kept as JSON under $XDG_CACHE_HOME/oauth2cli/, so a run whose file has not
changed imports no tomllib (with typing, datetime and a dozen regular expressions it costs more
than the rest of a cached `oauth2 token`). The one reading of config.toml: the full path
(store/config.py) and the lean one (store/view.py) both read through read_toml.

The memo is keyed by the file's path, size, inode and change times: any change to the file is a
new key. A file changed less than SETTLED_NS ago is parsed but not remembered: a second change
within the file system's timestamp granularity could keep the same stamp (git's "racy clean"
rule). The memo is written atomically, 0600 in a 0700 folder; a value JSON cannot hold (a TOML
date) or a write that fails leaves none, and the next run parses the file again.
"""

from __future__ import annotations

import os
import sys

from oauth2cli.core.jsonlite import loads

TYPE_CHECKING = False  # typing costs ~5 ms to import; the lean reads do without it

SETTLED_NS = 2_000_000_000


class Unreadable(Exception):
    """A TOML file that cannot be read (`why` "read", with the OSError or UnicodeDecodeError's
    words), does not parse ("toml", with tomllib's words, which end with "(at line N, column M)")
    or nests too deeply ("deep")."""

    def __init__(self, why: str, detail: str) -> None:
        super().__init__(detail)
        self.why = why
        self.detail = detail


def read_toml(path: str, memo: str | None, now_ns: int | None = None) -> dict:
    """The file's parsed form, remembered in `memo` (None: not remembered); {} when the file does
    not exist. Unreadable when it cannot be read or parsed (never remembered)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise Unreadable("read", str(exc)) from None
    stamp = [path, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
    if memo is not None:
        try:
            with open(memo, encoding="utf-8") as f:
                saved = loads(f.read())
            if saved.get("stamp") == stamp and isinstance(saved.get("config"), dict):
                return saved["config"]
        except (OSError, ValueError, AttributeError, RecursionError):
            pass
    try:
        document = parse_file(path)
    except FileNotFoundError:  # removed since the stat
        return {}
    now_ns = _time_ns() if now_ns is None else now_ns
    if memo is not None and now_ns - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
        _remember(memo, {"stamp": stamp, "config": document})
    return document


def read_toml_or_none(path: str, memo: str | None, now_ns: int | None = None) -> dict | None:
    """read_toml, with None for a file that cannot be read (the full path names the fault)."""
    try:
        return read_toml(path, memo, now_ns)
    except Unreadable:
        return None


def parse_file(path: str) -> dict:
    """A TOML file parsed; FileNotFoundError when it is not there, else Unreadable."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Unreadable("read", str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable("read", str(exc)) from None
    return parse_text(text)


def parse_text(text: str) -> dict:
    """TOML text parsed (tomllib; tomli before Python 3.11); Unreadable when it does not parse."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise Unreadable("toml", str(exc)) from None
    except RecursionError:
        raise Unreadable("deep", "nests values too deeply") from None


def _time_ns() -> int:
    import time

    return time.time_ns()


def _create(tmp: str) -> int:
    """A new file, 0600, never through a symlink: one left there (by a dead run, or planted) is
    removed first (removing a link leaves its target alone)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(tmp, flags, 0o600)
    except FileExistsError:
        os.unlink(tmp)
        return os.open(tmp, flags, 0o600)


def _remember(memo: str, document: dict) -> None:
    import json

    try:
        text = json.dumps(document)
    except (TypeError, ValueError, RecursionError):
        return
    tmp = f"{memo}.{os.getpid()}.tmp"
    try:
        from oauth2cli.store.xdg import make_private_dirs

        make_private_dirs(os.path.dirname(memo))
        fd = _create(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, memo)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass

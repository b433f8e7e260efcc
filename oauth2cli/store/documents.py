"""What the store's files hold, read as plain data, below everything that reads them: the shape
config.toml must have, and a file-store file's entries. The lean view (store/view.py) and the
full path's readers (store/config.py, store/filestore.py) both read through here, so each rule
is written once and no reader imports another."""

from __future__ import annotations

from oauth2cli.core.jsonlite import loads


def config_problem(document: dict) -> str | None:
    """What is wrong with config.toml's shape, in the words after "the config file PATH: "."""
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        return "[profiles] must hold one table per profile"
    default = document.get("default")
    if default is not None and not isinstance(default, str):
        return "default must be a profile name"
    return None


NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
NAME_RULE = "use letters, digits, '.', '_' or '-' (up to 64, starting with a letter or digit)"


def name_ok(name: object) -> bool:
    """A profile name, however it came in (the command line, config.toml): it names files
    (secrets/NAME.json, locks/NAME.lock), so no '/', no '..', nothing long or unprintable."""
    return (isinstance(name, str) and 0 < len(name) <= 64 and name[0].isascii() and name[0].isalnum()
            and set(name) <= NAME_CHARS)


def checked_name(name: str, config: str | None = None) -> str:
    """`name`, or ConfigError naming it (and, for one read from config.toml, the file and line)."""
    if name_ok(name):
        return name
    from oauth2cli.core.errors import ConfigError, printable

    where = ""
    if config is not None:
        line = line_of(config, name)
        where = f" in {config}" + (f" line {line}" if line else "")
    raise ConfigError(f"invalid profile name {printable(name, 80)!r}{where}: {NAME_RULE}",
                      hint="rename it there; the other profiles still work" if where else None)


def stored_name(profile: str, environ) -> str:
    """A profile name that may name a file of the store's (a name from config.toml is checked only
    when it is about to name one): the file store's writers and the lean view's readers alike."""
    if name_ok(profile):
        return profile
    from oauth2cli.store.xdg import config_file

    return checked_name(profile, config_file(environ))


def line_of(config: str, name: str) -> int | None:
    """The line of config.toml whose table header names profile `name`, for messages."""
    try:
        with open(config, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                if line.lstrip().startswith("[") and "profiles" in line and (name in line or repr(name)[1:-1] in line):
                    return number
    except OSError:
        pass
    return None


class NotEntries(ValueError):
    """A secret file that is JSON, but not an object of strings."""


def parse_entries(raw: bytes) -> dict:
    """A file-store file's entries (store/filestore.py): a JSON object of strings, kind -> value.
    NotEntries for other JSON; ValueError or RecursionError for what is not JSON in UTF-8."""
    data = loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise NotEntries("not a JSON object of strings")
    return data

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


class NotEntries(ValueError):
    """A secret file that is JSON, but not an object of strings."""


def parse_entries(raw: bytes) -> dict:
    """A file-store file's entries (store/filestore.py): a JSON object of strings, kind -> value.
    NotEntries for other JSON; ValueError or RecursionError for what is not JSON in UTF-8."""
    data = loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise NotEntries("not a JSON object of strings")
    return data

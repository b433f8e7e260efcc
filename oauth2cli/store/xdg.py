"""Where oauth2cli keeps its files, after the XDG base directory variables: the one
implementation, as strings and with nothing but os, so the lean reads (store/view.py) pay
for no pathlib; store/paths.py gives the same places as Paths."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs ~5 ms to import; the lean reads do without it
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "oauth2cli"


def base(environ: Mapping[str, str], var: str, default: str) -> str:
    """$VAR, or ~/DEFAULT when it is unset, empty or relative (XDG: a relative path is invalid
    and must be ignored)."""
    value = environ.get(var)
    if value and os.path.isabs(value):
        return value
    return os.path.join(environ.get("HOME") or os.path.expanduser("~"), default)


def config_file(environ: Mapping[str, str]) -> str:
    """$OAUTH2CLI_CONFIG, else $XDG_CONFIG_HOME/oauth2cli/config.toml."""
    if environ.get("OAUTH2CLI_CONFIG"):
        return environ["OAUTH2CLI_CONFIG"]
    return os.path.join(base(environ, "XDG_CONFIG_HOME", ".config"), APP, "config.toml")


def data_dir(environ: Mapping[str, str]) -> str:
    return os.path.join(base(environ, "XDG_DATA_HOME", ".local/share"), APP)


def state_dir(environ: Mapping[str, str]) -> str:
    """Where the profile locks are (store/lock.py)."""
    return os.path.join(base(environ, "XDG_STATE_HOME", ".local/state"), APP)


def cache_dir(environ: Mapping[str, str]) -> str:
    return os.path.join(base(environ, "XDG_CACHE_HOME", ".cache"), APP)


def secrets_dir(environ: Mapping[str, str]) -> str:
    """The file store's folder (store/filestore.py)."""
    return os.path.join(data_dir(environ), "secrets")


def config_memo(environ: Mapping[str, str]) -> str:
    """Where config.toml's parsed form is remembered (store/memo.py)."""
    return os.path.join(cache_dir(environ), "config.json")


def preset_memo(environ: Mapping[str, str], preset: str) -> str:
    """Where a preset file's parsed form is remembered (store/presets.py)."""
    return os.path.join(cache_dir(environ), f"preset-{preset}.json")

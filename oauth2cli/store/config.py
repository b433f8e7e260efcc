"""Profiles in config.toml: non-secret settings a person can read and edit.

Shape:
    default = "work"
    [profiles.work]
    issuer = "https://id.example.com"
    client_id = "cli"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oauth2cli.core.errors import ConfigError, StoreError
from oauth2cli.store.documents import name_ok

def check_name(name: str) -> str:
    from oauth2cli.store.documents import checked_name

    return checked_name(name)


@dataclass
class ConfigFile:
    path: Path
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    default: str | None = None

    def names(self) -> list[str]:
        return sorted(self.profiles)

    def get(self, name: str) -> dict[str, Any]:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none yet"
            raise ConfigError(
                f"unknown profile {name!r} (known: {known})",
                hint=f"add it with `oauth2 profile add {name} ...`" if name_ok(name) else None,
            )
        return self.profiles[name]


def load(path: Path, memo: str | None = None, spelled: str | None = None) -> ConfigFile:
    """The config file, or an empty one when it does not exist. Never rewrites it. Read as the
    lean reads read it (store/memo.py: the parsed form remembered in `memo`, keyed by the path as
    `spelled` in the environment, store/xdg.py's string; store/view.py: its shape)."""
    from oauth2cli.store.memo import Unreadable, read_toml
    from oauth2cli.store.documents import config_problem

    try:
        data = read_toml(spelled or str(path), memo)
    except Unreadable as exc:
        if exc.why == "read":
            raise StoreError(f"cannot read the config file {path}: {exc.detail}") from None
        if exc.why == "deep":
            raise StoreError(f"the config file {path} nests values too deeply to read",
                             hint="fix or move it; it was left untouched") from None
        # tomllib's message ends with "(at line N, column M)"
        raise StoreError(f"the config file {path} is not valid TOML: {exc.detail}",
                         hint="fix or move it; it was left untouched") from None
    problem = config_problem(data)
    if problem:
        raise StoreError(f"the config file {path}: {problem}")
    return ConfigFile(path, dict(data.get("profiles", {})), data.get("default"))


def edit(path: Path, change) -> None:
    """Apply `change(document)` to the file with tomlkit (comments survive) and write it atomically."""
    import tomlkit

    from oauth2cli.store.paths import atomic_write

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read the config file {path}: {exc}") from None
    try:
        document = tomlkit.parse(text)
    except Exception as exc:  # tomlkit's ParseError names the line
        raise StoreError(f"the config file {path} is not valid TOML: {exc}", hint="fix or move it; it was left untouched") from None
    change(document)
    atomic_write(path, tomlkit.dumps(document).encode("utf-8"), mode=0o600, what="write the config file")


def set_profile(path: Path, name: str, values: dict[str, Any]) -> None:
    import tomlkit

    def change(document) -> None:
        profiles = document.setdefault("profiles", tomlkit.table(is_super_table=True))
        table = profiles.get(name)
        if table is None:
            table = tomlkit.table()
            profiles[name] = table
        for key, value in values.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value

    edit(path, change)


def remove_profile(path: Path, name: str) -> None:
    def change(document) -> None:
        profiles = document.get("profiles")
        if profiles is not None and name in profiles:
            del profiles[name]
        if document.get("default") == name:
            del document["default"]

    edit(path, change)


def rename_profile(path: Path, old: str, new: str) -> None:
    import tomlkit

    def change(document) -> None:
        profiles = document["profiles"]
        table = tomlkit.table()
        for key, value in profiles[old].items():
            table[key] = value
        del profiles[old]
        profiles[new] = table
        if document.get("default") == old:
            document["default"] = new

    edit(path, change)


def set_default(path: Path, name: str | None) -> None:
    def change(document) -> None:
        if name is None:
            document.pop("default", None)
            return
        if "default" in document:
            document["default"] = name
        else:
            # Top-level keys must come before the first table.
            body = list(document.items())
            for key, _ in body:
                document.remove(key)
            document["default"] = name
            for key, value in body:
                document[key] = value

    edit(path, change)

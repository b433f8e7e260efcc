"""Provider presets: TOML files beside this module, read with tomllib (no code per provider).

A preset file has `description`, optional `docs`, optional `requires` (settings the
profile must add, e.g. issuer), `[parameters.NAME]` tables (`default`, `help`, `optional`: settings using an unset one are
dropped), optional
`[hints]` (words for people: `refresh_token` says why a login may get none) and a
`[settings]` table in config.toml's profile vocabulary, where "{NAME}" stands for a
parameter's value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oauth2cli.core.errors import ConfigError

HERE = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    settings: dict[str, Any]
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    docs: str | None = None
    # Words for people about the provider's quirks, e.g. hints.refresh_token: why a login got none.
    hints: dict[str, str] = field(default_factory=dict)

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The preset's settings with its parameters filled from `given` (else their defaults)."""
        params: dict[str, str] = {}
        unset: set[str] = set()
        for name, spec in self.parameters.items():
            value = given.get(name, spec.get("default"))
            if value in (None, "") and spec.get("optional"):
                unset.add(name)  # settings that use an optional parameter left unset are dropped
                continue
            if value in (None, ""):
                raise ConfigError(f"preset {self.name!r} needs the parameter {name!r} ({spec.get('help', '')})",
                                  hint=f"give --preset-param {name}=VALUE")
            params[name] = str(value).rstrip("/") if name.endswith("url") else str(value)

        def fill(value: Any) -> Any:
            if isinstance(value, str):
                return _PLACEHOLDER.sub(lambda m: params.get(m.group(1), m.group(0)), value)
            if isinstance(value, list):
                return [fill(v) for v in value]
            if isinstance(value, dict):
                return {k: fill(v) for k, v in value.items()}
            return value

        def uses_unset(value: Any) -> bool:
            text = repr(value)
            return any("{" + name + "}" in text for name in unset)

        def drop(table: dict[str, Any]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key, value in table.items():
                if isinstance(value, dict):
                    out[key] = drop(value)
                elif isinstance(value, str) and " " in value:
                    # a scope list: only the words that use the unset parameter go
                    words = [w for w in value.split() if not uses_unset(w)]
                    if words:
                        out[key] = " ".join(words)
                elif not uses_unset(value):
                    out[key] = value
            return out

        return fill(drop(self.settings) if unset else self.settings)


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.toml"))


def exists(name: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9_-]+", name)) and (HERE / f"{name}.toml").is_file()


def load(name: str) -> Preset:
    from oauth2cli.store.config import _loads

    if not exists(name):
        raise ConfigError(f"unknown preset {name!r} (known: {', '.join(names())})")
    path = HERE / f"{name}.toml"
    data = _loads(path.read_text(encoding="utf-8"))
    return Preset(
        name=name,
        description=str(data.get("description", name)),
        settings=dict(data.get("settings", {})),
        parameters={k: dict(v) for k, v in data.get("parameters", {}).items()},
        requires=tuple(data.get("requires", ())),
        docs=data.get("docs"),
        hints={str(k): str(v) for k, v in data.get("hints", {}).items()},
    )

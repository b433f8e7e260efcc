"""Provider presets: TOML files beside this module, read with tomllib (no code per provider).

A preset file has `description`, optional `docs`, optional `requires` (settings the
profile must add, e.g. issuer), `[parameters.NAME]` tables (`default`, `help`, `optional`: settings using an unset one are
dropped), optional
`[hints]` (words for people: `refresh_token` says why a login may get none) and a
`[settings]` table in config.toml's profile vocabulary, where "{NAME}" stands for a
parameter's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oauth2cli.core.errors import ConfigError

HERE = Path(__file__).parent


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
        """The preset's settings with its parameters filled from `given` (else their defaults):
        store/presets.py's fill, the one the lean reads of a profile use too."""
        from oauth2cli.store.presets import fill

        return fill(self.name, self.settings, self.parameters, given)


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.toml"))


def exists(name: str) -> bool:
    from oauth2cli.store.presets import preset_file

    return preset_file(name) is not None


def load(name: str) -> Preset:
    from oauth2cli.store.presets import parameters_of, read_preset

    data = read_preset(name) if isinstance(name, str) else None
    if data is None:
        raise ConfigError(f"unknown preset {name!r} (known: {', '.join(names())})")
    return Preset(
        name=name,
        description=str(data.get("description", name)),
        settings=dict(data.get("settings", {})),
        parameters=parameters_of(data),
        requires=tuple(data.get("requires", ())),
        docs=data.get("docs"),
        hints={str(k): str(v) for k, v in data.get("hints", {}).items()},
    )

"""Provider presets as a profile sees them: the preset file read (remembered as config.toml is,
store/memo.py), its settings with the `{param}` placeholders filled, and the layering of a
profile over its preset. One implementation for the full path (oauth2cli/providers, which
wraps it in its Preset object, and flows/settings.py) and the lean one (store/view.py); this
module imports nothing Python's start has not loaded (no re, pathlib, typing, dataclasses).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# oauth2cli/providers/NAME.toml: data beside the package, read here without importing it.
PROVIDERS = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "providers")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")
_PARAM_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")


def preset_file(name: str) -> str | None:
    """The preset's file, or None when no preset has that name."""
    if not name or not set(name) <= _NAME_CHARS:
        return None
    path = os.path.join(PROVIDERS, f"{name}.toml")
    return path if os.path.isfile(path) else None


def read_preset(name: str, memo: str | None = None) -> dict | None:
    """The preset file's parsed form (remembered in `memo`); None when there is no such preset.
    store.memo.Unreadable when it does not parse."""
    from oauth2cli.store.memo import read_toml

    path = preset_file(name)
    return None if path is None else read_toml(path, memo)


def parameters_of(document: Mapping) -> dict:
    """A preset document's `[parameters.NAME]` tables."""
    return {k: dict(v) for k, v in document.get("parameters", {}).items()}


def fill(name: str, settings: Mapping, parameters: Mapping, given: Mapping) -> dict:
    """The preset's settings with its parameters filled from `given` (else their defaults): "{NAME}"
    stands for a parameter's value (a URL's without its trailing slash). Settings that use an
    optional parameter left unset are dropped (of a scope, only the words that use it).
    ConfigError when a parameter that is not optional has no value."""
    params: dict[str, str] = {}
    unset: set[str] = set()
    for param, spec in parameters.items():
        value = given.get(param, spec.get("default"))
        if value in (None, "") and spec.get("optional"):
            unset.add(param)
            continue
        if value in (None, ""):
            from oauth2cli.core.errors import ConfigError

            raise ConfigError(f"preset {name!r} needs the parameter {param!r} ({spec.get('help', '')})",
                              hint=f"give --preset-param {param}=VALUE")
        params[param] = str(value).rstrip("/") if param.endswith("url") else str(value)

    def uses_unset(value: object) -> bool:
        text = repr(value)
        return any("{" + param + "}" in text for param in unset)

    def drop(table: Mapping) -> dict:
        out: dict = {}
        for key, value in table.items():
            if isinstance(value, dict):
                out[key] = drop(value)
            elif isinstance(value, str) and " " in value:
                words = [w for w in value.split() if not uses_unset(w)]
                if words:
                    out[key] = " ".join(words)
            elif not uses_unset(value):
                out[key] = value
        return out

    def fill_in(value: object) -> object:
        if isinstance(value, str):
            return _substitute(value, params)
        if isinstance(value, list):
            return [fill_in(v) for v in value]
        if isinstance(value, dict):
            return {k: fill_in(v) for k, v in value.items()}
        return value

    return fill_in(drop(settings) if unset else dict(settings))


def _substitute(text: str, params: Mapping[str, str]) -> str:
    """Each "{name}" (a-z and _) replaced by params[name]; an unknown one is left as it is."""
    out, at = [], 0
    while True:
        start = text.find("{", at)
        if start < 0:
            break
        end = start + 1
        while end < len(text) and text[end] in _PARAM_CHARS:
            end += 1
        if end > start + 1 and end < len(text) and text[end] == "}":
            out.append(text[at:start])
            name = text[start + 1:end]
            out.append(params.get(name, text[start:end + 1]))
            at = end + 1
        else:
            out.append(text[at:start + 1])
            at = start + 1
    out.append(text[at:])
    return "".join(out)


def layers(name: str | None, settings: Mapping, parameters: Mapping, profile: Mapping,
           given: Mapping | None = None) -> tuple[dict, dict]:
    """(the preset's settings, filled from the profile's parameter values and `given`
    --preset-param values; the profile's own settings, without `preset` and those parameters):
    a profile over its preset, lowest layer first. With no preset (`name` None), ({}, profile)."""
    filled = fill(name, settings, parameters, {**profile, **(given or {})}) if name else {}
    own = {k: v for k, v in profile.items() if k != "preset" and k not in parameters}
    return filled, own


def merge(*layered: Mapping) -> dict:
    """Layers merged, later over earlier; `endpoints` merged endpoint by endpoint."""
    values: dict = {}
    for layer in layered:
        for key, value in layer.items():
            if key == "endpoints" and isinstance(value, dict):
                values["endpoints"] = {**values.get("endpoints", {}), **value}
            else:
                values[key] = value
    return values


def unmet(requires, values: Mapping) -> str | None:
    """The first setting a preset requires (`requires`) that `values` lack."""
    return next((need for need in requires if not values.get(need)), None)

"""Plug-ins from installed packages, found through entry points when a name asks for one.

    [project.entry-points."oauth2cli.client_auth"]
    my_method = "my_package.auth:sign"          # sign(request: HttpRequest, client: ClientCredentials) -> HttpRequest

    [project.entry-points."oauth2cli.compliance_fixes"]
    my_server = "my_package.fixes:FIX"          # a ComplianceFix, a {hook: fn} mapping, or factory(arg) -> either

Nothing is loaded at import time, and only the entry point whose name was asked for is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from oauth2cli.core import compliance
from oauth2cli.core.errors import ConfigError, printable

CLIENT_AUTH_GROUP = "oauth2cli.client_auth"
COMPLIANCE_GROUP = "oauth2cli.compliance_fixes"


def _load(group: str, name: str) -> Any | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=group):
        if entry.name == name:
            try:
                return entry.load()
            except Exception as exc:  # a broken plug-in is a configuration problem, said in one line
                raise ConfigError(f"cannot load plug-in {name!r} ({entry.value}) from {group}: "
                                  f"{type(exc).__name__}: {printable(exc, 200)}") from None
    return None


def names(group: str) -> list[str]:
    from importlib.metadata import entry_points

    return sorted({entry.name for entry in entry_points(group=group)})


def client_auth_method(name: str) -> Callable[..., Any]:
    method = _load(CLIENT_AUTH_GROUP, name)
    if method is None:
        from oauth2cli.core.client_auth import BUILTIN_METHODS

        raise ConfigError(
            f"unknown client authentication method {name!r}",
            hint="choose from " + ", ".join([*BUILTIN_METHODS, *names(CLIENT_AUTH_GROUP)]),
        )
    if not callable(method):
        raise ConfigError(f"client authentication plug-in {name!r} is not callable")
    return method


def compliance_fixes(specs: Iterable[str]) -> tuple[compliance.ComplianceFix, ...]:
    """The fixes named by `specs` (`name` or `name:arg`), in compliance.FIX_ORDER: built-ins
    first, then plug-ins as given. The order on the command line does not matter."""
    fixes = []
    for spec in specs:
        if not spec:
            continue
        fix = compliance.builtin_fix(spec)
        if fix is None:
            name, arg = compliance.split_spec(spec)
            value = _load(COMPLIANCE_GROUP, name)
            if value is None:
                raise ConfigError(
                    f"unknown compliance fix {name!r}",
                    hint="choose from " + ", ".join([*compliance.BUILTIN, *names(COMPLIANCE_GROUP)]),
                )
            fix = compliance.coerce_fix(name, value, arg)
        fixes.append(fix)
    return compliance.ordered(fixes)

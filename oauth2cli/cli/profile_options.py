"""The options `profile add` takes beyond the shared ad-hoc flags: what `login`, `token` and
`call` take and a profile remembers (tests/cli/test_profile_flags.py walks the command tree
so that a new rememberable option cannot be left out)."""

from __future__ import annotations

from typing import Any

import click

# profile add option name -> ClientSettings field (profile key)
REMEMBERED = {
    "redirect_uri": "redirect_uri", "redirect_port": "redirect_ports", "pkce": "pkce", "par": "use_par",
    "response_type": "response_type", "dpop": "dpop", "url": "urls", "auth_param": "auth_params",
    "login_method": "login_method", "response_mode": "response_mode", "request_object": "request_object",
    "fapi2": "fapi2", "step_up": "step_up",
}


def pop_remembered(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The remembered options as add_profile takes them (option names, as login passes them)."""
    if kwargs.get("pkce") and kwargs.get("no_pkce"):
        raise click.UsageError("--pkce and --no-pkce exclude each other")
    values: dict[str, Any] = {}
    no_pkce = kwargs.pop("no_pkce", False)
    for name in REMEMBERED:
        value = kwargs.pop(name, None)
        if name == "pkce" and no_pkce:
            value = "none"
        if value is not None and value != ():
            values[name] = value
    return values

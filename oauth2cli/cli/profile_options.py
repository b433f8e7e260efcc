"""The options `profile add` takes beyond the shared ad-hoc flags: what `login`, `token` and
`call` take and a profile remembers (tests/cli/test_profile_flags.py walks the command tree
so that a new rememberable option cannot be left out)."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cli.params import KEY_VALUE

# profile add option name -> ClientSettings field (profile key)
REMEMBERED = {
    "redirect_uri": "redirect_uri", "redirect_port": "redirect_ports", "pkce": "pkce", "par": "use_par",
    "response_type": "response_type", "dpop": "dpop", "url": "urls", "auth_param": "auth_params",
    "login_method": "login_method",
}

login_profile_options = (
    click.option("--redirect-uri", metavar="URL",
                 help="The fixed loopback redirect URI the client is registered with (as for login)."),
    click.option("--pkce", type=click.Choice(["S256", "plain"]), help="PKCE method for logins (default S256)."),
    click.option("--no-pkce", is_flag=True, help="Send no PKCE at login, for servers that break on it."),
    click.option("--par/--no-par", default=None, help="Push authorization requests first (RFC 9126)."),
    click.option("--response-type", type=click.Choice(["code", "token"]),
                 help="code (default), or token for the deprecated implicit grant."),
    click.option("--login-method", type=click.Choice(["browser", "device", "manual", "password"]),
                 help="How `oauth2 login` signs in when not told (login's --device, --manual, --password)."),
    click.option("--auth-param", "auth_param", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
                 help="Extra authorization request parameter for every login (login's -P), e.g. prompt=consent."),
    click.option("--dpop/--no-dpop", default=None, help="Bind tokens to a DPoP key (RFC 9449)."),
    click.option("--url", multiple=True, metavar="URL",
                 help="A base URL `oauth2 call` may send this profile's token to (repeatable)."),
)


def profile_login_options(f):
    for option in reversed(login_profile_options):
        f = option(f)
    return f


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

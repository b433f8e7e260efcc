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
    "login_method": "login_method", "response_mode": "response_mode", "request_object": "request_object",
    "fapi2": "fapi2", "step_up": "step_up",
}

login_profile_options = (
    click.option("--redirect-uri", metavar="URL",
                 help="The fixed loopback redirect URI the client is registered with (as for login)."),
    click.option("--pkce", type=click.Choice(["S256", "plain"]), help="PKCE method for logins (default S256)."),
    click.option("--no-pkce", is_flag=True, help="Send no PKCE at login, for servers that break on it."),
    click.option("--par/--no-par", default=None, help="Push authorization requests first (RFC 9126)."),
    click.option("--response-type", type=click.Choice(["code", "token", "code id_token", "code token",
                                                       "code id_token token"]),
                 help="code (default), a hybrid flow, or token for the deprecated implicit grant."),
    click.option("--response-mode", type=click.Choice(["query", "fragment", "form_post", "jwt", "query.jwt",
                                                       "fragment.jwt", "form_post.jwt"]), metavar="MODE",
                 help="How login answers come back: query, fragment, form_post, or JARM (jwt, query.jwt, ...)."),
    click.option("--request-object/--no-request-object", default=None,
                 help="Send login requests as a signed JWT (RFC 9101)."),
    click.option("--fapi2", is_flag=True, default=None,
                 help="FAPI 2.0 for every login: PAR, PKCE S256, JAR, DPoP and the iss check; weaker choices refused."),
    click.option("--step-up", is_flag=True, default=None,
                 help="`oauth2 call` logs in again when the resource asks for a stronger sign-in (RFC 9470)."),
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

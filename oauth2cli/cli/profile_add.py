"""`oauth2 profile add`: a profile from the same flags as ad-hoc use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import all_client_options, grant_option, pop_common
from oauth2cli.cli.params import KEY_VALUE, PRESET
from oauth2cli.cli.profile_options import pop_remembered, profile_login_options


@dataclass
class AddOptions:
    name: str
    discover: bool
    make_default: bool
    common: dict[str, Any] = field(default_factory=dict)


def run_add(opts: AddOptions, deps) -> None:
    from oauth2cli.flows.profiles import add_profile

    stored = add_profile(opts.name, opts.common, deps, discover=opts.discover)
    if opts.make_default:
        deps.store.set_default(opts.name)
    where = "preset " + stored["preset"] if "preset" in stored else stored.get("issuer") or "explicit endpoints"
    render.say(f"oauth2: added profile {opts.name!r} ({where}) to {deps.store.config_path}")
    if deps.store.default_profile == opts.name:
        render.say(f"oauth2: {opts.name!r} is the default profile")


@click.command(short_help="Add a profile.")
@click.argument("name")
@click.option("--preset", metavar="NAME", type=PRESET, help="Start from a provider preset (list them, and their parameters, with `oauth2 profile presets`).")
@click.option("--preset-param", "preset_params", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="A preset's parameter, e.g. tenant=contoso.com (microsoft) or base_url=https://git.example.com (gitlab).")
@grant_option
@click.option("--redirect-port", "redirect_port", multiple=True, type=click.IntRange(0, 65535), metavar="PORT",
              help="Loopback port(s) for the login redirect (default: any free port).")
@click.option("--leeway", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Refresh a token this long before it expires (default 60).")
@click.option("--no-discover", is_flag=True, help="Do not fetch the issuer's metadata now.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default profile.")
@profile_login_options
@all_client_options
def add(name: str, preset: str | None, preset_params: tuple, grant: str | None, redirect_port: tuple,
        leeway: float | None, no_discover: bool, make_default: bool, **kwargs: Any) -> None:
    """Add the profile NAME from the same flags as ad-hoc use.

    With an issuer, its metadata is fetched now and the endpoints found are stored. The
    client secret comes from --client-secret-file, --client-secret-env or
    OAUTH2_CLIENT_SECRET and goes to the secret store, never to config.toml.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli --scope "openid offline_access"
      $ OAUTH2_CLIENT_SECRET=... oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant client_credentials
      $ oauth2 profile add corp --preset microsoft --preset-param tenant=contoso.com --client-id 0000-1111
      $ oauth2 profile add web --issuer https://id.example.com --client-id web --redirect-uri http://127.0.0.1:8765/cb
    """
    remembered = pop_remembered(kwargs)
    common = pop_common(kwargs)
    common.update(remembered)
    common.update(preset=preset, preset_params=dict(preset_params), grant=_short_grant(grant),
                  redirect_port=redirect_port, leeway=leeway)
    run_add(AddOptions(name, not no_discover, make_default, common), render.deps_of())


def _short_grant(grant: str | None) -> str | None:
    if grant is None:
        return None
    from oauth2cli.core.grants import short_name

    return short_name(grant)

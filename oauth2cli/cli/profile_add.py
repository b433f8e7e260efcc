"""`oauth2 profile add`: a profile from the same flags as ad-hoc use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import _stack, all_client_options, grant_option, pop_common, pop_token_sources, token_source_options
from oauth2cli.cli.params import KEY_VALUE, PRESET
from oauth2cli.cli.profile_options import pop_remembered, profile_login_options


@dataclass
class AddOptions:
    name: str
    discover: bool
    make_default: bool
    common: dict[str, Any] = field(default_factory=dict)
    register: dict[str, Any] | None = None  # --register and its options (issue #20)


def run_add(opts: AddOptions, deps) -> None:
    from oauth2cli.flows.profiles import add_profile

    if opts.register is not None:
        stored = _register(opts, deps)
    else:
        stored = add_profile(opts.name, opts.common, deps, discover=opts.discover)
    if opts.make_default:
        deps.store.set_default(opts.name)
    where = "preset " + stored["preset"] if "preset" in stored else stored.get("issuer") or "explicit endpoints"
    iss = (stored.get("assertion") or {}).get("iss")
    if iss:
        where = f"service account {iss}, {where}"
    render.say(f"oauth2: added profile {opts.name!r} ({where}) to {deps.store.config_path}")
    if deps.store.default_profile == opts.name:
        render.say(f"oauth2: {opts.name!r} is the default profile")


ASSERTION_KEYS = ("service_account", "iss", "sub", "aud")
# issue #17: a jwt-bearer (RFC 7523) profile; the key goes to the secret store, never to config.toml.
assertion_profile_options = _stack(
    click.option("--service-account", type=click.Path(dir_okay=False), metavar="FILE.json",
                 help="A jwt-bearer profile from Google's service-account JSON as is: its private key goes to the "
                      "secret store; client_email, private_key_id and token_uri to config.toml."),
    click.option("--iss", metavar="ISSUER", help="jwt-bearer: the assertion's iss (default: the service account)."),
    click.option("--sub", "--subject", "sub", metavar="SUBJECT",
                 help="jwt-bearer: the assertion's sub, the user to act for (default: iss)."),
    click.option("--aud", multiple=True, metavar="AUDIENCE",
                 help="jwt-bearer: the assertion's aud (repeatable; default: the token endpoint)."),
)


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
@assertion_profile_options
@token_source_options
# -- RFC 7591 dynamic client registration (issue #20)
@click.option("--register", is_flag=True,
              help="Register a new client at the issuer's registration_endpoint (RFC 7591) instead of giving --client-id: "
                   "a native public client unless --auth-method says client_secret_basic, client_secret_post or private_key_jwt.")
@click.option("--client-name", metavar="TEXT", help="With --register: the client_name to register (default oauth2cli).")
@click.option("--registration-token-env", metavar="VAR",
              help="With --register: read the server's initial access token (RFC 7591 §3) from this environment variable.")
@profile_login_options
@all_client_options
def add(name: str, preset: str | None, preset_params: tuple, grant: str | None, redirect_port: tuple,
        leeway: float | None, no_discover: bool, make_default: bool, register: bool, client_name: str | None,
        registration_token_env: str | None, **kwargs: Any) -> None:
    """Add the profile NAME from the same flags as ad-hoc use.

    With an issuer, its metadata is fetched now and the endpoints found are stored. The
    client secret comes from --client-secret-file, --client-secret-env or
    OAUTH2_CLIENT_SECRET and goes to the secret store, never to config.toml.

    A jwt-bearer profile (--service-account FILE.json, or --grant jwt-bearer with
    --private-key and --iss) signs a new assertion whenever it needs a token; its private
    key goes to the secret store too. A profile with --assertion-source or
    --subject-token-source reads its CI job's OIDC token anew each time instead.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli --scope "openid offline_access"
      $ OAUTH2_CLIENT_SECRET=... oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant client_credentials
      $ oauth2 profile add corp --preset microsoft --preset-param tenant=contoso.com --client-id 0000-1111
      $ oauth2 profile add svc --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
      $ oauth2 profile add app --grant jwt-bearer --private-key key.pem --iss my-app --token-url https://id.example.com/token
      $ oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant token-exchange \\
            --subject-token-source github-actions:https://id.example.com
      $ oauth2 profile add mcp --issuer https://auth.example.com --register --scope openid
      $ oauth2 profile add web --issuer https://id.example.com --client-id web --redirect-uri http://127.0.0.1:8765/cb
    """
    remembered = pop_remembered(kwargs)
    common = {**pop_common(kwargs), **pop_token_sources(kwargs), **{k: kwargs.pop(k) for k in ASSERTION_KEYS}}
    common.update(remembered)
    common.update(preset=preset, preset_params=dict(preset_params), grant=_short_grant(grant),
                  redirect_port=redirect_port, leeway=leeway)
    if not register and (client_name or registration_token_env):
        raise click.UsageError("--client-name and --registration-token-env go with --register")
    registering = {"client_name": client_name, "token_env": registration_token_env} if register else None
    run_add(AddOptions(name, not no_discover, make_default, common, registering), render.deps_of())


def _register(opts: AddOptions, deps) -> dict[str, Any]:
    """--register: the server makes the client (RFC 7591); say what it made."""
    from oauth2cli.flows.registration import RegisterChoices, add_registered_profile

    assert opts.register is not None
    choices = RegisterChoices(auth_method=opts.common.get("auth_method"), client_name=opts.register["client_name"],
                              initial_access_token_env=opts.register["token_env"])
    stored, registration = add_registered_profile(opts.name, opts.common, deps, choices)
    method = registration.client.metadata.get("token_endpoint_auth_method", "none")
    kept = [k for k, v in (("client secret", registration.client.client_secret),
                           ("registration access token", registration.client.registration_access_token),
                           ("private key", registration.private_key)) if v]
    render.say(f"oauth2: registered client {registration.client.client_id!r} ({method})"
               + (f"; {', '.join(kept)} in {deps.store.secrets.name}" if kept else ""))
    return stored


def _short_grant(grant: str | None) -> str | None:
    if grant is None:
        return None
    from oauth2cli.core.grants import short_name

    return short_name(grant)

"""`oauth2 profile add`: a profile from the same flags as ad-hoc use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common, pop_token_sources
from oauth2cli.cli.profile_options import pop_remembered


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


def add(name: str, preset: str | None, preset_params: tuple, grant: str | None, redirect_port: tuple,
        leeway: float | None, no_discover: bool, make_default: bool, register: bool, client_name: str | None,
        registration_token_env: str | None, **kwargs: Any) -> None:
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

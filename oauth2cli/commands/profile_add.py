"""`oauth2 profile add`: a profile from the same flags as ad-hoc use."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common as common_options
from oauth2cli.commands.common import token_sources

# profile add option name -> ClientSettings field (profile key)
REMEMBERED = {
    "redirect_uri": "redirect_uri", "redirect_port": "redirect_ports", "pkce": "pkce", "par": "use_par",
    "response_type": "response_type", "dpop": "dpop", "url": "urls", "auth_param": "auth_params",
    "login_method": "login_method", "response_mode": "response_mode", "request_object": "request_object",
    "fapi2": "fapi2", "step_up": "step_up",
}
# issue #17: a jwt-bearer (RFC 7523) profile; the key goes to the secret store, never to config.toml.
ASSERTION_KEYS = ("service_account", "iss", "sub", "aud")


def _remembered(opts) -> dict:
    """The remembered options as add_profile takes them (option names, as login passes them)."""
    from oauth2cli.core.errors import UsageError

    if opts.pkce and opts.no_pkce:
        raise UsageError("--pkce and --no-pkce exclude each other")
    values = {}
    for name in REMEMBERED:
        value = "none" if name == "pkce" and opts.no_pkce else getattr(opts, name)
        if value is not None and value != ():
            values[name] = value
    return values


def run(opts, deps) -> int:
    from oauth2cli.cmdline.options import Options
    from oauth2cli.core.errors import UsageError

    common = {**common_options(opts), **token_sources(opts), **{k: getattr(opts, k) for k in ASSERTION_KEYS}}
    common.update(_remembered(opts))
    common.update(preset=opts.preset, preset_params=dict(opts.preset_params), grant=_short_grant(opts.grant),
                  redirect_port=opts.redirect_port, leeway=opts.leeway)
    if not opts.register and (opts.client_name or opts.registration_token_env):
        raise UsageError("--client-name and --registration-token-env go with --register")
    registering = {"client_name": opts.client_name, "token_env": opts.registration_token_env} if opts.register else None
    _add(Options(name=opts.name, discover=not opts.no_discover, make_default=opts.make_default, common=common,
                 register=registering), deps)
    return 0


def _add(opts, deps) -> None:
    from oauth2cli.flows.profiles.profiles import add_profile

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
    output.say(deps, f"oauth2: added profile {opts.name!r} ({where}) to {deps.store.config_path}")
    if deps.store.default_profile == opts.name:
        output.say(deps, f"oauth2: {opts.name!r} is the default profile")
    if not stored.get("urls"):
        output.say(deps, f"oauth2: note: profile {opts.name!r} has no urls: `oauth2 call` sends its token only with "
                         f"-p {opts.name}; tie it to its API with `oauth2 profile set {opts.name} url URL`")


def _register(opts, deps) -> dict:
    """--register: the server makes the client (RFC 7591); say what it made."""
    from oauth2cli.flows.profiles.registration import RegisterChoices, add_registered_profile

    assert opts.register is not None
    choices = RegisterChoices(auth_method=opts.common.get("auth_method"), client_name=opts.register["client_name"],
                              initial_access_token_env=opts.register["token_env"])
    stored, registration = add_registered_profile(opts.name, opts.common, deps, choices)
    method = registration.client.metadata.get("token_endpoint_auth_method", "none")
    kept = [k for k, v in (("client secret", registration.client.client_secret),
                           ("registration access token", registration.client.registration_access_token),
                           ("private key", registration.private_key)) if v]
    output.say(deps, f"oauth2: registered client {registration.client.client_id!r} ({method})"
               + (f"; {', '.join(kept)} in {deps.store.secrets.name}" if kept else ""))
    return stored


def _short_grant(grant: str | None) -> str | None:
    if grant is None:
        return None
    from oauth2cli.core.grants import short_name

    return short_name(grant)

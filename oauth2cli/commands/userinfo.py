"""`oauth2 userinfo`: the OpenID Connect userinfo of a profile (or of a given token) as JSON."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common


def _given_token(opts, deps) -> str:
    from oauth2cli.core.errors import ConfigError, UsageError

    if opts.token_env:
        value = deps.environ.get(opts.token_env, "").strip()
        if not value:
            raise ConfigError(f"--token-env names {opts.token_env}, which is not set or is empty")
        return value
    if getattr(deps.stdin, "isatty", lambda: False)():
        raise UsageError("give a PROFILE, --token-env VAR, or the access token on stdin")
    value = deps.stdin.read().strip()
    if not value:
        raise ConfigError("no access token on stdin")
    return value


def run(opts, deps) -> int:
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.endpoints import userinfo as userinfo_flow

    flags = common(opts)
    profile = opts.profile
    if not opts.token_env and not profile:
        profile = settings_flow.profile_or_default(None, flags, deps)
    if profile and not opts.token_env:
        claims = userinfo_flow.profile_userinfo(settings_flow.resolve(flags, deps, profile), deps)
    else:
        if profile:
            settings = settings_flow.resolve(flags, deps, profile)
        else:
            from oauth2cli.flows.exchange.oidc import settings_without_client

            settings = settings_without_client(flags, deps)
        claims = userinfo_flow.fetch_userinfo(settings, deps, _given_token(opts, deps))
    output.json_data(deps, claims)
    return 0

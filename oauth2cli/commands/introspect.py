"""`oauth2 introspect`: ask the server about a token (RFC 7662); JSON on stdout."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common


def run(opts, deps) -> int:
    from oauth2cli.commands.revoke import split_profile_and_token
    from oauth2cli.flows.grants.secret_input import read_secret
    from oauth2cli.core.errors import ConfigError, LoginRequired
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.endpoints.introspect import introspect_token

    flags = common(opts)
    named = opts.profile
    if named is None and opts.token is None:
        named = settings_flow.profile_or_default(None, flags, deps)
    profile, token = split_profile_and_token(named, opts.token, deps)
    settings = settings_flow.resolve(flags, deps, profile)
    hint = opts.token_type_hint
    if token is not None:
        token = read_secret(deps, "token", value=token)
    elif profile:
        stored = deps.store.load_tokens(profile)
        if stored is None:
            raise LoginRequired(f"profile {profile!r} has no stored token", hint=f"log in with `oauth2 login {profile}`")
        if hint == "refresh_token":
            if not stored.refresh_token:
                raise LoginRequired(f"profile {profile!r} has no stored refresh token")
            token = stored.refresh_token
        else:
            token, hint = stored.access_token, hint or "access_token"
    else:
        raise ConfigError("nothing to introspect: give a TOKEN ('-' reads stdin) or a PROFILE with stored tokens")
    output.json_data(deps, introspect_token(settings, deps, token, hint))
    return 0

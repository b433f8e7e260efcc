"""`oauth2 revoke`: revoke a token, or a profile's stored tokens (RFC 7009)."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common


def split_profile_and_token(profile: str | None, token: str | None, deps) -> tuple[str | None, str | None]:
    """`revoke X`: X is a profile when one has that name, else the token ('-' is always stdin)."""
    if profile is not None and token is None:
        if profile == "-" or profile not in deps.store.config.profiles:
            return None, profile
    return profile, token


def run(opts, deps) -> int:
    from oauth2cli.flows.grants.secret_input import read_secret
    from oauth2cli.core.errors import ConfigError, LoginRequired
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.discovery import Endpoints
    from oauth2cli.flows.endpoints.revoke import revoke_token

    flags = common(opts)
    hint = opts.token_type_hint
    named = opts.profile
    if named is None and opts.token is None:
        named = settings_flow.profile_or_default(None, flags, deps)
    profile, token = split_profile_and_token(named, opts.token, deps)
    settings = settings_flow.resolve(flags, deps, profile)
    endpoints = Endpoints(settings, deps)
    if token is not None:
        revoke_token(settings, deps, read_secret(deps, "token", value=token), hint, endpoints)
        output.say(deps, "oauth2: revoked the token")
        return 0
    if not profile:
        raise ConfigError("nothing to revoke: give a TOKEN ('-' reads stdin) or a PROFILE with stored tokens")
    stored = deps.store.load_tokens(profile)
    if stored is None:
        raise LoginRequired(f"profile {profile!r} has no stored token to revoke")
    # The refresh token first: revoking it ends the grant, so no new access token can follow (RFC 7009 §2.1).
    done = []
    if stored.refresh_token and hint in (None, "refresh_token"):
        revoke_token(settings, deps, stored.refresh_token, "refresh_token", endpoints)
        done.append("refresh token")
    if stored.access_token and hint in (None, "access_token"):
        revoke_token(settings, deps, stored.access_token, "access_token", endpoints)
        done.append("access token")
    if not done:
        raise LoginRequired(f"profile {profile!r} has no stored {hint.replace('_', ' ')}")
    if len(done) == 2 or not stored.refresh_token:
        # Nothing usable is left: forget the token set rather than keep a revoked one.
        deps.store.delete_tokens(profile)
    output.say(deps, f"oauth2: revoked the {' and the '.join(done)} of profile {profile}")
    return 0

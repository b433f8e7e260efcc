"""`oauth2 revoke`: revoke a token (RFC 7009)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common
from oauth2cli.cli.params import PROFILE, read_secret

HINT_HELP = "Tell the server what TOKEN is: access_token or refresh_token (RFC 7009 §2.1)."


def split_profile_and_token(profile: str | None, token: str | None, deps) -> tuple[str | None, str | None]:
    """`revoke X`: X is a profile when one has that name, else the token ('-' is always stdin)."""
    if profile is not None and token is None:
        if profile == "-" or profile not in deps.store.config.profiles:
            return None, profile
    return profile, token


@dataclass
class RevokeOptions:
    profile: str | None
    token: str | None
    token_type_hint: str | None
    common: dict[str, Any] = field(default_factory=dict)


def run_revoke(opts: RevokeOptions, deps) -> None:
    from oauth2cli.core.errors import ConfigError, LoginRequired
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.discovery import Endpoints
    from oauth2cli.flows.revoke import revoke_token

    if opts.profile is None and opts.token is None:
        opts.profile = settings_flow.profile_or_default(None, opts.common, deps)
    profile, token = split_profile_and_token(opts.profile, opts.token, deps)
    settings = settings_flow.resolve(opts.common, deps, profile)
    endpoints = Endpoints(settings, deps)
    if token is not None:
        revoke_token(settings, deps, read_secret(deps, "token", value=token), opts.token_type_hint, endpoints)
        render.say("oauth2: revoked the token")
        return
    if not profile:
        raise ConfigError("nothing to revoke: give a TOKEN ('-' reads stdin) or a PROFILE with stored tokens")
    stored = deps.store.load_tokens(profile)
    if stored is None:
        raise LoginRequired(f"profile {profile!r} has no stored token to revoke")
    # The refresh token first: revoking it ends the grant, so no new access token can follow (RFC 7009 §2.1).
    done = []
    if stored.refresh_token and opts.token_type_hint in (None, "refresh_token"):
        revoke_token(settings, deps, stored.refresh_token, "refresh_token", endpoints)
        done.append("refresh token")
    if stored.access_token and opts.token_type_hint in (None, "access_token"):
        revoke_token(settings, deps, stored.access_token, "access_token", endpoints)
        done.append("access token")
    if not done:
        raise LoginRequired(f"profile {profile!r} has no stored {opts.token_type_hint.replace('_', ' ')}")
    if len(done) == 2 or not stored.refresh_token:
        # Nothing usable is left: forget the token set rather than keep a revoked one.
        deps.store.delete_tokens(profile)
    render.say(f"oauth2: revoked the {' and the '.join(done)} of profile {profile}")


def revoke(profile: str | None, token: str | None, token_type_hint: str | None, **kwargs: Any) -> None:
    run_revoke(RevokeOptions(profile, token, token_type_hint, pop_common(kwargs)), render.deps_of())

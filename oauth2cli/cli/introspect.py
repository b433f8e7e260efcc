"""`oauth2 introspect`: ask the server about a token (RFC 7662); JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common
from oauth2cli.cli.params import PROFILE, read_secret


@dataclass
class IntrospectOptions:
    profile: str | None
    token: str | None
    token_type_hint: str | None
    common: dict[str, Any] = field(default_factory=dict)


def run_introspect(opts: IntrospectOptions, deps) -> None:
    from oauth2cli.cli.revoke import split_profile_and_token
    from oauth2cli.core.errors import ConfigError, LoginRequired
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.introspect import introspect_token

    if opts.profile is None and opts.token is None:
        opts.profile = settings_flow.profile_or_default(None, opts.common, deps)
    profile, token = split_profile_and_token(opts.profile, opts.token, deps)
    settings = settings_flow.resolve(opts.common, deps, profile)
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
    render.json_data(introspect_token(settings, deps, token, hint))


def introspect(profile: str | None, token: str | None, token_type_hint: str | None, **kwargs: Any) -> None:
    run_introspect(IntrospectOptions(profile, token, token_type_hint, pop_common(kwargs)), render.deps_of())

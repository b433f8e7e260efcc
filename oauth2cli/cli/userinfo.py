"""`oauth2 userinfo`: print the OpenID Connect userinfo of a profile as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.params import PROFILE


@dataclass
class UserinfoOptions:
    profile: str | None
    token_env: str | None = None
    common: dict[str, Any] = field(default_factory=dict)


def _given_token(opts: UserinfoOptions, deps) -> str:
    from oauth2cli.core.errors import ConfigError

    if opts.token_env:
        value = deps.environ.get(opts.token_env, "").strip()
        if not value:
            raise ConfigError(f"--token-env names {opts.token_env}, which is not set or is empty")
        return value
    if getattr(deps.stdin, "isatty", lambda: False)():
        raise click.UsageError("give a PROFILE, --token-env VAR, or the access token on stdin")
    value = deps.stdin.read().strip()
    if not value:
        raise ConfigError("no access token on stdin")
    return value


def run_userinfo(opts: UserinfoOptions, deps) -> None:
    from oauth2cli.flows import userinfo as userinfo_flow

    if not opts.token_env and not opts.profile:
        from oauth2cli.flows.settings import profile_or_default

        opts.profile = profile_or_default(None, opts.common, deps)
    if opts.profile and not opts.token_env:
        from oauth2cli.flows import settings as settings_flow

        settings = settings_flow.resolve(opts.common, deps, opts.profile)
        claims = userinfo_flow.profile_userinfo(settings, deps)
    else:
        from oauth2cli.flows.oidc import settings_without_client

        if opts.profile:
            from oauth2cli.flows import settings as settings_flow

            settings = settings_flow.resolve(opts.common, deps, opts.profile)
        else:
            settings = settings_without_client(opts.common, deps)
        claims = userinfo_flow.fetch_userinfo(settings, deps, _given_token(opts, deps))
    render.json_data(claims)


def userinfo(profile, token_env, **kwargs: Any) -> None:
    opts = UserinfoOptions(profile=profile, token_env=token_env, common=dict(kwargs))
    run_userinfo(opts, render.deps_of())

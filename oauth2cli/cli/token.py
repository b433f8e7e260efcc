"""`oauth2 token`: print a valid access token, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common, pop_token_sources
from oauth2cli.cli.params import PROFILE, read_secret

OUTPUTS = ("token", "json", "header", "env")
GRANT_FIELDS = (
    "username", "password_env", "password_file", "refresh_token_env", "refresh_token_file", "code",
    "redirect_uri", "code_verifier", "assertion_file", "subject_token", "subject_token_env", "subject_token_file",
    "actor_token", "actor_token_env", "actor_token_file", "actor_token_type",
    "requested_token_type",
)


@dataclass
class TokenOptions:
    profile: str | None
    grant: str | None
    output: str
    min_ttl: float | None
    common: dict[str, Any] = field(default_factory=dict)
    # per-grant inputs (GRANT_FIELDS), None when not given
    inputs: dict[str, Any] = field(default_factory=dict)


def run_token(opts: TokenOptions, deps) -> None:
    if not opts.profile and not opts.grant:
        from oauth2cli.flows.settings import profile_or_default

        opts.profile = profile_or_default(None, {**opts.common, **opts.inputs}, deps)
    if _cached_is_enough(opts, deps):
        from oauth2cli.store import view

        def look():
            hit = view.fresh_token(deps.environ, opts.profile, opts.min_ttl, deps.clock, deps.store)
            return hit if _printable(hit, opts) else (False if hit is False else None)

        # Stale: wait for the profile's lock and look again (store/view.settle); one of N racers
        # refreshes, the others print its result from here, without loading what a refresh needs.
        hit = view.settle(look, lambda: deps.store.lock(opts.profile), lambda: _run_full(opts, deps))
        if hit:
            _print_cached(hit, opts, deps)
        if hit is not None:
            return
    _run_full(opts, deps)


def _printable(hit, opts: TokenOptions) -> bool:
    return bool(hit) and not (opts.output == "header" and hit[1] == "DPoP")


def _print_cached(hit, opts: TokenOptions, deps) -> None:
    from types import SimpleNamespace

    access_token, token_type, expires_at = hit
    print_token(SimpleNamespace(access_token=access_token, token_type=token_type, expires_at=expires_at),
                opts.output, deps.clock())


def _run_full(opts: TokenOptions, deps) -> None:
    from oauth2cli.flows import settings as settings_flow

    # With a profile, a source flag only replaces the profile's source; the session decides when to use it.
    grant = opts.grant or (None if opts.profile else implied_grant(opts.common))
    options = {**opts.common, "grant": grant} if grant else opts.common
    settings = settings_flow.resolve(options, deps, opts.profile)
    if opts.profile and not grant:
        from oauth2cli.flows import session

        tokens = session.current_token(settings, deps, opts.min_ttl)
    else:
        grant = grant or settings.grant or "client_credentials"
        from oauth2cli.flows import commit

        # A grant saved in a profile: the store proves it can take the answer before it is asked
        # for, and a refresh token in it is kept (under the lock) before the id_token is checked.
        # (A refresh_token grant from the profile's own store is session.refresh's commit.)
        own_refresh = grant == "refresh_token" and not (opts.inputs.get("refresh_token_env")
                                                         or opts.inputs.get("refresh_token_file"))
        saving_in = opts.profile if not own_refresh else None
        with commit.prepared(deps, saving_in, kind="login",
                             previous=deps.store.load_tokens(saving_in) if saving_in else None) as saving:
            tokens = run_grant(grant, settings, deps, opts.inputs, opts.profile)
            if saving is not None:
                if tokens.id_token:
                    from oauth2cli.flows.oidc import check_id_token

                    check_id_token(settings, deps, tokens, nonce=None)  # before it is stored whole
                saving.final(tokens)
    print_token(tokens, opts.output, deps.clock())


def implied_grant(common: dict[str, Any]) -> str | None:
    """A source option says which grant it is for (the grant is still sent as named)."""
    if common.get("assertion_source"):
        return "jwt-bearer"
    if common.get("subject_token_source"):
        return "token-exchange"
    return None


def _cached_is_enough(opts: TokenOptions, deps) -> bool:
    """`oauth2 token PROFILE` as CI calls it: no flag that could change which token is right."""
    if not opts.profile or opts.grant or opts.output == "json" or deps.verbose:
        return False
    given = [v for v in (*opts.common.values(), *opts.inputs.values()) if v not in (None, False, (), [], "")]
    return not given


def run_grant(grant: str, settings, deps, inputs: dict[str, Any], profile: str | None = None):
    """Run one grant from flags; inputs are the GRANT_FIELDS options."""
    from oauth2cli.core import grants
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows import token as token_flow

    get = inputs.get
    if grant == "client_credentials":
        return token_flow.client_credentials(settings, deps)
    if grant == "password":
        if not get("username"):
            raise ConfigError("the password grant needs --username")
        password = read_secret(deps, "password", env=get("password_env"), path=get("password_file"),
                               prompt=f"Password for {get('username')}")
        return token_flow.password_grant(settings, deps, get("username"), password)
    if grant == "refresh_token":
        from oauth2cli.core.tokens import TokenSet

        if profile and not (get("refresh_token_env") or get("refresh_token_file")):
            from oauth2cli.flows import session

            return session.refresh(settings, deps)
        refresh_token = read_secret(deps, "refresh token", env=get("refresh_token_env"),
                                    path=get("refresh_token_file"), stdin_default=True)
        return token_flow.refresh(settings, deps, TokenSet(access_token="", refresh_token=refresh_token))
    if grant == "authorization_code":
        code = read_secret(deps, "authorization code", value=get("code"), stdin_default=False)
        if not code:
            raise ConfigError("the authorization_code grant needs --code (or `--code -` to read it from stdin)",
                              hint="`oauth2 login` runs the whole browser flow")
        return token_flow.authorization_code(settings, deps, code, get("redirect_uri") or settings.redirect_uri,
                                             get("code_verifier"))
    if grant == "device_code":
        try:
            from oauth2cli.flows.device import device_authorization_grant
        except ImportError:  # the device flow lands with its own issue
            from oauth2cli.core.errors import NotImplementedYet

            raise NotImplementedYet("--grant device_code") from None
        return device_authorization_grant(settings, deps)
    if grant == "jwt-bearer":
        from oauth2cli.flows import assertion as assertion_flow

        path = get("assertion_file")
        if settings.assertion_source and not path:
            return assertion_flow.fetch_with_assertion(settings, deps)
        assertion = read_secret(deps, "assertion", value="-" if path == "-" else None,
                                path=None if path == "-" else path)
        if not assertion:
            raise ConfigError("the jwt-bearer grant needs --assertion-source SOURCE or --assertion-file PATH "
                              "(or - for stdin)", hint="`oauth2 assertion` signs one for you")
        # RFC 7523 §3.1: without --client-id no client authentication is sent.
        return assertion_flow.exchange_assertion(settings, deps, assertion, scope=settings.scope)
    if grant == "token-exchange":
        if get("subject_token") == "-" and get("actor_token") == "-":
            raise ConfigError("only one of --subject-token and --actor-token can read stdin")
        subject = read_secret(deps, "subject token", value=get("subject_token"), env=get("subject_token_env"),
                              path=get("subject_token_file"))
        actor = read_secret(deps, "actor token", value=get("actor_token"), env=get("actor_token_env"),
                            path=get("actor_token_file"))
        from_source = subject is None and bool(settings.subject_token_source)
        if from_source:
            from oauth2cli.flows import token_sources

            subject = token_sources.read(settings.subject_token_source, settings, deps, "--subject-token-source")
        if subject is None:
            raise ConfigError("token exchange needs a subject token: --subject-token-source SOURCE, "
                              "--subject-token - (stdin), --subject-token-env VAR or --subject-token-file PATH")
        # RFC 8693 §3: a CI source's token is a JWT unless --subject-token-type says otherwise.
        subject_type = settings.subject_token_type or ("jwt" if from_source else "")
        return token_flow.token_exchange(
            settings, deps, subject, subject_type, actor_token=actor,
            actor_token_type=get("actor_token_type"), requested_token_type=get("requested_token_type"),
        )
    # An extension grant given by its URI (RFC 6749 §4.5): the request parameters and -P carry the rest.
    form = (("grant_type", grants.grant_type_value(grant) if grant in grants.GRANT_TYPES else grant),)
    form += grants.common_parameters(settings.scope, settings.audience, settings.resources, settings.params)
    return token_flow.exchange(settings, deps, form)


def print_token(tokens, output: str, now: float) -> None:
    from oauth2cli.commands.token_print import print_token as write  # one text for every command

    write(render.deps_of(), tokens, output, now)


def _secret_options(name: str, what: str, grant: str, *, value: bool = True) -> list:
    options = []
    if value:
        options.append(click.option(f"--{name}", metavar="TOKEN|-",
                                    help=f"{grant}: the {what}; '-' reads it from stdin (safer than argv)."))
    options += [
        click.option(f"--{name}-env", metavar="VAR", help=f"{grant}: read the {what} from this environment variable."),
        click.option(f"--{name}-file", metavar="PATH", type=click.Path(dir_okay=False),
                     help=f"{grant}: read the {what} from this file."),
    ]
    return options




def token(profile: str | None, grant: str | None, output: str, min_ttl: float | None, **kwargs: Any) -> None:
    inputs = {name: kwargs.pop(name) for name in GRANT_FIELDS if name in kwargs}
    common = {**pop_common(kwargs), **pop_token_sources(kwargs)}
    opts = TokenOptions(profile=profile, grant=grant, output=output, min_ttl=min_ttl, common=common, inputs=inputs)
    run_token(opts, render.deps_of())

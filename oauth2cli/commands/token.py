"""`oauth2 token`: print a valid access token, and nothing else.

With a PROFILE, its stored token (refreshed, or its grant run again, when it expires within
--min-ttl); with a PROFILE and --grant, that grant, its answer stored; without a PROFILE, a
grant ad hoc from flags and OAUTH2_* variables (--grant, else the grant a token source implies,
else client_credentials). Every grant runs through its registry entry (core/grants.REGISTRY,
flows/grants/grant_flows.run); whichever parser read the command line, this is the one code.
"""

from __future__ import annotations

from oauth2cli.commands.token_print import print_json, print_token

OUTPUTS = ("token", "json", "header", "env")


class TokenOptions:
    """The options of `oauth2 token` by their dest: PROFILE, --grant, -o, --min-ttl, and in `values`
    every other one given (server, client, request, transport, token sources, each grant's inputs)."""

    def __init__(self, profile: str | None = None, grant: str | None = None, output: str = "token",
                 min_ttl: float | None = None, **values) -> None:
        self.profile = profile
        self.grant = grant
        self.output = output
        self.min_ttl = min_ttl
        self.values = values

    @property
    def inputs(self) -> dict:
        """The grants' own options (core/grants: each entry's `inputs`)."""
        from oauth2cli.core.grants import input_fields

        fields = input_fields()
        return {k: v for k, v in self.values.items() if k in fields}

    @property
    def common(self) -> dict:
        """The options that make ClientSettings (flows/settings.resolve)."""
        from oauth2cli.core.grants import input_fields

        fields = input_fields()
        return {k: v for k, v in self.values.items() if k not in fields}


def run_options(opts, deps) -> int:
    """run() for the option table's options object, as either parser reads `oauth2 token`."""
    return run(TokenOptions(**vars(opts)), deps)


def run(opts: TokenOptions, deps) -> int:
    if not opts.profile and not opts.grant:
        from oauth2cli.flows.settings import profile_or_default

        opts.profile = profile_or_default(None, opts.values, deps)
    if _cached_is_enough(opts, deps):
        from oauth2cli.store import view

        def look():
            hit = view.fresh_token(deps.environ, opts.profile, opts.min_ttl, deps.clock, deps.given_store())
            return hit if _printable(hit, opts) else (False if hit is False else None)

        ran: list[int] = []
        # Stale: wait for the profile's lock and look again (store/view.settle); one of N racers
        # refreshes, the others print its result from here, without loading what a refresh needs.
        given = deps.given_store()
        lock = (lambda: view.lean_lock(deps.environ, opts.profile)) if given is None else (lambda: given.lock(opts.profile))
        hit = view.settle(look, lock, lambda: ran.append(_run_full(opts, deps)))
        if hit and _print_cached(hit, opts, deps):
            return 0
        if ran:
            return ran[0]
    return _run_full(opts, deps)


def _printable(hit, opts: TokenOptions) -> bool:
    return bool(hit) and not (opts.output == "header" and hit[1] == "DPoP")


def _print_cached(hit, opts: TokenOptions, deps) -> bool:
    """Print the fresh stored token `hit` names; False when it cannot be printed from the view (-o json of
    a stored token set that is gone or damaged since: the full path reads it again, and names the fault)."""
    if opts.output == "json":
        from oauth2cli.core.token_record import stored_form
        from oauth2cli.store import SAVED_AT, view

        record = view.stored_tokens(deps.environ, opts.profile, deps.given_store())
        try:
            data = stored_form({k: v for k, v in record.items() if k != SAVED_AT}) if record else None
        except ValueError:
            data = None
        if data is None or data.get("access_token") != hit[0]:
            return False
        print_json(deps, data, data.get("expires_at"), deps.clock())
        return True
    from types import SimpleNamespace

    access_token, token_type, expires_at = hit
    print_token(deps, SimpleNamespace(access_token=access_token, token_type=token_type, expires_at=expires_at),
                opts.output, deps.clock())
    return True


def _cached_is_enough(opts: TokenOptions, deps) -> bool:
    """`oauth2 token PROFILE` as CI calls it: no flag that could change which token is right."""
    if not opts.profile or opts.grant or deps.verbose:
        return False
    return not [v for v in opts.values.values() if v not in (None, False, (), [], "")]


def _run_full(opts: TokenOptions, deps) -> int:
    from oauth2cli.core import grants
    from oauth2cli.flows import settings as settings_flow

    common, inputs = opts.common, opts.inputs
    # With a profile, a source flag only replaces the profile's source; the session decides when to use it.
    grant = opts.grant or (None if opts.profile else grants.implied_by(common))
    grant = grants.short_name(grant) if grant else None
    settings = settings_flow.resolve({**common, "grant": grant} if grant else common, deps, opts.profile)
    if opts.profile and not grant:
        from oauth2cli.flows.grants import session

        tokens = session.current_token(settings, deps, opts.min_ttl)
    else:
        tokens = _run_grant(grant or settings.grant or "client_credentials", settings, deps, inputs, opts.profile)
    print_token(deps, tokens, opts.output, deps.clock())
    return 0


def _run_grant(grant: str, settings, deps, inputs: dict, profile: str | None):
    """The grant's flow; with a profile, its answer stored as a login's would be."""
    from oauth2cli.flows.exchange import commit
    from oauth2cli.flows.grants import grant_flows

    if grant == "refresh_token" and profile and not grant_flows.given_refresh_token(inputs):
        from oauth2cli.flows.grants import session

        return session.refresh(settings, deps)  # the profile's own refresh token, saved under its lock
    # A grant saved in a profile: the store proves it can take the answer before it is asked
    # for, and a refresh token in it is kept (under the lock) before the id_token is checked.
    with commit.prepared(deps, profile, kind="login",
                         previous=deps.store.load_tokens(profile) if profile else None) as saving:
        tokens = grant_flows.run(grant, settings, deps, inputs)
        if saving is not None:
            if tokens.id_token:
                from oauth2cli.flows.exchange.oidc import check_id_token

                check_id_token(settings, deps, tokens, nonce=None)  # before it is stored whole
            saving.final(tokens)
    return tokens

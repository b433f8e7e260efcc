"""`oauth2 refresh`: force a refresh_token grant, for a profile or ad hoc."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common


def run(opts, deps) -> int:
    from oauth2cli.commands.token_print import print_token
    from oauth2cli.flows import settings as settings_flow

    flags = common(opts)
    profile = opts.profile
    given = opts.refresh_token_env or opts.refresh_token_file
    if not given:
        profile = settings_flow.profile_or_default(profile, flags, deps)
    settings = settings_flow.resolve(flags, deps, profile)
    now = deps.clock
    if profile and not given:
        from oauth2cli.flows.grants import session

        tokens = session.refresh(settings, deps)
        if opts.output:
            print_token(deps, tokens, opts.output, now())
            return 0
        remaining = tokens.expires_in(now())
        lifetime = "no stated lifetime" if remaining is None else f"valid for {max(int(remaining), 0)} s"
        output.say(deps, f"oauth2: refreshed profile {profile}: new access token, {lifetime}")
        return 0
    from oauth2cli.flows.grants.secret_input import read_secret
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.flows.exchange import commit
    from oauth2cli.flows.exchange import token as token_flow

    refresh_token = read_secret(deps, "refresh token", env=opts.refresh_token_env, path=opts.refresh_token_file,
                                stdin_default=True)
    # Saved in a profile: the store proves it can take the answer before the refresh token is spent.
    with commit.prepared(deps, profile, kind="grant") as saving:
        tokens = token_flow.refresh(settings, deps, TokenSet(access_token="", refresh_token=refresh_token))
        if saving is not None:
            saving.final(tokens)
    # Ad hoc, nothing is stored: the whole answer (with a rotated refresh token) is the result.
    print_token(deps, tokens, opts.output or "json", now())
    return 0

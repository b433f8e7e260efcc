"""`oauth2 logout`: revoke and forget the tokens of a profile."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    _logout(opts.profile, deps, end_session=opts.end_session)
    return 0


def _logout(profile: str | None, deps, end_session: bool = False) -> None:
    from oauth2cli.core.errors import ConfigError, OAuth2CliError
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.discovery import Endpoints
    from oauth2cli.flows.endpoints.revoke import revoke_token

    store = deps.store
    profile = profile or store.default_profile
    if not profile:
        raise ConfigError("no profile given and no default profile", hint="name one: `oauth2 logout NAME`")
    store.profile(profile)
    if end_session:
        _end_session(profile, deps)
    with store.lock(profile):
        store.repair(profile)  # a damaged entry is moved aside, not left to block the logout
        tokens = store.load_tokens(profile)
        if tokens is None:
            output.say(deps, f"oauth2: profile {profile!r} is not logged in")
            return
        try:
            settings = settings_flow.resolve({}, deps, profile)
            endpoints = Endpoints(settings, deps)
            url = endpoints.get("revocation_endpoint")
        except OAuth2CliError as exc:
            output.warn(deps, f"cannot revoke ({exc.message}); forgetting the tokens anyway")
            url = None
        revoked = False
        if url:
            revoked = True
            # RFC 7009 §2.1: revoking the refresh token also ends its access tokens at most servers.
            targets = [(tokens.refresh_token, "refresh_token"), (tokens.access_token, "access_token")]
            for token, hint in targets:
                if not token:
                    continue
                try:
                    revoke_token(settings, deps, token, hint, endpoints=endpoints)
                except OAuth2CliError as exc:
                    revoked = False
                    output.warn(deps, f"revoking the {hint.replace('_', ' ')} failed: {exc.message}")
        elif url is None and "settings" in locals():
            output.say(deps, "oauth2: the server has no revocation endpoint; the tokens stay valid until they expire")
        store.delete_tokens(profile)
    output.say(deps, f"oauth2: logged out of {profile!r}" + (" (tokens revoked)" if revoked else ""))


def _end_session(profile: str, deps) -> None:
    """--end-session (issue #20): RP-initiated logout in the browser, before the tokens go."""
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.discovery import Endpoints
    from oauth2cli.flows.login.end_session import end_session

    tokens = deps.store.load_tokens(profile)
    if tokens is None:
        return  # nothing to hint with; the plain logout says "not logged in"
    settings = settings_flow.resolve({}, deps, profile)
    if end_session(settings, deps, tokens, Endpoints(settings, deps)):
        output.say(deps, f"oauth2: the server ended the session of {profile!r}")
    else:
        output.say(deps, "oauth2: the server has no end_session_endpoint; its session there stays; only revoking the tokens")

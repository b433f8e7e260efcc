"""`oauth2 kube-credential PROFILE`: the token kubectl sends, as an ExecCredential.

Kubernetes' OIDC authenticator checks an id_token's signature and exp, so with `openid` in
the scope the id_token is sent; when it is about to expire the profile is refreshed (a
refresh answer carries a new id_token, validated like the first before it is stored).
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError, LoginRequired
from oauth2cli.core.kube import ExecInfo, default_kind, exec_credential, id_token_expiry, id_token_stale

TYPE_CHECKING = False  # typing costs ~5 ms to import; kubectl runs this on every call
if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.helpers.helper import HelperChoices


def credential(deps: Deps, profile: str, kind: str | None, info: ExecInfo, choices: HelperChoices) -> str:
    """The ExecCredential JSON line for kubectl."""
    from oauth2cli.flows.helpers import helper_view

    if info.server:
        _check_server(deps, profile, info.server)

    quick = helper_view.settled(deps, profile, lambda settings, hit: _fresh(deps, profile, settings, kind, info, hit),
                                lambda: _credential(deps, profile, kind, info, choices))
    return _credential(deps, profile, kind, info, choices) if quick is None else quick


def _check_server(deps: Deps, profile: str, server: str) -> None:
    """The one trust rule (core.origins) for the cluster kubectl names (provideClusterInfo): a
    profile with `urls` answers only for an API server within them."""
    from oauth2cli.core.origins import profile_urls, token_may_go
    from oauth2cli.store.view import settings

    values = settings(deps.environ, profile) or {}
    urls = profile_urls(values)
    if urls and not token_may_go(urls, server, server):
        raise ConfigError(f"the token of profile {profile!r} may only go to {', '.join(urls)}; kubectl asks for {server}",
                          hint=f"add the server with `oauth2 profile set {profile} url {server}`")


def _fresh(deps: Deps, profile: str, settings: dict, kind: str | None, info: ExecInfo, hit: tuple) -> str | None:
    """The ExecCredential of a fresh stored token (store/view.py's `settings` and `hit`); None when
    the full settings must decide (a DPoP token, no id_token, a stale one)."""
    access_token, token_type, expires_at = hit
    if kind is None:
        scope = settings.get("scope")
        kind = default_kind(scope if isinstance(scope, str) else None)
    if kind == "access_token":
        return exec_credential(info.api_version, access_token, expires_at) if token_type == "Bearer" else None
    from oauth2cli.core.expiry import DEFAULT_LEEWAY
    from oauth2cli.store.view import stored_tokens

    stored = stored_tokens(deps.environ, profile)
    id_token = stored.get("id_token") if stored is not None else None
    leeway = settings.get("leeway", DEFAULT_LEEWAY)
    if not isinstance(id_token, str) or not id_token or not isinstance(leeway, (int, float)):
        return None
    if id_token_stale(id_token, deps.clock(), float(leeway)):
        return None
    return exec_credential(info.api_version, id_token, id_token_expiry(id_token))


def _credential(deps: Deps, profile: str, kind: str | None, info: ExecInfo, choices: HelperChoices) -> str:
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.helpers.helper import helper_tokens, shared_login

    settings = settings_flow.resolve({}, deps, profile)
    kind = kind or default_kind(settings.scope)
    tokens = helper_tokens(settings, deps, choices)
    if kind == "access_token":
        if tokens.token_type == "DPoP":
            raise ConfigError(f"the access token of profile {profile!r} is DPoP-bound; kubectl can only send a "
                              "bearer token", hint="use --id-token, or a profile without dpop")
        return exec_credential(info.api_version, tokens.access_token, tokens.expires_at)

    def id_token_fresh(candidate) -> bool:
        if not candidate.id_token:
            return False
        return not id_token_stale(candidate.id_token, deps.clock(), settings.leeway)

    if not tokens.id_token:
        raise ConfigError(f"profile {profile!r} has no id_token (its scope has no openid)",
                          hint=f"add openid with `oauth2 profile set {profile} scope \"openid ...\"` and log in "
                               f"again, or send the access token with --access-token")
    if not id_token_fresh(tokens):
        from oauth2cli.flows.grants import session

        try:
            tokens = session.refresh(settings, deps, stale=tokens)
        except LoginRequired:
            tokens = None
        if tokens is None or not id_token_fresh(tokens):
            from oauth2cli.flows.helpers.helper import can_reach_a_person

            if not can_reach_a_person(deps):
                raise LoginRequired(f"the id_token of profile {profile!r} has expired and a refresh did not renew it",
                                    hint=f"run `oauth2 login {profile}` in a terminal")
            tokens = shared_login(settings, deps, choices, usable=id_token_fresh)
    return exec_credential(info.api_version, tokens.id_token, id_token_expiry(tokens.id_token))

"""`oauth2 kube-credential PROFILE`: the token kubectl sends, as an ExecCredential.

Kubernetes' OIDC authenticator checks an id_token's signature and exp, so with `openid` in
the scope the id_token is sent; when it is about to expire the profile is refreshed (a
refresh answer carries a new id_token, validated like the first before it is stored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.errors import ConfigError, LoginRequired
from oauth2cli.core.kube import ExecInfo, default_kind, exec_credential, id_token_expiry, id_token_stale

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.helper import HelperChoices


def credential(deps: Deps, profile: str, kind: str | None, info: ExecInfo, choices: HelperChoices) -> str:
    """The ExecCredential JSON line for kubectl."""
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.helper import helper_tokens, shared_login

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
        from oauth2cli.flows import session

        try:
            tokens = session.refresh(settings, deps, stale=tokens)
        except LoginRequired:
            tokens = None
        if tokens is None or not id_token_fresh(tokens):
            from oauth2cli.flows.helper import can_reach_a_person

            if not can_reach_a_person(deps):
                raise LoginRequired(f"the id_token of profile {profile!r} has expired and a refresh did not renew it",
                                    hint=f"run `oauth2 login {profile}` in a terminal")
            tokens = shared_login(settings, deps, choices, usable=id_token_fresh)
    return exec_credential(info.api_version, tokens.id_token, id_token_expiry(tokens.id_token))

"""Hybrid flows (OIDC Core §3.3): response types `code id_token`, `code token`, `code id_token token`.
The front-channel id_token is verified in full before the code is exchanged; the token endpoint's
id_token must then name the same user (§3.3.3.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oauth2cli.core.authorization import AuthorizationRequest, AuthorizationResponse
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints

RESPONSE_TYPES = ("code id_token", "code token", "code id_token token")


def check_settings(settings: ClientSettings) -> None:
    if "id_token" in settings.response_type.split() and "openid" not in (settings.scope or "").split():
        raise ConfigError(f"response type {settings.response_type!r} returns an id_token, which needs scope openid",
                          hint="add openid to --scope")
    if settings.response_mode == "query":
        # OIDC Multiple Response Types §5: tokens must not travel in the query string
        raise ConfigError(f"response type {settings.response_type!r} cannot use response_mode query",
                          hint="leave --response-mode out (fragment), or use form_post")


def check_front_channel(settings: ClientSettings, deps: Deps, endpoints: Endpoints, request: AuthorizationRequest,
                        response: AuthorizationResponse) -> dict[str, Any] | None:
    """The claims of the id_token that came with the code, verified (§3.3.2.12: c_hash and nonce
    required, at_hash beside an access token); None for `code token`."""
    from oauth2cli.flows.exchange.oidc import check_id_token, max_age

    id_token = response.params.get("id_token")
    if not id_token:
        return None
    front = TokenSet(access_token=response.params.get("access_token", ""), id_token=id_token)
    return check_id_token(settings, deps, front, nonce=request.nonce, endpoints=endpoints, max_age=max_age(settings),
                          code=response.code, front_channel=True)


def same_user(front: dict[str, Any] | None, back: dict[str, Any] | None) -> None:
    """OIDC Core §3.3.3.6: the token endpoint's id_token has the iss and sub of the front channel's."""
    if front is None or back is None:
        return
    for name in ("iss", "sub"):
        if front.get(name) != back.get(name):
            raise ProtocolError(f"id_token rejected: the token endpoint's id_token has {name} {back.get(name)!r}, "
                                f"the one from the authorization endpoint {front.get(name)!r} (OIDC Core §3.3.3.6)")

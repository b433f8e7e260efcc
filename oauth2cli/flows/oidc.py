"""OpenID Connect checks of tokens the server hands us.

FIRST VERSION (issue #4's minimum): nonce, iss and aud of the id_token, without the
signature. Issue #7 replaces the body with the full OIDC Core §3.1.3.7 validation
(signature against the JWKS, alg policy, exp/iat, azp, at_hash/c_hash, auth_time)
behind the same signature.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints


def unverified_claims(jwt: str) -> dict[str, Any]:
    try:
        payload = jwt.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise ProtocolError(f"the id_token is not a JWT: {exc}") from None
    if not isinstance(data, dict):
        raise ProtocolError("the id_token's claims are not a JSON object")
    return data


def check_id_token(settings: ClientSettings, deps: Deps, tokens: TokenSet, *, nonce: str | None,
                   endpoints: Endpoints | None = None, max_age: int | None = None) -> dict[str, Any] | None:
    """The id_token's claims after validation, or None when there is no id_token. Raises ProtocolError."""
    if not tokens.id_token:
        return None
    claims = unverified_claims(tokens.id_token)
    issuer = settings.issuer or (endpoints.metadata.issuer if endpoints and endpoints.metadata else None)
    if issuer and claims.get("iss", "").rstrip("/") != issuer.rstrip("/"):
        raise ProtocolError(f"id_token rejected: iss is {claims.get('iss')!r}, expected {issuer!r}")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if settings.client.client_id not in audiences:
        raise ProtocolError(f"id_token rejected: aud {aud!r} does not contain client_id {settings.client.client_id!r}")
    if nonce is not None and claims.get("nonce") != nonce:
        raise ProtocolError("id_token rejected: nonce does not match the one sent")
    return claims

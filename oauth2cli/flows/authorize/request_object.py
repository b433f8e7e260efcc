"""The authorization request as a signed request object (RFC 9101), with the profile's key or,
for a confidential client without one, HS256 with its client secret."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from oauth2cli.core import request_object as core
from oauth2cli.core.authorization import AuthorizationRequest
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints


def signing_key(settings: ClientSettings, deps: Deps):
    """The key and kid to sign with: --private-key (or the stored one), else the client secret."""
    from oauth2cli.core import jose

    if settings.private_key:
        key = jose.load_private_key_file(settings.private_key)
    elif settings.profile and (stored := deps.store.secrets.get(settings.profile, "private_key")):
        key = jose.load_private_key(stored, source=f"the stored private key of profile {settings.profile!r}")
    elif settings.client.client_secret:
        return jose.secret_key(settings.client.client_secret), None  # RFC 9101 §4 / OIDC Core §10.1
    else:
        raise ConfigError("a signed request object (--request-object) needs the client's private key or secret",
                          hint="give --private-key PATH, or a client secret for HS256")
    return key, settings.key_id or getattr(key, "kid", None)


def sign_request(settings: ClientSettings, deps: Deps, endpoints: Endpoints,
                 request: AuthorizationRequest) -> AuthorizationRequest:
    """`request` with its parameters moved into a signed JWT: outside only client_id and request."""
    from oauth2cli.core import jose

    meta = endpoints.metadata if settings.issuer else None
    issuer = meta.issuer if meta else settings.issuer
    if not issuer:
        raise ConfigError("a request object's aud is the issuer, and none is known", hint="give --issuer")
    key, kid = signing_key(settings, deps)
    listed = meta.document.get("request_object_signing_alg_values_supported") if meta else None
    key_alg = key.as_dict(private=False).get("alg") if key.key_type != "oct" else None
    default = "HS256" if key.key_type == "oct" else jose.default_alg(key)
    alg = core.signing_alg(key.key_type, default, listed if isinstance(listed, list) else None, key_alg)
    claims = core.request_object_claims(request.params, client_id=settings.client.client_id, audience=issuer,
                                        now=deps.clock(), jti=jose.new_jti())
    signed = core.sign_request_object(claims, key, alg, kid)
    return replace(request, params=core.outer_parameters(settings.client.client_id, signed))

"""OpenID Connect checks of tokens the server hands us: the id_token (OIDC Core §3.1.3.7).

check_id_token raises before anything is stored: callers (login, refresh) save the
token set only after it returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oauth2cli.core import idtoken, jose
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints


def unverified_claims(jwt: str) -> dict[str, Any]:
    """The claims of an id_token, NOT verified (for display only)."""
    return jose.split_jwt(jwt, what="the id_token")[1]


def expected_issuer(settings: ClientSettings, endpoints: Endpoints) -> str:
    # The discovered issuer is the exact string the server uses (OIDC Discovery §4.3).
    meta = endpoints.metadata
    issuer = meta.issuer if meta else settings.issuer
    if not issuer:
        raise ConfigError("cannot check the id_token without the issuer it must come from",
                          hint="give --issuer (or set issuer in the profile)")
    return issuer


def allowed_algs(endpoints: Endpoints) -> tuple[str, ...]:
    meta = endpoints.metadata
    listed = meta.document.get("id_token_signing_alg_values_supported") if meta else None
    if isinstance(listed, list) and all(isinstance(a, str) for a in listed):
        return tuple(listed)
    return idtoken.DEFAULT_ALGS


def verify_signature(token: str, header: dict[str, Any], settings: ClientSettings, deps: Deps,
                     endpoints: Endpoints, expected: idtoken.Expected) -> None:
    from oauth2cli.flows.exchange import jwks

    alg = idtoken.check_alg(header, expected, has_client_secret=bool(settings.client.client_secret))
    if jose.is_hmac(alg):
        idtoken.verify_hmac(token, alg, settings.client.client_secret or "")
        return
    uri = endpoints.get("jwks_uri")
    if not uri:
        raise ConfigError("cannot verify the id_token's signature: the server announces no jwks_uri",
                          hint="give --jwks-url")
    jwks.verify(token, header, uri, deps, endpoints.http, what="id_token")


def max_age(settings: ClientSettings) -> int | None:
    """The max_age sent with -P (OIDC Core §3.1.2.1): the id_token's auth_time is then checked (§3.1.3.7 item 13)."""
    values = [v for k, v in settings.auth_params if k == "max_age"]
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        raise ConfigError(f"max_age must be a number of seconds, not {values[-1]!r}") from None


def check_id_token(settings: ClientSettings, deps: Deps, tokens: TokenSet, *, nonce: str | None,
                   endpoints: Endpoints | None = None, max_age: int | None = None,
                   previous: TokenSet | None = None, code: str | None = None,
                   front_channel: bool = False) -> dict[str, Any] | None:
    """The id_token's claims after validation, or None when there is no id_token.

    After a refresh, pass the token set it replaces as `previous`: a new id_token must
    name the same user (OIDC Core §12.2); an unchanged one is not checked again.
    Pass the authorization `code` whenever one came with this id_token: c_hash is then checked
    (OIDC Core §3.3.2.11); with front_channel (a hybrid response) c_hash, and at_hash beside an
    access token, are required. Raises ProtocolError (exit 3) naming the failed check, or
    ConfigError when the issuer or its keys are unknown.
    """
    if not tokens.id_token:
        return None
    if previous is not None and previous.id_token == tokens.id_token:
        return unverified_claims(tokens.id_token)  # the one checked at login, kept by after_refresh
    from oauth2cli.flows.discovery import Endpoints

    endpoints = endpoints or Endpoints(settings, deps)
    header, claims = jose.split_jwt(tokens.id_token, what="the id_token")
    issuer = expected_issuer(settings, endpoints)
    meta = endpoints.metadata
    if meta is not None and meta.issuer_template:
        # A multi-tenant document (Microsoft's common/organizations/consumers): iss is the
        # template with this token's own tid, and nothing looser.
        issuer = idtoken.tenant_issuer(meta.issuer_template, claims)
    expected = idtoken.Expected(
        issuer=issuer,
        client_id=settings.client.client_id,
        now=deps.clock(),
        nonce=nonce,
        allowed_algs=allowed_algs(endpoints),
        access_token=tokens.access_token or None,
        max_age=max_age,
        code=code,
        require_c_hash=front_channel and code is not None,
        require_at_hash=front_channel and bool(tokens.access_token),
    )
    verify_signature(tokens.id_token, header, settings, deps, endpoints, expected)
    try:
        idtoken.validate_claims(header, claims, expected)
    except ValueError as exc:  # an at_hash for an algorithm without a known hash
        raise ProtocolError(f"id_token rejected: {exc}") from None
    if previous is not None and previous.id_token:
        before = unverified_claims(previous.id_token)
        for name in ("iss", "sub"):
            # OIDC Core §12.2: a refreshed id_token has the same iss and sub as the original.
            if claims.get(name) != before.get(name):
                raise ProtocolError(f"id_token rejected: the refreshed id_token has {name} {claims.get(name)!r}, "
                                    f"the original {before.get(name)!r}")
    return claims


def settings_without_client(options: dict[str, Any], deps: Deps) -> ClientSettings:
    """Settings from flags for commands that need no client (decode, userinfo with a given token)."""
    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.flows import settings as settings_flow

    if options.get("client_id"):
        return settings_flow.resolve(options, deps)
    values = settings_flow.settings_values(options)
    values.pop("auth_method", None)
    values.pop("client_id", None)
    if values.get("issuer"):
        values["issuer"] = normalize_issuer(values["issuer"])
    return ClientSettings(client=ClientCredentials(client_id=""), **values)


def verify_jwt(token: str, settings: ClientSettings, deps: Deps, *, keys: list | None = None,
               audience: str | None = None, what: str = "the token") -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Verify any JWT: the signature against `keys` (from --key) or the issuer's JWKS, then the
    registered claims (iss when an issuer is known). Returns header, claims and the checks made."""
    from oauth2cli.flows.exchange import jwks
    from oauth2cli.flows.discovery import Endpoints

    header, claims = jose.split_jwt(token, what=what)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise ProtocolError(f"{what} rejected: it is not signed (alg {alg!r})")
    if jose.key_type_for_alg(alg) is None:
        raise ProtocolError(f"{what} rejected: alg {alg} is not a JWS signature algorithm")
    endpoints = Endpoints(settings, deps)
    issuer = None
    if keys is not None:
        # An HMAC alg verifies only with an oct key given on purpose; never with a public key.
        fitting = [k for k in keys if k.key_type == jose.key_type_for_alg(alg)
                   and (header.get("kid") is None or k.kid in (None, header.get("kid")))]
        if not fitting:
            raise ProtocolError(f"{what} rejected: no given key fits alg {alg}"
                                + (f" and kid {header['kid']!r}" if header.get("kid") else ""))
        if not any(jose.verify_jws(token, k, alg) for k in fitting):
            raise ProtocolError(f"{what} rejected: the signature does not verify ({alg}) with the given key")
        if settings.issuer:
            issuer = expected_issuer(settings, endpoints)
    else:
        if jose.is_hmac(alg):
            if not settings.client.client_secret:
                raise ProtocolError(f"{what} rejected: alg {alg} needs a shared secret, not the issuer's public keys",
                                    hint="give the secret as a JWK with --key")
            idtoken.verify_hmac(token, alg, settings.client.client_secret)
        else:
            uri = endpoints.get("jwks_uri")
            if not uri:
                raise ConfigError("--verify needs keys: give --key, --jwks-url or --issuer")
            jwks.verify(token, header, uri, deps, endpoints.http, what=what)
        if settings.issuer:
            issuer = expected_issuer(settings, endpoints)
    checked = idtoken.validate_jwt_claims(claims, now=deps.clock(), issuer=issuer, audience=audience, what=what)
    return header, claims, ["signature", *checked]

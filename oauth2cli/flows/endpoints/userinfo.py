"""The UserInfo endpoint (OIDC Core §5.3): claims about the user an access token stands for."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import ProtocolError, ServerError
from oauth2cli.core.http import HttpRequest, HttpResponse, parse_json_object
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints


def userinfo_request(url: str, access_token: str, token_type: str = "Bearer") -> HttpRequest:
    # OIDC Core §5.3.1: the access token as a Bearer token (RFC 6750 §2.1).
    return HttpRequest("GET", url, headers=(("Accept", "application/json, application/jwt"),
                                            ("Authorization", f"{token_type} {access_token}")))


def bearer_error(response: HttpResponse) -> ServerError | None:
    """RFC 6750 §3: the error of a WWW-Authenticate challenge, if any."""
    import re

    challenge = response.header("WWW-Authenticate") or ""
    found = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    if "error" not in found:
        return None
    return ServerError(found["error"], found.get("error_description"), status=response.status,
                       endpoint="userinfo endpoint")


def parse_userinfo(response: HttpResponse, settings: ClientSettings, deps: Deps, endpoints: Endpoints) -> dict[str, Any]:
    if response.status in (401, 403):
        raise bearer_error(response) or ProtocolError(f"the userinfo endpoint refused the token: {response.describe()}")
    if response.status != 200:
        raise ProtocolError(f"the userinfo endpoint failed: {response.describe()}")
    if response.content_type == "application/jwt":
        return _signed_userinfo(response.body.decode("ascii", "replace").strip(), settings, deps, endpoints)
    claims = parse_json_object(response, "userinfo endpoint")
    if not isinstance(claims.get("sub"), str):
        raise ProtocolError("the userinfo answer has no sub (OIDC Core §5.3.2)")
    return claims


def _signed_userinfo(token: str, settings: ClientSettings, deps: Deps, endpoints: Endpoints) -> dict[str, Any]:
    from oauth2cli.core import idtoken, jose
    from oauth2cli.flows.exchange import jwks
    from oauth2cli.flows.exchange.oidc import expected_issuer

    if token.count(".") == 4:
        # OIDC Core §5.3.2: encrypted, and then signed inside when the client registered both.
        plaintext = _decrypt(token, settings, deps)
        if plaintext.count(".") == 2:
            return _signed_userinfo(plaintext, settings, deps, endpoints)
        try:
            claims = json.loads(plaintext)
        except ValueError:
            raise ProtocolError("the decrypted userinfo answer is neither JSON nor a signed JWT") from None
        if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str):
            raise ProtocolError("the decrypted userinfo answer has no sub (OIDC Core §5.3.2)")
        return claims
    header, claims = jose.split_jwt(token, what="the signed userinfo answer")
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none" or jose.key_type_for_alg(alg) is None:
        raise ProtocolError(f"the signed userinfo answer has an unusable alg {alg!r}")
    if jose.is_hmac(alg):
        if not settings.client.client_secret:
            raise ProtocolError(f"the userinfo answer is signed with {alg}, which needs the client secret")
        idtoken.verify_hmac(token, alg, settings.client.client_secret)
    else:
        uri = endpoints.require("jwks_uri")
        jwks.verify(token, header, uri, deps, endpoints.http, what="the signed userinfo answer")
    # OIDC Core §5.3.2: a signed answer SHOULD carry iss and aud; when present they must be right.
    if "iss" in claims and claims["iss"] != expected_issuer(settings, endpoints):
        raise ProtocolError(f"the signed userinfo answer has iss {claims['iss']!r}, not the issuer's")
    if "aud" in claims and settings.client.client_id:
        aud = claims["aud"]
        if settings.client.client_id not in (aud if isinstance(aud, list) else [aud]):
            raise ProtocolError(f"the signed userinfo answer is for aud {aud!r}, not this client")
    if not isinstance(claims.get("sub"), str):
        raise ProtocolError("the userinfo answer has no sub (OIDC Core §5.3.2)")
    return claims


def _decrypt(token: str, settings: ClientSettings, deps: Deps, what: str = "the userinfo answer") -> str:
    """A JWE compact answer decrypted with the client's private key (the profile's `private_key`
    file, or the key kept in the secret store)."""
    import warnings

    from joserfc import jwe

    from oauth2cli.core import jose

    if settings.private_key:
        key = jose.load_private_key_file(settings.private_key)
    elif settings.profile and (stored := deps.store.secrets.get(settings.profile, "private_key")):
        key = jose.load_private_key(stored, source=f"the stored private key of profile {settings.profile!r}")
    else:
        raise ProtocolError(f"{what} is encrypted (JWE), and this profile has no private key to "
                            "decrypt it", hint="set private_key in the profile, or give --private-key")
    # Key management and content encryption worth trusting; RSA1_5 is left out (RFC 8725 §3.2).
    algorithms = ["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
                  "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"]
    # cty "JWT" (a signed answer inside) and kid are ordinary in these answers.
    registry = jwe.JWERegistry(algorithms=algorithms, strict_check_header=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jwe.decrypt_compact(token, jose.joserfc_key(key), registry=registry).plaintext.decode("utf-8")
    except Exception as exc:
        raise ProtocolError(f"cannot decrypt {what}: {type(exc).__name__}: {exc}") from None


def fetch_userinfo(settings: ClientSettings, deps: Deps, access_token: str, token_type: str = "Bearer",
                   endpoints: Endpoints | None = None) -> dict[str, Any]:
    from oauth2cli.flows.discovery import Endpoints

    endpoints = endpoints or Endpoints(settings, deps)
    url = endpoints.require("userinfo_endpoint")
    request = userinfo_request(url, access_token, token_type)
    if token_type.lower() == "dpop":
        # RFC 9449 §7: a fresh proof bound to this request and to the token (ath), one nonce retry.
        from oauth2cli.core import dpop as core_dpop
        from oauth2cli.flows.exchange import dpop

        def send(nonce: str | None = None) -> HttpResponse:
            proof = dpop.proof(settings, deps, "GET", url, access_token=access_token, nonce=nonce)
            return endpoints.http.send(request.with_header("DPoP", proof))

        response = send()
        dpop.remember_nonce(deps, url, response.headers)
        nonce = core_dpop.resource_wants_nonce(response.status, response.headers)
        if nonce:
            response = send(nonce)
        return parse_userinfo(response, settings, deps, endpoints)
    return parse_userinfo(endpoints.http.send(request), settings, deps, endpoints)


def profile_userinfo(settings: ClientSettings, deps: Deps) -> dict[str, Any]:
    """Userinfo with a profile's stored token (refreshed when near expiry, and once after a 401)."""
    from oauth2cli.core import jose
    from oauth2cli.flows.grants import session
    from oauth2cli.flows.discovery import Endpoints

    endpoints = Endpoints(settings, deps)
    tokens = session.current_token(settings, deps)
    try:
        claims = fetch_userinfo(settings, deps, tokens.access_token, tokens.token_type, endpoints)
    except ServerError as exc:
        if exc.error != "invalid_token" or not tokens.refresh_token:
            raise
        tokens = session.refresh(settings, deps, stale=tokens)
        claims = fetch_userinfo(settings, deps, tokens.access_token, tokens.token_type, endpoints)
    if tokens.id_token:
        # OIDC Core §5.3.4: the userinfo sub must be the id_token's sub, or the answer is not about our user.
        id_sub = jose.split_jwt(tokens.id_token, what="the stored id_token")[1].get("sub")
        if id_sub is not None and claims.get("sub") != id_sub:
            raise ProtocolError(f"the userinfo sub {claims.get('sub')!r} is not the id_token's sub {id_sub!r}")
    return claims

"""id_token validation, OpenID Connect Core 1.0 §3.1.3.7 (and §3.3.2.12 for c_hash).

Pure: the caller passes the time, the expected values and the keys; each failed check
raises a ProtocolError that names it ("id_token rejected: ..."), exit code 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oauth2cli.core import jose
from oauth2cli.core.errors import ProtocolError, printable

DEFAULT_LEEWAY = 60.0  # clock skew tolerated for exp, iat, auth_time
# OIDC Discovery §3: a server that names no id_token_signing_alg_values_supported uses RS256.
DEFAULT_ALGS = ("RS256",)


@dataclass(frozen=True)
class Expected:
    issuer: str
    client_id: str
    now: float
    nonce: str | None = None
    # The server's id_token_signing_alg_values_supported (OIDC Discovery §3).
    allowed_algs: Sequence[str] = DEFAULT_ALGS
    access_token: str | None = None  # checked against at_hash when the claim is present
    code: str | None = None  # checked against c_hash when present
    # OIDC Core §3.3.2.11: an id_token from the authorization endpoint beside a code (or token) must carry c_hash (at_hash)
    require_c_hash: bool = False
    require_at_hash: bool = False
    max_age: int | None = None  # asked in the authorization request: auth_time is then required
    leeway: float = DEFAULT_LEEWAY


def _reject(message: str) -> ProtocolError:
    return ProtocolError(f"id_token rejected: {message}")


def check_alg(header: dict[str, Any], expected: Expected, *, has_client_secret: bool) -> str:
    """The JWS alg, once allowed: the server's list minus "none"; HMAC only with a client secret."""
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        raise _reject("the JWS header has no alg")
    if alg.lower() == "none":
        # OIDC Core §3.1.3.7 item 6: a code-flow id_token is signed; unsigned ones are never accepted.
        raise _reject("alg \"none\" (an unsigned token) is never accepted")
    allowed = [a for a in expected.allowed_algs if a.lower() != "none"]
    if alg not in allowed:
        raise _reject(f"alg {alg} is not one the server announces for id_tokens ({', '.join(allowed) or 'none'})")
    if jose.is_hmac(alg) and not has_client_secret:
        # OIDC Core §10.1: the MAC key is the client secret; a public key is never an HMAC key.
        raise _reject(f"alg {alg} is keyed with the client secret, and this client has none")
    if jose.key_type_for_alg(alg) is None:
        raise _reject(f"alg {alg} is not a JWS signature algorithm")
    if "crit" in header:
        # RFC 7515 §4.1.11: we understand no extension, so a critical one means reject.
        raise _reject(f"the JWS header has critical extensions we do not understand: {header['crit']!r}")
    return alg


def verify_hmac(token: str, alg: str, client_secret: str) -> None:
    if not jose.verify_jws(token, jose.secret_key(client_secret), alg):
        raise _reject(f"the {alg} signature does not verify with the client secret")


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _reject(f"{name} is missing or not a number" if value is None else f"{name} is not a number: {value!r}")
    return float(value)


def validate_claims(header: dict[str, Any], claims: dict[str, Any], expected: Expected) -> dict[str, Any]:
    """The claims of an id_token whose signature has been verified, checked one by one (§3.1.3.7)."""
    now, leeway = expected.now, expected.leeway
    # item 2: iss exactly equal to the issuer (no trailing-slash leniency).
    if claims.get("iss") != expected.issuer:
        raise _reject(f"iss is {claims.get('iss')!r}, expected {expected.issuer!r}")
    # item 3: aud contains client_id; extra audiences must be trusted (we trust none but ourselves).
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if expected.client_id not in audiences:
        raise _reject(f"aud {aud!r} does not contain client_id {expected.client_id!r}")
    # items 4-5: azp when several audiences, and if present it is us.
    azp = claims.get("azp")
    if len(audiences) > 1 and azp is None:
        raise _reject(f"aud has several audiences ({', '.join(map(str, audiences))}) but no azp")
    if azp is not None and azp != expected.client_id:
        raise _reject(f"azp is {azp!r}, expected client_id {expected.client_id!r}")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise _reject("sub is missing")  # §2: sub is REQUIRED
    # item 9: exp in the future (with leeway).
    exp = _number(claims, "exp")
    if exp + leeway <= now:
        raise _reject(f"it expired {int(now - exp)} s ago (exp {int(exp)})")
    # item 10: iat present and not in the future.
    iat = _number(claims, "iat")
    if iat - leeway > now:
        raise _reject(f"iat is {int(iat - now)} s in the future; check this machine's clock")
    # item 11: nonce equals the one sent (and is present when one was sent).
    if expected.nonce is not None:
        if "nonce" not in claims:
            raise _reject("nonce is missing, but the request sent one")
        if claims["nonce"] != expected.nonce:
            raise _reject("nonce does not match the one sent (a replayed or injected id_token?)")
    # item 13: auth_time when max_age was asked (and not too old).
    if expected.max_age is not None:
        auth_time = claims.get("auth_time")
        if auth_time is None:
            raise _reject("auth_time is missing, but max_age was requested")
        auth_time = _number(claims, "auth_time")
        if auth_time + expected.max_age + leeway < now:
            raise _reject(f"the user authenticated {int(now - auth_time)} s ago, more than max_age {expected.max_age}")
    alg = header.get("alg", "")
    if expected.require_at_hash and "at_hash" not in claims:
        raise _reject("at_hash is missing, but the id_token came with an access token from the authorization endpoint "
                      "(OIDC Core §3.3.2.11)")
    if expected.require_c_hash and "c_hash" not in claims:
        raise _reject("c_hash is missing, but the id_token came with a code from the authorization endpoint "
                      "(OIDC Core §3.3.2.11)")
    # §3.1.3.8 / §3.2.2.9: at_hash binds the access token to this id_token.
    if "at_hash" in claims and expected.access_token is not None:
        if claims["at_hash"] != jose.token_hash(expected.access_token, alg):
            raise _reject("at_hash does not match the access token")
    # §3.3.2.11: c_hash binds the authorization code.
    if "c_hash" in claims and expected.code is not None:
        if claims["c_hash"] != jose.token_hash(expected.code, alg):
            raise _reject("c_hash does not match the authorization code")
    return claims


def validate_jwt_claims(claims: dict[str, Any], *, now: float, leeway: float = DEFAULT_LEEWAY,
                        issuer: str | None = None, audience: str | None = None, what: str = "the token") -> list[str]:
    """The registered claims of any JWT (RFC 7519 §4.1): exp, nbf, iat, and iss/aud when expected.
    Returns the names checked; raises ProtocolError naming the first failure."""
    checked = []
    for name in ("exp", "nbf", "iat"):
        if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], (int, float))):
            raise ProtocolError(f"{what} rejected: {name} is not a number: {claims[name]!r}")
    if "exp" in claims:
        if claims["exp"] + leeway <= now:
            raise ProtocolError(f"{what} rejected: it expired {int(now - claims['exp'])} s ago (exp {int(claims['exp'])})")
        checked.append("exp")
    if "nbf" in claims:
        if claims["nbf"] - leeway > now:
            raise ProtocolError(f"{what} rejected: not valid before {int(claims['nbf'])} (nbf), {int(claims['nbf'] - now)} s from now")
        checked.append("nbf")
    if "iat" in claims:
        if claims["iat"] - leeway > now:
            raise ProtocolError(f"{what} rejected: iat is {int(claims['iat'] - now)} s in the future")
        checked.append("iat")
    if issuer is not None:
        if claims.get("iss") != issuer:
            raise ProtocolError(f"{what} rejected: iss is {claims.get('iss')!r}, expected {issuer!r}")
        checked.append("iss")
    if audience is not None:
        aud = claims.get("aud")
        if audience not in (aud if isinstance(aud, list) else [aud]):
            raise ProtocolError(f"{what} rejected: aud {aud!r} does not contain {audience!r}")
        checked.append("aud")
    return checked


def tenant_issuer(template: str, claims: dict[str, Any]) -> str:
    """The iss a multi-tenant issuer's id_token must have: the template (Microsoft's
    ".../{tenantid}/v2.0") with the token's own tid, exactly; a token without a tenant id fails."""
    from oauth2cli.core.metadata import fill_template, is_tenant_id

    tid = claims.get("tid")
    if not is_tenant_id(tid):
        raise _reject(f"the multi-tenant issuer {template!r} needs the token's tid (a tenant id), "
                      f"and tid is {printable(str(tid), 60)!r}" if tid is not None else
                      f"the multi-tenant issuer {template!r} needs the token's tid, and it has none")
    return fill_template(template, tid) or template

"""JWT Secured Authorization Response Mode (JARM, OpenID FAPI JARM §2, §4.4): the authorization
response arrives as one `response` JWT, checked before anything in it is used.

Pure: split_response and check_claims take the received parameters, the time and what is expected;
verifying the signature against the issuer's keys is the caller's part (flows.authorize.jarm).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from oauth2cli.core.authorization import CallbackIgnored
from oauth2cli.core.errors import ProtocolError

MODES = ("jwt", "query.jwt", "fragment.jwt", "form_post.jwt")
# JARM §3: a server that lists no authorization_signing_alg_values_supported signs with RS256.
DEFAULT_ALGS = ("RS256",)
DEFAULT_LEEWAY = 60.0


@dataclass(frozen=True)
class JarmExpected:
    issuer: str
    client_id: str
    state: str
    now: float
    allowed_algs: Sequence[str] = DEFAULT_ALGS
    leeway: float = DEFAULT_LEEWAY


def _reject(message: str) -> ProtocolError:
    return ProtocolError(f"JARM response rejected: {message}")


def where(mode: str, response_type: str) -> str:
    """Where the listener finds the JWT: query, fragment or form_post (JARM §2.3.4: `jwt` means
    query for response type code, fragment for any type that returns a token or an id_token)."""
    if mode == "jwt":
        return "query" if response_type == "code" else "fragment"
    return mode.split(".")[0]


def response_jwt(received: str) -> str:
    """The `response` parameter of what the listener received; CallbackIgnored when it is not one
    (it may be anybody's request, and the listener keeps waiting)."""
    try:
        pairs = parse_qsl(received, keep_blank_values=True, max_num_fields=100)
    except ValueError:
        raise CallbackIgnored(400, "too many parameters") from None
    values = [v for k, v in pairs if k == "response"]
    if len(values) != 1 or not values[0]:
        raise CallbackIgnored(400, "the callback has no (or more than one) JARM response parameter")
    return values[0]


def check_state(claims: dict[str, Any], state: str) -> None:
    """Before any key is fetched: a response JWT that is not for this login is ignored, not fatal."""
    got = claims.get("state")
    if not isinstance(got, str) or not secrets.compare_digest(got.encode(), state.encode()):
        raise CallbackIgnored(400, "the JARM response's state does not match this login")


def check_alg(header: dict[str, Any], allowed: Sequence[str]) -> str:
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg or alg.lower() == "none":
        raise _reject(f"it is not signed (alg {alg!r}); JARM responses are always signed")
    usable = [a for a in allowed if a.lower() != "none"]
    if alg not in usable:
        raise _reject(f"alg {alg} is not one the server announces (authorization_signing_alg_values_supported: "
                      f"{', '.join(usable) or 'none'})")
    if "crit" in header:
        raise _reject(f"the JWS header has critical extensions we do not understand: {header['crit']!r}")
    return alg


def check_claims(claims: dict[str, Any], expected: JarmExpected) -> dict[str, str]:
    """JARM §4.4 after the signature verified: iss, aud, exp; then the authorization response
    parameters the JWT carries (code, state, error, ...) as text."""
    if claims.get("iss") != expected.issuer:
        raise _reject(f"iss is {claims.get('iss')!r}, expected {expected.issuer!r}")
    aud = claims.get("aud")
    if expected.client_id not in (aud if isinstance(aud, list) else [aud]):
        raise _reject(f"aud {aud!r} is not this client ({expected.client_id!r})")
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise _reject("exp is missing or not a number")
    if exp + expected.leeway <= expected.now:
        raise _reject(f"it expired {int(expected.now - exp)} s ago (exp {int(exp)})")
    check_state(claims, expected.state)
    params = {k: v for k, v in claims.items() if k not in ("aud", "exp", "iat", "nbf", "jti") and isinstance(v, str)}
    # JARM §2.1: iss inside the JWT is the issuer; RFC 9207's check then passes on the same value.
    return params


def as_query(params: dict[str, str]) -> str:
    """The checked parameters, in the form core.authorization.check_response reads."""
    return urlencode(params)

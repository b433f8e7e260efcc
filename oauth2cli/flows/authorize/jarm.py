"""JARM in the login: the listener hands each `response` JWT here; it comes back as the plain
authorization response parameters once decrypted (if need be), signed by the issuer and for us."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from oauth2cli.core import jarm as core
from oauth2cli.core import jose
from oauth2cli.core.authorization import CallbackIgnored
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints

WHAT = "the JARM response"


def allowed_algs(endpoints: Endpoints) -> tuple[str, ...]:
    meta = endpoints.metadata
    listed = meta.document.get("authorization_signing_alg_values_supported") if meta else None
    if isinstance(listed, list) and all(isinstance(a, str) for a in listed):
        return tuple(listed)
    return core.DEFAULT_ALGS


def unwrapper(settings: ClientSettings, deps: Deps, endpoints: Endpoints, state: str,
              issuer: str | None) -> Callable[[str], str]:
    if not issuer:
        raise ConfigError("a JARM response is checked against the issuer, and none is known", hint="give --issuer")
    algs = allowed_algs(endpoints)  # metadata read now, not in the listener's thread

    def unwrap(received: str) -> str:
        token = core.response_jwt(received).strip()
        if token.count(".") == 4:  # JARM §2.2: signed, then encrypted to the client's key
            from oauth2cli.flows.endpoints.userinfo import _decrypt

            token = _decrypt(token, settings, deps, what=WHAT)
        try:
            header, claims = jose.split_jwt(token, what=WHAT)
        except ProtocolError as exc:
            raise CallbackIgnored(400, exc.message) from None
        core.check_state(claims, state)  # not ours: ignored, and nothing fetched for it
        alg = core.check_alg(header, algs)
        if jose.is_hmac(alg):
            if not settings.client.client_secret:
                raise ProtocolError(f"JARM response rejected: alg {alg} is keyed with the client secret, "
                                    "and this client has none")
            if not jose.verify_jws(token, jose.secret_key(settings.client.client_secret), alg):
                raise ProtocolError(f"JARM response rejected: the {alg} signature does not verify with the client secret")
        else:
            uri = endpoints.get("jwks_uri")
            if not uri:
                raise ConfigError("cannot verify the JARM response: the server announces no jwks_uri",
                                  hint="give --jwks-url")
            from oauth2cli.flows.exchange import jwks

            jwks.verify(token, header, uri, deps, endpoints.http, what=WHAT)
        expected = core.JarmExpected(issuer=issuer, client_id=settings.client.client_id, state=state,
                                     now=deps.clock(), allowed_algs=algs)
        return core.as_query(core.check_claims(claims, expected))

    return unwrap

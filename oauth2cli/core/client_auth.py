"""Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523, RFC 8705).

Pure: the caller loads keys and passes the clock; signing is computation, not I/O.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"  # RFC 7523 §2.2
ASSERTION_LIFETIME = 60  # seconds: long enough for clock skew, short enough to be useless when stolen

JWT_METHODS = ("client_secret_jwt", "private_key_jwt")
TLS_METHODS = ("tls_client_auth", "self_signed_tls_client_auth")
BUILTIN_METHODS = ("client_secret_basic", "client_secret_post", "none", *JWT_METHODS, *TLS_METHODS,
                   "client_secret_uri")


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str | None = None
    auth_method: str | None = None  # None: client_secret_basic with a secret, else none
    # RFC 6749 §2.3.1 form-encodes id and secret before base64; some servers want them raw.
    basic_raw: bool = False

    @property
    def method(self) -> str:
        if self.auth_method:
            return self.auth_method
        return "client_secret_basic" if self.client_secret else "none"


def _form_encode(value: str) -> str:
    # application/x-www-form-urlencoded (RFC 6749 Appendix B): space is "+", the rest percent-encoded.
    return quote(value, safe="").replace("%20", "+")


def basic_header(client_id: str, secret: str, *, raw: bool = False) -> str:
    if raw:
        user, password = client_id, secret
    else:
        # RFC 6749 §2.3.1: form-encode id and secret, then base64 (RFC 7617).
        user, password = _form_encode(client_id), _form_encode(secret)
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def need_secret(client: ClientCredentials) -> str:
    if not client.client_secret:
        raise ConfigError(
            f"auth method {client.method} needs a client secret",
            hint="set OAUTH2_CLIENT_SECRET, or use --client-secret-env VAR / --client-secret-file PATH",
        )
    return client.client_secret


def assertion_claims(client_id: str, audience: str, now: float, jti: str,
                     lifetime: int = ASSERTION_LIFETIME) -> dict[str, Any]:
    """RFC 7523 §3 / OIDC Core §9 claims of a client assertion: iss = sub = client_id."""
    issued = int(now)
    return {"iss": client_id, "sub": client_id, "aud": audience, "jti": jti, "iat": issued, "exp": issued + lifetime}


def assertion_audience(mode: str, *, token_endpoint: str | None, issuer: str | None, called_url: str) -> str:
    """Who the assertion is for: the token endpoint (RFC 7523 §3), or the issuer (draft rfc7523bis)."""
    if mode == "issuer":
        if not issuer:
            raise ConfigError("assertion_audience = \"issuer\" needs an issuer (--issuer)")
        return issuer
    if mode not in ("token_endpoint", "", None):
        raise ConfigError(f"assertion_audience must be \"token_endpoint\" or \"issuer\", not {mode!r}")
    return token_endpoint or called_url


def rsa_alg(server_algs: Sequence[str] | None) -> str:
    """RS256 unless the server lists PS256 and not RS256 (its token_endpoint_auth_signing_alg_values_supported)."""
    if server_algs and "RS256" not in server_algs and "PS256" in server_algs:
        return "PS256"
    return "RS256"


def client_assertion(claims: dict[str, Any], key, *, alg: str | None = None, kid: str | None = None) -> str:
    """A signed client assertion (RFC 7523 §2.2)."""
    from oauth2cli.core import jose

    headers = {"kid": kid} if kid else None
    return jose.sign_jwt(claims, key, alg=alg, headers=headers)


def _with_query(url: str, pairs: Sequence[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    query = urlencode(list(pairs))
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


def authenticate(request: HttpRequest, client: ClientCredentials, *, assertion: str | None = None) -> HttpRequest:
    """The request with a built-in client authentication applied.

    `assertion` is the signed JWT for client_secret_jwt / private_key_jwt (see client_assertion).
    Certificates for tls_client_auth are on the transport, not in the request (RFC 8705 §2).
    """
    method = client.method
    if method == "client_secret_basic":
        return request.with_header("Authorization", basic_header(client.client_id, need_secret(client), raw=client.basic_raw))
    if method == "client_secret_post":
        # RFC 6749 §2.3.1
        return request.with_form(("client_id", client.client_id), ("client_secret", need_secret(client)))
    if method in ("none", *TLS_METHODS):
        # RFC 6749 §3.2.1 (public client), RFC 8705 §2.1/§2.2: the client_id names the client.
        return request.with_form(("client_id", client.client_id))
    if method in JWT_METHODS:
        if not assertion:
            raise ConfigError(f"{method} needs a signed client assertion")
        # RFC 7523 §2.2; client_id is optional there but several servers want it (OIDC Core §9 allows it).
        return request.with_form(
            ("client_id", client.client_id),
            ("client_assertion_type", CLIENT_ASSERTION_TYPE),
            ("client_assertion", assertion),
        )
    if method == "client_secret_uri":
        # The seed's example of a custom method, for servers that read only the query string: client_id,
        # client_secret and every form parameter move to the query of the POST, whose body is empty.
        pairs = [("client_id", client.client_id), ("client_secret", need_secret(client)), *(request.form or ())]
        return HttpRequest(request.method, _with_query(request.url, pairs), request.headers, None, b"")
    raise ConfigError(
        f"unknown client authentication method {method!r}",
        hint="choose from " + ", ".join(BUILTIN_METHODS) + ", or install a plug-in (entry point group oauth2cli.client_auth)",
    )

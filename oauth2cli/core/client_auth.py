"""Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523, RFC 8705)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest


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


def basic_header(client_id: str, secret: str, *, raw: bool = False) -> str:
    if raw:
        user, password = client_id, secret
    else:
        # RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded, then base64.
        user, password = quote(client_id, safe=""), quote(secret, safe="")
        user, password = user.replace("%20", "+"), password.replace("%20", "+")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _need_secret(client: ClientCredentials) -> str:
    if not client.client_secret:
        raise ConfigError(
            f"auth method {client.method} needs a client secret",
            hint="set OAUTH2_CLIENT_SECRET, or use --client-secret-env VAR / --client-secret-file PATH",
        )
    return client.client_secret


def authenticate(request: HttpRequest, client: ClientCredentials) -> HttpRequest:
    """The request with the client's authentication applied (built-in methods)."""
    method = client.method
    if method == "client_secret_basic":
        return request.with_header("Authorization", basic_header(client.client_id, _need_secret(client), raw=client.basic_raw))
    if method == "client_secret_post":
        return request.with_form(("client_id", client.client_id), ("client_secret", _need_secret(client)))
    if method == "none":
        # RFC 6749 §3.2.1: a public client identifies itself with client_id.
        return request.with_form(("client_id", client.client_id))
    raise ConfigError(f"client authentication method {method!r} is not implemented yet")

"""What one run knows about its server and client, after flags, environment and profile are merged.

Profile keys in config.toml have the names of these fields (see store.config).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.expiry import DEFAULT_LEEWAY, DEFAULT_TIMEOUT


@dataclass(frozen=True)
class ClientSettings:
    client: ClientCredentials
    profile: str | None = None
    preset: str | None = None
    # -- server
    issuer: str | None = None
    # A multi-tenant issuer's template (Microsoft's ".../{tenantid}/v2.0"): an id_token's iss is
    # the template with the token's own tid, and the shared discovery document names it.
    issuer_template: str | None = None
    # Endpoints given explicitly, by RFC 8414 metadata name (token_endpoint, ...); they win over discovery.
    endpoints: dict[str, str] = field(default_factory=dict)
    # -- what to ask for
    grant: str | None = None  # the profile's usual grant: authorization_code, client_credentials, jwt-bearer, ...
    scope: str | None = None
    audience: str | None = None
    resources: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()  # extra token request parameters
    auth_params: tuple[tuple[str, str], ...] = ()  # extra authorization request parameters
    leeway: float = DEFAULT_LEEWAY
    # -- client authentication with keys
    private_key: str | None = None  # path to a PEM or JWK
    key_id: str | None = None
    assertion_audience: str = "token_endpoint"  # or "issuer" (draft rfc7523bis)
    compliance_fixes: tuple[str, ...] = ()
    # -- browser login
    redirect_uri: str | None = None
    redirect_ports: tuple[int, ...] = ()
    pkce: str = "S256"  # "S256", "plain" or "none"
    use_par: bool = False
    response_type: str = "code"
    login_method: str | None = None  # browser, device, manual or password: what `login` does when not told
    request_object: bool = False  # RFC 9101: the request as a signed JWT (JAR)
    response_mode: str | None = None  # form_post, or JARM: jwt, query.jwt, fragment.jwt, form_post.jwt
    authorization_details: str | None = None  # RFC 9396, compact JSON (checked by core.rar)
    step_up: bool = False  # RFC 9470: `call` logs in again when the resource asks for more
    fapi2: bool = False  # FAPI 2.0: PAR + PKCE S256 + JAR + DPoP + iss checks, weaker choices refused
    # -- resource calls
    dpop: bool = False
    urls: tuple[str, ...] = ()  # base URLs this profile's token may be sent to
    git_username: str | None = None  # the username `oauth2 git-credential` gives git with the token
    # -- JWT bearer assertions (RFC 7523 §2.1): iss/sub/aud/claims/lifetime, service_account path
    assertion: dict[str, Any] = field(default_factory=dict)
    # -- CI token sources (core/token_source.py): the assertion, or RFC 8693's subject_token, read anew each time
    assertion_source: str | None = None
    subject_token_source: str | None = None
    subject_token_type: str | None = None
    # -- RFC 7591 registration of this client (registration_client_uri, issue and expiry times)
    registration: dict[str, Any] = field(default_factory=dict)
    # -- transport
    timeout: float = DEFAULT_TIMEOUT
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None
    allow_http: bool = False

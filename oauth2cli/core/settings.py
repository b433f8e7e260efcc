"""What one run knows about its server and client, after flags, environment and profile are merged."""

from __future__ import annotations

from dataclasses import dataclass, field

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.tokens import DEFAULT_LEEWAY


@dataclass(frozen=True)
class ClientSettings:
    client: ClientCredentials
    profile: str | None = None
    issuer: str | None = None
    # Endpoints given explicitly, by RFC 8414 metadata name (token_endpoint, ...); they win over discovery.
    endpoints: dict[str, str] = field(default_factory=dict)
    scope: str | None = None
    audience: str | None = None
    resources: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    leeway: float = DEFAULT_LEEWAY
    private_key: str | None = None
    key_id: str | None = None
    compliance_fixes: tuple[str, ...] = ()
    # Transport
    timeout: float = 30.0
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None

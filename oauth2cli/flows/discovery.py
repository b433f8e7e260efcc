"""Finding a server's endpoints: explicit settings first, then RFC 8414 / OIDC discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core import metadata as md
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.transport.http import HttpClient

_FLAG = {
    "token_endpoint": "--token-url",
    "authorization_endpoint": "--authorization-url",
    "device_authorization_endpoint": "--device-authorization-url",
    "revocation_endpoint": "--revocation-url",
    "introspection_endpoint": "--introspection-url",
    "userinfo_endpoint": "--userinfo-url",
    "jwks_uri": "--jwks-url",
}


def discover(issuer: str, http: HttpClient) -> md.ServerMetadata:
    """RFC 8414 metadata first, then OpenID discovery; the first document found wins."""
    tried = []
    for url in md.discovery_urls(issuer):
        response = http.send(md.discovery_request(url))
        if md.is_not_found(response):
            tried.append(f"{url} (HTTP {response.status})")
            continue
        return md.parse_metadata(response, issuer)
    raise ProtocolError(f"no metadata found for issuer {issuer}: tried " + ", ".join(tried))


def transport_options(settings: ClientSettings):
    from oauth2cli.transport.http import TransportOptions

    return TransportOptions(
        timeout=settings.timeout, cacert=settings.cacert, insecure=settings.insecure,
        cert=settings.cert, key=settings.key, allow_http=settings.allow_http,
    )


class Endpoints:
    """The endpoints of one run, discovering at most once and only when needed."""

    def __init__(self, settings: ClientSettings, deps: Deps) -> None:
        self.settings = settings
        self.deps = deps
        self._metadata: md.ServerMetadata | None = None

    @property
    def http(self) -> HttpClient:
        return self.deps.http(transport_options(self.settings))

    @property
    def metadata(self) -> md.ServerMetadata | None:
        if self._metadata is None and self.settings.issuer:
            self._metadata = discover(self.settings.issuer, self.http)
        return self._metadata

    def get(self, name: str) -> str | None:
        if name in self.settings.endpoints:
            return self.settings.endpoints[name]
        meta = self.metadata
        return meta.endpoint(name) if meta else None

    def require(self, name: str) -> str:
        url = self.get(name)
        if url:
            return url
        flag = _FLAG.get(name, name)
        if self.settings.issuer:
            raise ConfigError(f"the server at {self.settings.issuer} announces no {name}; give {flag}")
        raise ConfigError(f"no {name}: give {flag} or --issuer")

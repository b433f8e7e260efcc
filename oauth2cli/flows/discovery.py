"""Finding a server's endpoints: explicit settings first, then the merged RFC 8414 / OIDC documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from oauth2cli.core import metadata as md
from oauth2cli.core.errors import ConfigError, NetworkError, ProtocolError
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


class Discovery:
    """The documents of one issuer, fetched in md.discovery_urls order and only as far as needed.

    `first()` is the common case: one request. `find(name)` fetches the later documents only
    while `name` is still missing; `complete()` fetches them all (oauth2 discover, profile add).
    A document that is missing (404 and kin) or refused (wrong issuer, not JSON) is skipped
    once another one passes; when none passes, the first refusal is the error.
    """

    def __init__(self, issuer: str, http: HttpClient, *, issuer_template: str | None = None,
                 note: Callable[[str], None] | None = None) -> None:
        self.issuer = issuer
        self.http = http
        self.issuer_template = issuer_template
        self.note = note or (lambda text: None)
        self._urls = list(md.discovery_urls(issuer))
        self.documents: list[md.ServerMetadata] = []
        self.tried: list[str] = []
        self.refused: list[ProtocolError] = []
        self._merged: md.ServerMetadata | None = None

    def _fetch_next(self) -> bool:
        """Fetch the next document; False when no URL is left."""
        if not self._urls:
            return False
        url = self._urls.pop(0)
        try:
            response = self.http.send(md.discovery_request(url))
        except NetworkError as exc:
            if not self.documents:
                raise
            # a later document that cannot be reached does not undo the ones that were read
            self.tried.append(f"{url} (unreachable)")
            self.note(f"oauth2: skipping {url}: {exc.message}")
            return True
        if md.is_not_found(response):
            self.tried.append(f"{url} (HTTP {response.status})")
            return True
        try:
            meta = md.parse_metadata(response, self.issuer, self.issuer_template)
        except ProtocolError as exc:
            self.refused.append(exc)
            self.tried.append(f"{url} (refused)")
            if self.documents:
                self.note(f"oauth2: skipping {url}: {exc.message}")
            return True
        self.documents.append(meta)
        self._merged = None
        return True

    @property
    def merged(self) -> md.ServerMetadata | None:
        if self._merged is None and self.documents:
            self._merged = md.merge_metadata(self.documents)
        return self._merged

    def first(self) -> md.ServerMetadata:
        while not self.documents and self._fetch_next():
            pass
        if not self.documents:
            if self.refused:
                raise self.refused[0]
            raise ProtocolError(f"no metadata found for issuer {self.issuer}: tried " + ", ".join(self.tried))
        return self.merged  # type: ignore[return-value]

    def find(self, name: str) -> md.ServerMetadata:
        meta = self.first()
        while meta.endpoint(name) is None and self._fetch_next():
            meta = self.first()
        return meta

    def complete(self, names: tuple[str, ...] | None = None) -> md.ServerMetadata:
        """Fetch later documents while any of `names` (default: every document) is missing."""
        meta = self.first()
        while (names is None or any(meta.document.get(n) is None for n in names)) and self._fetch_next():
            meta = self.first()
        return meta


def discover(issuer: str, http: HttpClient, *, complete: bool = False, issuer_template: str | None = None,
             note: Callable[[str], None] | None = None) -> md.ServerMetadata:
    """The issuer's metadata: the first document found or, with complete, all of them merged."""
    found = Discovery(issuer, http, issuer_template=issuer_template, note=note)
    return found.complete() if complete else found.first()


def transport_options(settings: ClientSettings):
    from oauth2cli.transport.options import TransportOptions

    return TransportOptions(
        timeout=settings.timeout, cacert=settings.cacert, insecure=settings.insecure,
        cert=settings.cert, key=settings.key, allow_http=settings.allow_http,
    )


class Endpoints:
    """The endpoints of one run, discovering at most once and only when needed."""

    def __init__(self, settings: ClientSettings, deps: Deps) -> None:
        self.settings = settings
        self.deps = deps
        self._discovery: Discovery | None = None

    @property
    def discovery(self) -> Discovery | None:
        if self._discovery is None and self.settings.issuer:
            note = (lambda text: self.deps.stderr.write(text + "\n")) if self.deps.verbose else None
            self._discovery = Discovery(self.settings.issuer, self.http,
                                        issuer_template=getattr(self.settings, "issuer_template", None), note=note)
        return self._discovery

    @property
    def http(self) -> HttpClient:
        return self.deps.http(transport_options(self.settings))

    @property
    def metadata(self) -> md.ServerMetadata | None:
        found = self.discovery
        return found.first() if found else None

    def get(self, name: str) -> str | None:
        if name in self.settings.endpoints:
            return self.settings.endpoints[name]
        found = self.discovery
        # A later document is fetched only when the ones so far do not name this endpoint.
        return found.find(name).endpoint(name) if found else None

    def require(self, name: str) -> str:
        url = self.get(name)
        if url:
            return url
        flag = _FLAG.get(name, name)
        if self.settings.issuer:
            raise ConfigError(f"the server at {self.settings.issuer} announces no {name}; give {flag}")
        raise ConfigError(f"no {name}: give {flag} or --issuer")

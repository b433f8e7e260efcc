"""OAuth 2.0 Protected Resource Metadata (RFC 9728), without I/O.

A resource says where its authorization servers are: in the `resource_metadata` parameter of
a 401's `WWW-Authenticate` challenge (§5.1), or at `/.well-known/oauth-protected-resource`
with the resource's path inserted after the host (§3.1). The document's `resource` must be
the resource asked about (§3.3), exactly for a well-known lookup; for a document named by a
401, a same-origin path prefix of the URL that was called is accepted, as MCP clients do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from oauth2cli.core.errors import ConfigError, ProtocolError, printable
from oauth2cli.core.origins import same_origin
from oauth2cli.core.http import HttpRequest, HttpResponse, parse_json_object

WELL_KNOWN = "/.well-known/oauth-protected-resource"
WHAT = "protected resource metadata"


@dataclass(frozen=True)
class ResourceMetadata:
    resource: str
    authorization_servers: tuple[str, ...]
    document: dict[str, Any]
    source: str  # the URL it came from

    @property
    def scopes(self) -> tuple[str, ...]:
        listed = self.document.get("scopes_supported")
        return tuple(s for s in listed if isinstance(s, str) and s) if isinstance(listed, list) else ()


def _parts(url: str):
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"not a URL: {printable(url, 200)!r} ({exc})") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"a resource must be an absolute http(s) URL, got {printable(url, 200)!r}")
    return parts


def resource_identifier(url: str) -> str:
    """The URL as a resource identifier (RFC 9728 §1.2): no fragment; scheme and host lowercase."""
    parts = _parts(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def well_known_urls(url: str) -> list[str]:
    """§3.1 for `url` (the path inserted after the host, a terminating slash dropped), then the
    origin's own document when `url` has a path. Each with the resource it must name (§3.3)."""
    parts = _parts(url)
    scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
    path = parts.path.rstrip("/")
    urls = [urlunsplit((scheme, netloc, WELL_KNOWN + path, parts.query, ""))]
    if path or parts.query:
        urls.append(urlunsplit((scheme, netloc, WELL_KNOWN, "", "")))
    return urls


def resource_of_well_known(url: str) -> str:
    """The resource identifier a well-known URL was made from (the inverse of §3.1)."""
    parts = urlsplit(url)
    path = parts.path[len(WELL_KNOWN):] if parts.path.startswith(WELL_KNOWN) else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def metadata_request(url: str) -> HttpRequest:
    return HttpRequest("GET", url, headers=(("Accept", "application/json"),))


def metadata_url_from_challenges(challenges: Iterable[Any]) -> str | None:
    """§5.1: the `resource_metadata` parameter of a Bearer (or DPoP) challenge."""
    for challenge in challenges:
        if challenge.is_scheme("Bearer") or challenge.is_scheme("DPoP"):
            value = challenge.get("resource_metadata")
            if value:
                return value
    return None


def resource_matches(resource: str, wanted: str, *, prefix_ok: bool) -> bool:
    """§3.3: `resource` is `wanted`; with prefix_ok also a same-origin path prefix of it, at a segment boundary."""
    try:
        got, want = urlsplit(resource), urlsplit(resource_identifier(wanted))
    except (ValueError, ConfigError):
        return False
    if not got.scheme or not got.netloc or got.fragment:
        return False
    if not same_origin(resource, resource_identifier(wanted)):
        return False
    got_path, want_path = got.path.rstrip("/"), want.path.rstrip("/")
    if got_path == want_path and got.query == want.query:
        return True
    if not prefix_ok or got.query:
        return False
    return got_path == "" or want_path == got_path or want_path.startswith(got_path + "/")


def parse_resource_metadata(response: HttpResponse, wanted: str, *, prefix_ok: bool) -> ResourceMetadata:
    """The checked document, or a ProtocolError that says in one line what is wrong with it."""
    if response.status != 200:
        raise ProtocolError(f"the {WHAT} at {response.url} is not available: {response.describe()}")
    document = parse_json_object(response, WHAT)
    resource = document.get("resource")
    if not isinstance(resource, str) or not resource:
        raise ProtocolError(f"the {WHAT} at {response.url} has no resource (RFC 9728 §2)")
    if not resource_matches(resource, wanted, prefix_ok=prefix_ok):
        how = "a same-origin prefix of" if prefix_ok else "exactly"
        raise ProtocolError(f"the {WHAT} at {response.url} is for {printable(resource, 200)!r}, not {how} "
                            f"{printable(wanted, 200)!r} (RFC 9728 §3.3): refusing it")
    servers = document.get("authorization_servers")
    if servers is None or servers == []:
        raise ProtocolError(f"the {WHAT} of {printable(resource, 200)} names no authorization_servers: "
                            "there is no server to log in at")
    if not isinstance(servers, list) or not all(isinstance(s, str) and s for s in servers):
        raise ProtocolError(f"the {WHAT} at {response.url}: authorization_servers is not a list of issuer URLs")
    for server in servers:
        parts = urlsplit(server)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise ProtocolError(f"the {WHAT} at {response.url} names an authorization server that is not an "
                                f"issuer URL: {printable(server, 200)!r}")
    return ResourceMetadata(resource=resource, authorization_servers=tuple(servers), document=document,
                            source=response.url)

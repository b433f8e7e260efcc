"""Finding a resource's authorization servers (RFC 9728): from a 401's challenge or the well-known
document; no click. The checks are core.resource_metadata's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core import resource_metadata as rm
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.metadata import is_not_found

if TYPE_CHECKING:
    from oauth2cli.core.http import HttpResponse
    from oauth2cli.transport.http import HttpClient


def from_well_known(url: str, http: HttpClient) -> rm.ResourceMetadata:
    """§3: the path-inserted well-known document of `url`, then the origin's; `resource` exact (§3.3)."""
    tried = []
    for candidate in rm.well_known_urls(url):
        response = http.send(rm.metadata_request(candidate))
        if is_not_found(response) or response.status == 401:
            tried.append(f"{candidate} (HTTP {response.status})")
            continue
        return rm.parse_resource_metadata(response, rm.resource_of_well_known(candidate), prefix_ok=False)
    raise ProtocolError(f"{url} publishes no protected resource metadata (RFC 9728): tried " + ", ".join(tried))


def from_challenge(metadata_url: str, called: str, http: HttpClient) -> rm.ResourceMetadata:
    """§5.1: the document a 401 named; its `resource` a same-origin prefix of the URL called."""
    from urllib.parse import urlsplit

    parts = urlsplit(metadata_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ProtocolError(f"the 401 from {called} names resource_metadata that is not an http(s) URL")
    return rm.parse_resource_metadata(http.send(rm.metadata_request(metadata_url)), called, prefix_ok=True)


def challenge_metadata_url(response: HttpResponse) -> str | None:
    """The `resource_metadata` of a 401's WWW-Authenticate, if any."""
    if response.status != 401:
        return None
    from oauth2cli.core import www_authenticate

    values = [v for k, v in response.headers if k.lower() == "www-authenticate"]
    return rm.metadata_url_from_challenges(www_authenticate.parse_all(values))


def find(url: str, http: HttpClient, response: HttpResponse | None = None) -> rm.ResourceMetadata:
    """The metadata of the resource at `url`: the one a 401 `response` named, else the well-known one."""
    named = challenge_metadata_url(response) if response is not None else None
    if named:
        return from_challenge(named, url, http)
    return from_well_known(url, http)

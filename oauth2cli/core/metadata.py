"""Authorization server metadata: RFC 8414, then OpenID Connect Discovery 1.0."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from oauth2cli.core.errors import ConfigError, ProtocolError, printable
from oauth2cli.core.http import HttpRequest, HttpResponse, parse_json_object

# Metadata names of the endpoints a client talks to, as RFC 8414 §2 spells them.
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "device_authorization_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "pushed_authorization_request_endpoint",
)


def normalize_issuer(issuer: str) -> str:
    try:
        parts = urlsplit(issuer.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"issuer is not a URL: {issuer[:200]!r} ({exc})") from None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigError(f"issuer must be an absolute http(s) URL, got {issuer!r}")
    if parts.query or parts.fragment:
        # RFC 8414 §2: the issuer has no query or fragment component.
        raise ConfigError(f"issuer must not have a query or fragment: {issuer!r}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def discovery_urls(issuer: str) -> list[str]:
    """Where to look for metadata, in the order we try them."""
    parts = urlsplit(normalize_issuer(issuer))
    path = parts.path
    urls = [
        # RFC 8414 §3.1: the well-known segment goes between host and path.
        urlunsplit((parts.scheme, parts.netloc, "/.well-known/oauth-authorization-server" + path, "", "")),
        # OpenID Connect Discovery §4: appended to the issuer.
        urlunsplit((parts.scheme, parts.netloc, path + "/.well-known/openid-configuration", "", "")),
    ]
    if path:
        # RFC 8414 §5: the OpenID form with the segment inserted, used by some servers.
        urls.append(urlunsplit((parts.scheme, parts.netloc, "/.well-known/openid-configuration" + path, "", "")))
    return urls


def discovery_request(url: str) -> HttpRequest:
    return HttpRequest("GET", url, headers=(("Accept", "application/json"),))


@dataclass(frozen=True)
class ServerMetadata:
    issuer: str
    document: dict[str, Any]
    source: str  # the URL it came from

    def endpoint(self, name: str) -> str | None:
        value = self.document.get(name)
        return value if isinstance(value, str) and value else None

    def supports(self, name: str, value: str) -> bool:
        listed = self.document.get(name)
        return isinstance(listed, list) and value in listed


def is_not_found(response: HttpResponse) -> bool:
    """An answer that means "no document here, try the next URL"."""
    return response.status in (404, 405, 410) or (
        response.status in (400, 403) and response.content_type != "application/json"
    )


def parse_metadata(response: HttpResponse, issuer: str) -> ServerMetadata:
    if response.status != 200:
        raise ProtocolError(f"metadata at {response.url} is not available: {response.describe()}")
    document = parse_json_object(response, "metadata endpoint")
    found = document.get("issuer")
    expected = normalize_issuer(issuer)
    if not isinstance(found, str) or not found:
        raise ProtocolError(f"metadata at {response.url} has no issuer (RFC 8414 §2)")
    # RFC 8414 §3.3: the issuer in the document must be the one we asked about
    # (a trailing slash is the only difference we forgive).
    if found.rstrip("/") != expected:
        raise ProtocolError(
            f"metadata at {response.url} names issuer {printable(found, 200)!r}, not {expected!r} (RFC 8414 §3.3): refusing it"
        )
    for name in ENDPOINTS:
        value = document.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ProtocolError(f"metadata at {response.url}: {name} is not a string")
        if not _absolute_url(value):
            raise ProtocolError(f"metadata at {response.url}: {name} is not an absolute http(s) URL: {printable(value, 200)!r}")
    return ServerMetadata(issuer=found, document=document, source=response.url)


def _absolute_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018
    except ValueError:
        return False
    return parts.scheme in ("https", "http") and bool(parts.hostname) and not any(c.isspace() for c in value)


# RFC 7518 §6 / RFC 8037 §2: the members a public key of each type cannot do without.
_JWK_REQUIRED = {"RSA": ("n", "e"), "EC": ("crv", "x", "y"), "OKP": ("crv", "x"), "oct": ("k",)}


def parse_jwks(response: HttpResponse) -> list[dict[str, Any]]:
    """The usable keys of a JWK Set (RFC 7517 §5), for id_token and JWT checks.

    RFC 7517 §5: keys whose kty is not understood, that miss required members, or that are
    not even objects are ignored, so one odd key never hides the good ones next to it. A
    document that is not a JWK Set at all is a ProtocolError.
    """
    if response.status != 200:
        raise ProtocolError(f"the JWK Set at {response.url} is not available: {response.describe()}")
    document = parse_json_object(response, "jwks_uri")
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise ProtocolError(f"the JWK Set at {response.url} has no \"keys\" array (RFC 7517 §5)")
    usable = []
    for key in keys:
        if not isinstance(key, dict) or not isinstance(key.get("kty"), str):
            continue
        required = _JWK_REQUIRED.get(key["kty"])
        if required is None or not all(isinstance(key.get(m), str) and key[m] for m in required):
            continue
        if "kid" in key and not isinstance(key["kid"], str):
            continue
        usable.append(key)
    return usable

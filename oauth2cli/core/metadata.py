"""Authorization server metadata: RFC 8414 and OpenID Connect Discovery 1.0, merged.

Servers publish their metadata in different places (RFC 8414 §3.1 inserts the well-known
segment before the issuer's path; OpenID Discovery and many RFC 8414 servers append it), and
a server's documents may each list only some endpoints. Each document is checked against the
issuer on its own; the ones that pass are merged, the first to name a field winning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
        # The RFC 8414 document appended to the issuer, where django-oauth-toolkit, Keycloak and
        # others serve it; then RFC 8414 §5's OpenID form with the segment inserted.
        urls.append(urlunsplit((parts.scheme, parts.netloc, path + "/.well-known/oauth-authorization-server", "", "")))
        urls.append(urlunsplit((parts.scheme, parts.netloc, "/.well-known/openid-configuration" + path, "", "")))
    return urls


def discovery_request(url: str) -> HttpRequest:
    return HttpRequest("GET", url, headers=(("Accept", "application/json"),))


@dataclass(frozen=True)
class ServerMetadata:
    issuer: str
    document: dict[str, Any]
    source: str  # the URL it came from (the first document's, when merged)
    # Where each field came from, when documents were merged: field -> URL.
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    # The URL of every document merged, in order (one that named nothing new included).
    merged_from: tuple[str, ...] = field(default=(), compare=False)
    # The issuer template a multi-tenant document named (Microsoft's "{tenantid}"), else None.
    issuer_template: str | None = None

    def source_of(self, name: str) -> str | None:
        return self.sources.get(name, self.source if name in self.document else None)

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


# The tenant names whose discovery document is shared by every tenant (Microsoft identity platform).
MULTI_TENANT_NAMES = ("common", "organizations", "consumers")


_TENANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _template_parts(template: str) -> tuple[str, str] | None:
    template = template.rstrip("/")
    if template.count("{") != 1 or template.count("}") != 1:
        return None
    head, _, rest = template.partition("{")
    return head, rest.partition("}")[2]


def template_matches(found: str, expected: str, template: str | None) -> bool:
    """Whether a document's issuer belongs to the configured one under an issuer template.

    Microsoft's shared document (for common, organizations, consumers) names the template
    itself as issuer; a tenant named by its domain answers with its tenant id. Nothing else
    passes: the configured issuer must be the template filled with a multi-tenant name or a
    domain, and a document for a domain must name one tenant id, not a template.
    """
    parts = _template_parts(template or "")
    if parts is None:
        return False
    head, tail = parts
    found = found.rstrip("/")
    if not (expected.startswith(head) and expected.endswith(tail)) or len(expected) <= len(head) + len(tail):
        return False
    tenant = expected[len(head):len(expected) - len(tail)]
    if "/" in tenant or _TENANT_ID.fullmatch(tenant):
        return False
    given = found[len(head):len(found) - len(tail)] if found.startswith(head) and found.endswith(tail) else ""
    if tenant in MULTI_TENANT_NAMES:
        # the shared document names the template; "consumers" names the one tenant of personal accounts
        return found == template.rstrip("/") or bool(_TENANT_ID.fullmatch(given))
    return "." in tenant and bool(_TENANT_ID.fullmatch(given))


def is_tenant_id(value: object) -> bool:
    return isinstance(value, str) and bool(_TENANT_ID.fullmatch(value))


def fill_template(template: str, value: str) -> str | None:
    parts = _template_parts(template)
    return None if parts is None else parts[0] + value + parts[1]


def parse_metadata(response: HttpResponse, issuer: str, issuer_template: str | None = None) -> ServerMetadata:
    if response.status != 200:
        raise ProtocolError(f"metadata at {response.url} is not available: {response.describe()}")
    document = parse_json_object(response, "metadata endpoint")
    found = document.get("issuer")
    expected = normalize_issuer(issuer)
    if not isinstance(found, str) or not found:
        raise ProtocolError(f"metadata at {response.url} has no issuer (RFC 8414 §2)")
    # RFC 8414 §3.3, OIDC Discovery §4.3: the issuer in the document must be the one we asked
    # about (the trailing slash that normalize_issuer drops is the only difference forgiven).
    template = None
    if found.rstrip("/") != expected:
        if not template_matches(found, expected, issuer_template):
            raise ProtocolError(
                f"metadata at {response.url} names issuer {printable(found, 200)!r}, not {expected!r} "
                "(RFC 8414 §3.3): refusing it"
            )
        template = found if "{" in found else None
    for name in ENDPOINTS:
        value = document.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ProtocolError(f"metadata at {response.url}: {name} is not a string")
        if not _absolute_url(value):
            raise ProtocolError(f"metadata at {response.url}: {name} is not an absolute http(s) URL: {printable(value, 200)!r}")
    return ServerMetadata(issuer=found, document=document, source=response.url, issuer_template=template)


def merge_metadata(documents: list[ServerMetadata]) -> ServerMetadata:
    """One view of several checked documents: the first to name a field wins, and each field
    remembers the URL it came from."""
    if not documents:
        raise ValueError("merge_metadata needs at least one document")
    first = documents[0]
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for meta in documents:
        for key, value in meta.document.items():
            if key not in merged and value is not None:
                merged[key] = value
                sources[key] = meta.source
    return ServerMetadata(issuer=first.issuer, document=merged, source=first.source, sources=sources,
                          issuer_template=first.issuer_template,
                          merged_from=tuple(dict.fromkeys(meta.source for meta in documents)))


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

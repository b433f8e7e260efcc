"""Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), without I/O.

`registration_request` builds the POST to `registration_endpoint`; `parse_registration_response`
turns the answer into a RegisteredClient or a typed error; `deregistration_request` is the
RFC 7592 §2.3 DELETE with the registration access token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from oauth2cli.core.errors import ProtocolError, ServerError, printable
from oauth2cli.core.http import JSON, HttpRequest, HttpResponse, parse_json_object

# The client kinds `profile add --register --auth-method` can register.
PUBLIC = "none"
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")
KEY_METHOD = "private_key_jwt"
AUTH_METHODS = (PUBLIC, *SECRET_METHODS, KEY_METHOD)
DEFAULT_GRANTS = ("authorization_code", "refresh_token")
REFRESH = "refresh_token"
WHAT = "registration endpoint"


@dataclass(frozen=True)
class RegisteredClient:
    """What the server answered (RFC 7591 §3.2.1), split into what may be shown and what is secret."""

    client_id: str
    metadata: dict[str, Any]  # the full answer, secrets removed
    client_secret: str | None = None
    registration_access_token: str | None = None
    registration_client_uri: str | None = None
    client_id_issued_at: int | None = None
    client_secret_expires_at: int | None = None  # 0: never (RFC 7591 §3.2.1)

    def record(self) -> dict[str, Any]:
        """The profile's `registration` table: nothing secret."""
        out: dict[str, Any] = {}
        for name in ("registration_client_uri", "client_id_issued_at", "client_secret_expires_at"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        method = self.metadata.get("token_endpoint_auth_method")
        if isinstance(method, str):
            out["token_endpoint_auth_method"] = method
        return out


@dataclass(frozen=True)
class ClientMetadata:
    """The RFC 7591 §2 metadata we send."""

    auth_method: str = PUBLIC
    client_name: str | None = None
    # Registered exactly as the listener will use them, port included: a strict server (and MCP's
    # rule for servers) compares redirect URIs as strings (RFC 9700 §4.1.3).
    redirect_uris: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = DEFAULT_GRANTS
    scope: str | None = None
    jwks: dict[str, Any] | None = None  # the public key of a private_key_jwt client (RFC 7591 §2)
    signing_alg: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"application_type": "native"}  # OIDC Registration §2: loopback redirects
        if self.redirect_uris:
            doc["redirect_uris"] = list(self.redirect_uris)
            # RP-initiated logout comes back to the same loopback listener
            doc["post_logout_redirect_uris"] = list(self.redirect_uris)
        doc.update(token_endpoint_auth_method=self.auth_method, grant_types=list(self.grant_types),
                   response_types=["code"] if "authorization_code" in self.grant_types else [])
        if self.client_name:
            doc["client_name"] = self.client_name
        if self.scope:
            doc["scope"] = self.scope
        if self.jwks is not None:
            doc["jwks"] = self.jwks
        if self.signing_alg:
            doc["token_endpoint_auth_signing_alg"] = self.signing_alg
        doc.update(self.extra)
        return doc


def grant_types_for(grant_type: str | None, person: bool) -> tuple[str, ...]:
    """RFC 7591 §2 grant_types for a profile whose usual grant is `grant_type` (its grant_type
    value; None: a login through the browser); a person's grant can be refreshed."""
    if grant_type is None or grant_type == "authorization_code":
        return DEFAULT_GRANTS
    return (grant_type, REFRESH) if person and grant_type != REFRESH else (grant_type,)


def metadata_document(client_id: str, redirect_uris: tuple[str, ...], client_name: str = "oauth2cli") -> dict[str, Any]:
    """A Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document §3): the RFC 7591
    metadata of a public native client, with `client_id` the URL the document is served at."""
    sent = ClientMetadata(client_name=client_name, redirect_uris=redirect_uris)
    document = sent.document()
    document.pop("post_logout_redirect_uris", None)
    return {"client_id": client_id, **document}


def registration_request(endpoint: str, metadata: ClientMetadata, initial_access_token: str | None = None) -> HttpRequest:
    """RFC 7591 §3.1: POST the metadata as JSON, with the initial access token as a bearer token when given."""
    headers = [("Content-Type", JSON), ("Accept", JSON)]
    if initial_access_token:
        headers.append(("Authorization", f"Bearer {initial_access_token}"))
    body = json.dumps(metadata.document()).encode("utf-8")
    return HttpRequest("POST", endpoint, headers=tuple(headers), body=body)


def _error(response: HttpResponse, data: dict[str, Any]) -> ServerError | None:
    error = data.get("error")
    if not isinstance(error, str) or not error:
        return None
    description = data.get("error_description")
    return ServerError(error, description if isinstance(description, str) else None, None,
                       status=response.status, endpoint=WHAT)


def _int(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProtocolError(f"the {WHAT} answered a {name} that is not a time: {printable(value, 60)!r} (RFC 7591 §3.2.1)")
    return int(value)


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"the {WHAT} answered a {name} that is not a string (RFC 7591 §3.2.1)")
    return value


def parse_registration_response(response: HttpResponse, sent: ClientMetadata) -> RegisteredClient:
    """RFC 7591 §3.2.1 (201 with the client's information) or §3.2.2 (400 with an error object)."""
    if response.status >= 500 or (response.status >= 400 and response.content_type != "application/json"):
        raise ProtocolError(f"the {WHAT} failed: {response.describe()}")
    data = parse_json_object(response, WHAT)
    error = _error(response, data)
    if error is not None:
        raise error
    if not 200 <= response.status < 300:
        raise ProtocolError(f"the {WHAT} answered HTTP {response.status} without an error object ({response.describe()})")
    client_id = _text(data, "client_id")
    if client_id is None:
        raise ProtocolError(f"the {WHAT} answered without a client_id (RFC 7591 §3.2.1); nothing was saved")
    secret = _text(data, "client_secret")
    method = data.get("token_endpoint_auth_method", sent.auth_method)
    if method != sent.auth_method:
        # RFC 7591 §3.2.1: the server may change what we asked for; a client we cannot use is refused
        raise ProtocolError(f"the {WHAT} registered token_endpoint_auth_method {printable(method, 60)!r}, "
                            f"not {sent.auth_method!r} as asked")
    if sent.auth_method in SECRET_METHODS and not secret:
        raise ProtocolError(f"the {WHAT} gave no client_secret for a {sent.auth_method} client")
    shown = {k: v for k, v in data.items() if k not in ("client_secret", "registration_access_token")}
    return RegisteredClient(
        client_id=client_id,
        metadata=shown,
        client_secret=secret,
        registration_access_token=_text(data, "registration_access_token"),
        registration_client_uri=_text(data, "registration_client_uri"),
        client_id_issued_at=_int(data, "client_id_issued_at"),
        client_secret_expires_at=_int(data, "client_secret_expires_at"),
    )


def deregistration_request(registration_client_uri: str, registration_access_token: str) -> HttpRequest:
    """RFC 7592 §2.3: DELETE the client configuration endpoint with the registration access token."""
    return HttpRequest("DELETE", registration_client_uri,
                       headers=(("Authorization", f"Bearer {registration_access_token}"), ("Accept", JSON)))


def parse_deregistration_response(response: HttpResponse) -> bool:
    """True when the client is gone: 204 (RFC 7592 §2.3), or 401/404 (already unknown to the server)."""
    if response.status in (200, 204):
        return True
    if response.status in (401, 404):
        return False
    raise ProtocolError(f"the client configuration endpoint did not delete the client: {response.describe()}")


def secret_expired(client_secret_expires_at: object, now: float) -> bool:
    """RFC 7591 §3.2.1: 0 means the secret never expires."""
    return isinstance(client_secret_expires_at, (int, float)) and not isinstance(client_secret_expires_at, bool) \
        and client_secret_expires_at > 0 and client_secret_expires_at <= now

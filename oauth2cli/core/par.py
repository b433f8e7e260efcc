"""Pushed authorization requests (RFC 9126)."""

from __future__ import annotations

from dataclasses import dataclass

from oauth2cli.core.client_auth import ClientCredentials, authenticate
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import HttpRequest, HttpResponse, Pairs, parse_json_object
from oauth2cli.core.tokens import parse_expires_in, raise_for_error


@dataclass(frozen=True)
class PushedRequest:
    request_uri: str
    expires_at: float


def par_request(endpoint: str, params: Pairs, client: ClientCredentials, *, authenticated: bool = True) -> HttpRequest:
    """RFC 9126 §2.1: the authorization request parameters, form-encoded, with client authentication.

    With authenticated=False: the parameters without client_id, for the caller to authenticate
    (assertions and plug-ins need more than the core has) and add client_id back if missing.
    """
    if not authenticated:
        return HttpRequest(
            "POST", endpoint,
            headers=(("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")),
            form=tuple(p for p in params if p[0] != "client_id"),
        )
    if client.method == "client_secret_post":
        params = tuple(p for p in params if p[0] != "client_id")  # authenticate() adds it back
    request = HttpRequest(
        "POST", endpoint,
        headers=(("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")),
        form=params,
    )
    if client.method == "none":
        return request  # client_id is among the parameters already
    return authenticate(request, client)


def parse_par_response(response: HttpResponse, now: float) -> PushedRequest:
    what = "pushed authorization request endpoint"
    data = parse_json_object(response, what)
    raise_for_error(response, data, what)
    request_uri = data.get("request_uri")
    if not isinstance(request_uri, str) or not request_uri:
        raise ProtocolError(f"the {what} answer has no request_uri (RFC 9126 §2.2)")
    lifetime = parse_expires_in(data.get("expires_in"))
    return PushedRequest(request_uri, now + (lifetime if lifetime is not None else 60))

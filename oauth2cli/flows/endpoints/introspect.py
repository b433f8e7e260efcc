"""Token introspection (RFC 7662), with the client authentication of the token endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oauth2cli.core.compliance import apply_request
from oauth2cli.core.introspection import build_introspection_request, parse_introspection_response
from oauth2cli.core.settings import ClientSettings
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def introspect_token(settings: ClientSettings, deps: Deps, token: str, token_type_hint: str | None = None,
                     endpoints: Endpoints | None = None) -> dict[str, Any]:
    from oauth2cli.flows.exchange.token import authenticate_request, compliance_fixes

    endpoints = endpoints or Endpoints(settings, deps)
    url = endpoints.require("introspection_endpoint")
    request = build_introspection_request(url, token, token_type_hint)
    request = apply_request(compliance_fixes(settings), "introspect_token_request", request)
    request = authenticate_request(settings, deps, request, endpoints, url)
    return parse_introspection_response(endpoints.http.send(request))

"""Token revocation (RFC 7009), with the client authentication of the token endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.compliance import apply_request
from oauth2cli.core.revocation import build_revocation_request, check_revocation_response
from oauth2cli.core.settings import ClientSettings
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def revoke_token(settings: ClientSettings, deps: Deps, token: str, token_type_hint: str | None = None,
                 endpoints: Endpoints | None = None) -> None:
    from oauth2cli.flows.exchange.token import authenticate_request, compliance_fixes

    endpoints = endpoints or Endpoints(settings, deps)
    url = endpoints.require("revocation_endpoint")
    request = build_revocation_request(url, token, token_type_hint)
    request = apply_request(compliance_fixes(settings), "revoke_token_request", request)
    request = authenticate_request(settings, deps, request, endpoints, url)
    check_revocation_response(endpoints.http.send(request))

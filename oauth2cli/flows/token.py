"""Getting tokens from the token endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core import grants
from oauth2cli.core.client_auth import authenticate
from oauth2cli.core.http import HttpRequest
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet, parse_token_response
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def token_request(token_endpoint: str, form: tuple[tuple[str, str], ...], settings: ClientSettings) -> HttpRequest:
    request = HttpRequest(
        "POST",
        token_endpoint,
        headers=(("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")),
        form=form,
    )
    return authenticate(request, settings.client)


def exchange(settings: ClientSettings, deps: Deps, form: tuple[tuple[str, str], ...],
             endpoints: Endpoints | None = None) -> TokenSet:
    endpoints = endpoints or Endpoints(settings, deps)
    request = token_request(endpoints.require("token_endpoint"), form, settings)
    if settings.dpop:  # RFC 9449 §5: a proof on every token request, one retry with the server's nonce
        from oauth2cli.flows import dpop

        response = dpop.send_token_request(settings, deps, endpoints.http, request)
    else:
        response = endpoints.http.send(request)
    return parse_token_response(response, now=deps.clock())


def client_credentials(settings: ClientSettings, deps: Deps) -> TokenSet:
    form = grants.client_credentials_form(
        scope=settings.scope, audience=settings.audience, resources=settings.resources, extra=settings.params
    )
    return exchange(settings, deps, form)


def refresh(settings: ClientSettings, deps: Deps, previous: TokenSet) -> TokenSet:
    """A refresh_token grant; the answer completed from `previous` (RFC 6749 §6)."""
    from oauth2cli.core.errors import LoginRequired

    if not previous.refresh_token:
        raise LoginRequired(
            "the stored token has expired and there is no refresh token",
            hint=f"log in again with `oauth2 login {settings.profile}`" if settings.profile else None,
        )
    form = grants.refresh_token_form(previous.refresh_token, extra=settings.params)
    return exchange(settings, deps, form).after_refresh(previous)


def authorization_code(settings: ClientSettings, deps: Deps, code: str, redirect_uri: str | None,
                       code_verifier: str | None, endpoints: Endpoints | None = None) -> TokenSet:
    form = grants.authorization_code_form(code, redirect_uri, code_verifier, resources=settings.resources,
                                          extra=settings.params)
    return exchange(settings, deps, form, endpoints)

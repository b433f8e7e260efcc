"""`oauth2 login NAME --ciba`: a person approves on their own device (CIBA poll mode); no click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oauth2cli.core import ciba
from oauth2cli.core.errors import ConfigError, printable
from oauth2cli.core.settings import ClientSettings
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.login.login import LoginResult


@dataclass(frozen=True)
class CibaChoices:
    login_hint: str
    binding_message: str | None = None
    acr_values: str | None = None


def ciba_login(settings: ClientSettings, deps: Deps, choices: CibaChoices) -> LoginResult:
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.grants.device import poll_token_endpoint
    from oauth2cli.flows.login.login import LoginResult, check_tokens, userinfo_claims

    if not settings.issuer:
        raise ConfigError("CIBA needs the issuer: its metadata names the backchannel_authentication_endpoint, "
                          "and the id_token is checked against it", hint="give --issuer (or set issuer in the profile)")
    endpoints = Endpoints(settings, deps)
    endpoint = endpoints.get("backchannel_authentication_endpoint")
    if not endpoint:
        raise ConfigError(f"the server at {settings.issuer} announces no backchannel_authentication_endpoint (CIBA)")
    if settings.client.method == "none":
        raise ConfigError("CIBA needs a confidential client (CIBA §7.1): the profile has no client authentication",
                          hint="give --auth-method and its secret or key")
    request = ciba.authentication_request(endpoint, scope=settings.scope, login_hint=choices.login_hint,
                                          binding_message=choices.binding_message, acr_values=choices.acr_values,
                                          extra=settings.auth_params + token_flow.resource_pairs(settings))
    request = token_flow.authenticate_request(settings, deps, request, endpoints, endpoint)
    authorization = ciba.parse_authentication_response(endpoints.http.send(request), deps.clock())
    _show(deps, choices, authorization)
    poll = ciba.CibaPoll(authorization, deps.clock())  # duck-typed: expires_at and interval
    form = ciba.token_form(authorization.auth_req_id, extra=settings.params + token_flow.resource_pairs(settings))
    tokens = poll_token_endpoint(settings, deps, poll, form, endpoints,
                                 waiting="Waiting for the approval on the user's device...")
    claims = check_tokens(settings, deps, tokens, None, endpoints)
    if not claims or not any(claims.get(n) for n in ("preferred_username", "email", "name")):
        info = userinfo_claims(settings, deps, tokens, endpoints)  # a name to show, as the browser login does
        if info and (not claims or info.get("sub") == claims.get("sub")):
            claims = {**(claims or {}), **info}
    return LoginResult(tokens, claims, "ciba")


def _show(deps: Deps, choices: CibaChoices, authorization: ciba.BackchannelAuthorization) -> None:
    left = int(max(authorization.expires_at - deps.clock(), 0))
    out = deps.stderr
    out.write(f"Asked the server to reach {printable(choices.login_hint, 200)} on their own device (CIBA).\n")
    if choices.binding_message:
        out.write(f"The device shows:  {printable(choices.binding_message, 100)}\n"
                  "Approve there only if it shows this same message.\n")
    else:
        out.write("Approve the sign-in request there.\n")
    out.write(f"Waiting for the approval; the request expires in {left // 60} min {left % 60:02d} s (Ctrl-C to cancel)...\n")
    out.flush()

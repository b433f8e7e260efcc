"""Token revocation (RFC 7009)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.client_auth import authenticate
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import HttpRequest, parse_json_object
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import raise_for_error
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def revoke_token(settings: ClientSettings, deps: Deps, token: str, token_type_hint: str | None = None,
                 endpoints: Endpoints | None = None) -> None:
    endpoints = endpoints or Endpoints(settings, deps)
    form = [("token", token)]
    if token_type_hint:
        form.append(("token_type_hint", token_type_hint))
    request = authenticate(
        HttpRequest("POST", endpoints.require("revocation_endpoint"), headers=(("Accept", "application/json"),),
                    form=tuple(form)),
        settings.client,
    )
    response = endpoints.http.send(request)
    # RFC 7009 §2.2: 200 whatever the token was; an error object otherwise.
    if response.status == 200:
        return
    try:
        data = parse_json_object(response, "revocation endpoint")
    except ProtocolError:
        raise ProtocolError(f"the revocation endpoint failed: {response.describe()}") from None
    raise_for_error(response, data, "revocation endpoint")

"""Client-Initiated Backchannel Authentication, poll mode (OpenID Connect CIBA Core 1.0), without I/O.

The authentication request (§7.1) and its answer (§7.3), the token request (§10.1), and a
poll state machine that is the device flow's (RFC 8628 §3.5 has the same interval and
slow_down rules, CIBA §7.3 / §11) with CIBA's own words for the ways it can end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oauth2cli.core.device import DEFAULT_INTERVAL, DevicePoll
from oauth2cli.core.errors import LoginRequired, OAuth2CliError, ProtocolError, ServerError
from oauth2cli.core.http import FORM, JSON, HttpRequest, HttpResponse, Pairs
from oauth2cli.core.tokens import parse_answer, parse_expires_in

GRANT_TYPE = "urn:openid:params:grant-type:ciba"
WHAT = "backchannel authentication endpoint"


@dataclass(frozen=True)
class BackchannelAuthorization:
    auth_req_id: str
    expires_at: float
    interval: float


def authentication_request(endpoint: str, *, scope: str | None, login_hint: str, binding_message: str | None = None,
                           acr_values: str | None = None, extra: Iterable[tuple[str, str]] = ()) -> HttpRequest:
    """§7.1: scope (with openid), one hint, and the optional binding_message and acr_values.
    The client's authentication is added by the caller, as at the token endpoint (§7.1)."""
    scopes = (scope or "").split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")  # §7.1: "The CIBA authentication request MUST contain the openid scope"
    form: list[tuple[str, str]] = [("scope", " ".join(scopes)), ("login_hint", login_hint)]
    if binding_message:
        form.append(("binding_message", binding_message))
    if acr_values:
        form.append(("acr_values", acr_values))
    form.extend(extra)
    return HttpRequest("POST", endpoint, headers=(("Accept", JSON), ("Content-Type", FORM)), form=tuple(form))


def parse_authentication_response(response: HttpResponse, now: float) -> BackchannelAuthorization:
    """§7.3 (auth_req_id, expires_in, interval) or §13's error object."""
    data = parse_answer(response, WHAT)
    auth_req_id = data.get("auth_req_id")
    if not isinstance(auth_req_id, str) or not auth_req_id:
        raise ProtocolError(f"the {WHAT} answered without an auth_req_id (CIBA §7.3)")
    expires_in = parse_expires_in(data.get("expires_in"))
    if expires_in is None:
        raise ProtocolError(f"the {WHAT} answered without expires_in (CIBA §7.3)")
    interval = parse_expires_in(data.get("interval"))
    # §7.3: "If no value is provided, clients MUST use 5 as the default value."
    return BackchannelAuthorization(auth_req_id, now + expires_in, max(interval, 1.0) if interval else DEFAULT_INTERVAL)


def token_form(auth_req_id: str, extra: Iterable[tuple[str, str]] = ()) -> Pairs:
    # §10.1
    return (("grant_type", GRANT_TYPE), ("auth_req_id", auth_req_id), *extra)


class CibaPoll(DevicePoll):
    """DevicePoll's timing (authorization_pending, slow_down +5 s, the expiry bound); the endings
    say what CIBA means: the server's expired_token is a refusal with its own text (exit 3)."""

    def _server_expired(self, exc: ServerError) -> OAuth2CliError:
        return ServerError(exc.error, exc.error_description or "the authentication request expired before it was approved",
                           exc.error_uri, status=exc.status, endpoint="authorization server")

    def _expired(self) -> LoginRequired:
        return LoginRequired("the authentication request expired before the user approved it (expires_in)",
                             hint="run the login again, and approve it on the device sooner")

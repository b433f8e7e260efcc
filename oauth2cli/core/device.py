"""The device authorization grant (RFC 8628): the device authorization request and response,
and the polling state machine. Pure: time is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oauth2cli.core.client_auth import ClientCredentials, authenticate
from oauth2cli.core.errors import LoginRequired, OAuth2CliError, ProtocolError, ServerError, printable
from oauth2cli.core.grants import common_parameters, grant_type_value
from oauth2cli.core.http import HttpRequest, HttpResponse, Pairs, parse_json_object
from oauth2cli.core.tokens import TokenSet, parse_expires_in, parse_token_response, raise_for_error

DEFAULT_INTERVAL = 5.0  # RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default."
SLOW_DOWN_STEP = 5.0  # RFC 8628 §3.5: slow_down adds 5 seconds to the interval
MAX_INTERVAL = 120.0


@dataclass(frozen=True)
class DeviceAuthorization:
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_at: float
    interval: float


def device_authorization_request(endpoint: str, client: ClientCredentials, *, scope: str | None = None,
                                 audience: str | None = None, resources: Sequence[str] = (),
                                 extra: Iterable[tuple[str, str]] = (), authenticated: bool = True) -> HttpRequest:
    """RFC 8628 §3.1: client_id and scope, with the client's authentication when it has one.

    With authenticated=False the caller applies the authentication (JWT assertions and plug-ins
    need more than the core has) and then `with_client_id`.
    """
    request = HttpRequest(
        "POST", endpoint,
        headers=(("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")),
        form=common_parameters(scope=scope, audience=audience, resources=resources, extra=extra),
    )
    if not authenticated:
        return request
    return with_client_id(authenticate(request, client), client.client_id)


def with_client_id(request: HttpRequest, client_id: str) -> HttpRequest:
    if request.form is not None and not any(k == "client_id" for k, _ in request.form):
        # RFC 8628 §3.1 requires client_id even when the client authenticates with a header
        request = request.with_form(("client_id", client_id))
    return request


def parse_device_authorization_response(response: HttpResponse, now: float) -> DeviceAuthorization:
    what = "device authorization endpoint"
    data = parse_json_object(response, what)
    raise_for_error(response, data, what)

    def text(name: str, *aliases: str, required: bool = True) -> str | None:
        for key in (name, *aliases):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
        if required:
            raise ProtocolError(f"the {what} answer has no {name} (RFC 8628 §3.2)")
        return None

    expires_in = parse_expires_in(data.get("expires_in"))
    if expires_in is None:
        raise ProtocolError(f"the {what} answer has no expires_in (RFC 8628 §3.2)")
    interval = parse_expires_in(data.get("interval"))
    return DeviceAuthorization(
        device_code=text("device_code"),  # type: ignore[arg-type]
        user_code=text("user_code"),  # type: ignore[arg-type]
        # "verification_url" is what some providers (Google) send
        verification_uri=text("verification_uri", "verification_url"),  # type: ignore[arg-type]
        verification_uri_complete=text("verification_uri_complete", "verification_url_complete", required=False),
        expires_at=now + expires_in,
        interval=max(interval, 1.0) if interval else DEFAULT_INTERVAL,
    )


def device_token_form(device_code: str, extra: Iterable[tuple[str, str]] = ()) -> Pairs:
    # RFC 8628 §3.4
    return (("grant_type", grant_type_value("device_code")), ("device_code", device_code), *extra)


class DevicePoll:
    """When to poll next, and what a token endpoint answer means (RFC 8628 §3.4, §3.5)."""

    def __init__(self, authorization: DeviceAuthorization, now: float) -> None:
        self.authorization = authorization
        self.interval = authorization.interval
        self.next_poll = now + self.interval
        self.polls = 0

    def seconds_left(self, now: float) -> float:
        return max(self.authorization.expires_at - now, 0.0)

    def wait(self, now: float) -> float:
        """Seconds to wait before the next poll; LoginRequired once the code has expired."""
        if now >= self.authorization.expires_at:
            raise self._expired()
        return max(self.next_poll - now, 0.0)

    def on_response(self, response: HttpResponse, now: float) -> TokenSet | None:
        """The tokens, or None to poll again; ServerError/LoginRequired when the grant ends badly."""
        self.polls += 1
        try:
            tokens = parse_token_response(response, now)
        except ServerError as exc:
            if exc.error == "authorization_pending":
                self.next_poll = now + self.interval
                return None
            if exc.error == "slow_down":
                self.interval = min(self.interval + SLOW_DOWN_STEP, MAX_INTERVAL)
                self.next_poll = now + self.interval
                return None
            if exc.error == "expired_token":
                raise self._server_expired(exc) from None
            if exc.error == "access_denied":
                raise ServerError(exc.error, exc.error_description or "the request was denied on the other device",
                                  exc.error_uri, status=exc.status, endpoint="authorization server") from None
            raise
        return tokens

    def _server_expired(self, exc: ServerError) -> OAuth2CliError:
        """The server's expired_token; the device flow treats it like running out of time."""
        return self._expired(exc)

    def _expired(self, said: ServerError | None = None) -> LoginRequired:
        text = "the device code expired before the sign-in was completed"
        if said is not None and said.error_description:
            # the server's own words, escaped like all server text
            text += f" (the server said: {printable(said.error_description, 300)})"
        return LoginRequired(text, hint="run the login again and enter the code sooner")

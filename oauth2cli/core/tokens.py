"""Token sets: parsing token endpoint answers (RFC 6749 §5) and expiry arithmetic."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from oauth2cli.core.expiry import DEFAULT_LEEWAY, needs_refresh
from oauth2cli.core.errors import ProtocolError, ServerError, printable
from oauth2cli.core.http import HttpResponse, parse_json_object
from oauth2cli.core.token_record import FIELDS, as_dict, fields, normalize_token_type
from oauth2cli.core.token_record import KNOWN as _KNOWN


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    token_type: str = "Bearer"
    # Absolute (seconds since the epoch), computed on receipt; None when the server gave no lifetime.
    expires_at: float | None = None
    refresh_token: str | None = None
    scope: str | None = None
    id_token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def expires_in(self, now: float) -> float | None:
        return None if self.expires_at is None else self.expires_at - now

    def needs_refresh(self, now: float, leeway: float = DEFAULT_LEEWAY) -> bool:
        """True when the token is within `leeway` seconds of expiry.

        An unknown expiry is not "valid forever": the caller uses the token and
        refreshes on a 401 instead.
        """
        return needs_refresh(self.expires_at, now, leeway)

    def after_refresh(self, previous: TokenSet) -> TokenSet:
        """This (new) token set, completed from the one it replaces."""
        return replace(
            self,
            # RFC 6749 §6: the server may omit refresh_token; keep the old one.
            refresh_token=self.refresh_token or previous.refresh_token,
            # RFC 6749 §5.1: an omitted scope is the scope that was granted before.
            scope=self.scope if self.scope is not None else previous.scope,
            # OIDC Core §12.2: a refresh need not return an id_token; the login's still names the user.
            id_token=self.id_token or previous.id_token,
            extra=self._extra_after(previous),
        )

    def _extra_after(self, previous: TokenSet) -> dict[str, Any]:
        extra = dict(self.extra)
        if not self.refresh_token and "refresh_token_expires_at" in previous.extra:
            extra["refresh_token_expires_at"] = previous.extra["refresh_token_expires_at"]  # the kept one's own expiry
        if "authorization_details" not in extra and "authorization_details" in previous.extra:
            # RFC 9396 §7: details not named again are those granted before
            extra["authorization_details"] = previous.extra["authorization_details"]
        return extra

    def to_dict(self) -> dict[str, Any]:
        return as_dict({k: getattr(self, k) for k in FIELDS}, self.extra)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenSet:
        """A token set as stored by to_dict (expires_at absolute, no expires_in)."""
        known, extra = fields(data)
        return cls(**known, extra=extra)


MAX_LIFETIME = 10 * 365 * 86400


def parse_expires_in(value: Any) -> float | None:
    """`expires_in` as seconds: servers send ints, strings and floats. None if absent.

    Like oauth4webapi: a numeric string is read as a number; negative, NaN, infinite,
    boolean or other values are a protocol error; absurd lifetimes are capped at ten years.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ProtocolError(f"expires_in is a boolean ({value!r}), not a number of seconds")
    if isinstance(value, str):
        try:
            value = float(value.strip()[:40])
        except ValueError:
            raise ProtocolError(f"expires_in is not a number: {printable(value, 40)!r}") from None
    if not isinstance(value, (int, float)):
        raise ProtocolError(f"expires_in is a JSON {_json_kind(value)}, not a number of seconds")
    if isinstance(value, float) and math.isinf(value):
        # JSON has no infinity; Python's parser reads "Infinity" anyway. A huge integer is capped below.
        raise ProtocolError(f"expires_in is {value}, not a lifetime in seconds (RFC 6749 §5.1)")
    try:
        seconds = float(value)
    except OverflowError:  # an integer with hundreds of digits
        seconds = math.inf
    if math.isnan(seconds) or seconds < 0:
        raise ProtocolError(f"expires_in is {printable(value, 40)}, not a lifetime in seconds (RFC 6749 §5.1)")
    return min(seconds, float(MAX_LIFETIME))


def _json_kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__)


def error_from_object(data: dict[str, Any], *, status: int | None, endpoint: str) -> ServerError | None:
    """An RFC 6749 §5.2 error object, wherever and with whatever status it came."""
    error = data.get("error")
    if error is None or error == "":
        return None
    description = data.get("error_description")
    uri = data.get("error_uri")
    return ServerError(
        str(error),
        None if description is None else str(description),
        None if uri is None else str(uri),
        status=status,
        endpoint=endpoint,
    )


def raise_for_error(response: HttpResponse, data: dict[str, Any], endpoint: str) -> None:
    error = error_from_object(data, status=response.status, endpoint=endpoint)
    if error is not None:
        raise error
    if not 200 <= response.status < 300:
        raise ProtocolError(f"the {endpoint} answered HTTP {response.status} without an error object ({response.describe()})")


def parse_answer(response: HttpResponse, endpoint: str) -> dict[str, Any]:
    """The JSON object of a successful answer, or the error it carries (RFC 6749 §5.2, at any status)."""
    if not 200 <= response.status < 300 and response.content_type not in ("application/json", ""):
        # An HTML gateway page or similar: say what it was rather than "not JSON".
        try:
            data = parse_json_object(response, endpoint)
        except ProtocolError:
            raise ProtocolError(f"the {endpoint} failed: {response.describe()}") from None
    else:
        data = parse_json_object(response, endpoint)
    raise_for_error(response, data, endpoint)
    return data


def parse_token_response(response: HttpResponse, now: float, *, endpoint: str = "token endpoint") -> TokenSet:
    """A successful token response (RFC 6749 §5.1) or the error it carries (§5.2).

    Answers labelled as forms or mislabelled JSON are read by core.token_answer first.
    """
    from oauth2cli.core.token_answer import read_by_label

    found = read_by_label(response)
    if found is not None:
        data = found[0]
        raise_for_error(response, data, endpoint)
        return token_set_from_json(data, now, endpoint=endpoint)
    return token_set_from_json(parse_answer(response, endpoint), now, endpoint=endpoint)


# RFC 6749 §7.1: a client must not use a token whose type it does not understand.
# "N_A" is RFC 8693 §2.2.1's type for an issued token that is not an access token.
KNOWN_TOKEN_TYPES = ("Bearer", "DPoP", "N_A")


def token_set_from_json(data: dict[str, Any], now: float, *, endpoint: str = "token endpoint") -> TokenSet:
    access_token = data.get("access_token")
    if access_token is None or access_token == "":
        raise ProtocolError(f"the {endpoint} answer has no access_token (RFC 6749 §5.1)")
    if not isinstance(access_token, str):
        raise ProtocolError(f"the {endpoint} answer's access_token is a JSON {_json_kind(access_token)}, not a string")
    token_type = data.get("token_type")
    if token_type is None or token_type == "":
        raise ProtocolError(
            f"the {endpoint} answer has no token_type",
            hint="the compliance fix 'missing_token_type' assumes Bearer",
        )
    if not isinstance(token_type, str):
        raise ProtocolError(f"the {endpoint} answer's token_type is a JSON {_json_kind(token_type)}, not a string")
    if normalize_token_type(token_type) not in KNOWN_TOKEN_TYPES:
        slack = token_type.lower() in ("bot", "user")
        raise ProtocolError(
            f"the {endpoint} issued a token of type {printable(token_type, 40)!r}, which this client cannot use "
            "(RFC 6749 §7.1; known: Bearer, DPoP)"
            + ("; Slack names its tokens \"bot\" and \"user\" and takes them as Bearer tokens" if slack else ""),
            hint="the compliance fix 'token_type_bearer' sends it as a Bearer token (the slack preset has it)"
            if slack else None,
        )
    try:
        lifetime = parse_expires_in(data.get("expires_in"))
    except ProtocolError as exc:
        raise ProtocolError(f"the {endpoint} answer's {exc.message}") from None
    scope = data.get("scope")
    if isinstance(scope, list) and all(isinstance(s, str) for s in scope):
        scope = " ".join(scope)
    if scope is not None and not isinstance(scope, str):
        raise ProtocolError(f"the {endpoint} answer's scope is a JSON {_json_kind(scope)}, not a string")
    for name in ("refresh_token", "id_token"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ProtocolError(f"the {endpoint} answer's {name} is a JSON {_json_kind(data[name])}, not a string")
    extra = {k: v for k, v in data.items() if k not in _KNOWN}
    if data.get("refresh_token") and "refresh_token_expires_in" in data:
        # GitHub Apps' expiring user tokens: the refresh token lives this long (6 months) too.
        try:
            refresh_lifetime = parse_expires_in(data.get("refresh_token_expires_in"))
        except ProtocolError as exc:
            raise ProtocolError(f"the {endpoint} answer's refresh_token_{exc.message}") from None
        if refresh_lifetime is not None:
            extra["refresh_token_expires_at"] = now + refresh_lifetime
    from oauth2cli.core.rar import granted

    granted(data, endpoint)  # RFC 9396 §7: kept with the token set, so it must be well-formed
    return TokenSet(
        access_token=access_token,
        token_type=normalize_token_type(token_type),
        expires_at=None if lifetime is None else now + lifetime,
        refresh_token=data.get("refresh_token") or None,
        scope=None if scope is None else str(scope),
        id_token=data.get("id_token") or None,
        extra=extra,
    )


def refresh_token_expired(tokens: TokenSet, now: float) -> bool:
    """Whether the server said when the refresh token expires (refresh_token_expires_in), and it has."""
    at = tokens.extra.get("refresh_token_expires_at")
    return isinstance(at, (int, float)) and not isinstance(at, bool) and at <= now

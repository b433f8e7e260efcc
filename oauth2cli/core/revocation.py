"""Token revocation (RFC 7009): the request, and what the answer means."""

from __future__ import annotations

from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import FORM, JSON, HttpRequest, HttpResponse, parse_json_object
from oauth2cli.core.tokens import raise_for_error

ENDPOINT = "revocation endpoint"
TOKEN_TYPE_HINTS = ("access_token", "refresh_token")  # RFC 7009 §2.1; servers may know more


def build_revocation_request(revocation_endpoint: str, token: str, token_type_hint: str | None = None) -> HttpRequest:
    # RFC 7009 §2.1
    form: list[tuple[str, str]] = [("token", token)]
    if token_type_hint:
        form.append(("token_type_hint", token_type_hint))
    return HttpRequest("POST", revocation_endpoint, headers=(("Accept", JSON), ("Content-Type", FORM)), form=tuple(form))


def check_revocation_response(response: HttpResponse) -> None:
    """None when the token is revoked (or was invalid: RFC 7009 §2.2); a typed error otherwise."""
    if 200 <= response.status < 300:
        # RFC 7009 §2.2: 200 whatever the token was; the body is ignored. Some servers say 204.
        return
    try:
        data = parse_json_object(response, ENDPOINT)
    except ProtocolError:
        raise ProtocolError(f"the {ENDPOINT} failed: {response.describe()}") from None
    # §2.2.1: unsupported_token_type, invalid_client, ... (503 means "try again later").
    raise_for_error(response, data, ENDPOINT)

"""Token introspection (RFC 7662): the request, and the answer as a checked JSON object."""

from __future__ import annotations

from typing import Any

from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import FORM, JSON, HttpRequest, HttpResponse
from oauth2cli.core.tokens import parse_answer

ENDPOINT = "introspection endpoint"


def build_introspection_request(introspection_endpoint: str, token: str,
                                token_type_hint: str | None = None) -> HttpRequest:
    # RFC 7662 §2.1; ask for JSON, not a signed JWT answer (RFC 9701).
    form: list[tuple[str, str]] = [("token", token)]
    if token_type_hint:
        form.append(("token_type_hint", token_type_hint))
    return HttpRequest("POST", introspection_endpoint, headers=(("Accept", JSON), ("Content-Type", FORM)),
                       form=tuple(form))


def parse_introspection_response(response: HttpResponse) -> dict[str, Any]:
    """The introspection answer (RFC 7662 §2.2); `active: false` is a normal answer."""
    data = parse_answer(response, ENDPOINT)
    active = data.get("active")
    if not isinstance(active, bool):
        # RFC 7662 §2.2: "active" is REQUIRED and boolean; "true" as a string is not a yes.
        raise ProtocolError(f"the {ENDPOINT} answer has no boolean \"active\" member ({response.describe()})")
    return data

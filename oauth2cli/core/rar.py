"""Rich authorization requests (RFC 9396): the `authorization_details` parameter, checked before it
is sent, and the granted details of a token answer. Pure: the caller reads any @FILE."""

from __future__ import annotations

import json
from typing import Any

from oauth2cli.core.errors import ConfigError, ProtocolError

PARAMETER = "authorization_details"


def check_details(value: Any, where: str) -> str:
    """`value` (JSON text or already-parsed data) as compact JSON, once it is what RFC 9396 §2 asks
    for: a JSON array of objects, each with a string `type`. ConfigError naming the first fault."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ConfigError(f"{where} is not JSON: {exc}",
                              hint='give a JSON array such as [{"type": "payment_initiation", ...}]') from None
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where} must be a non-empty JSON array of objects (RFC 9396 §2), not "
                          f"{_kind(value)}", hint='for example [{"type": "account_information"}]')
    for index, detail in enumerate(value):
        if not isinstance(detail, dict):
            raise ConfigError(f"{where}: element {index} is {_kind(detail)}, not an object (RFC 9396 §2)")
        kind = detail.get("type")
        if not isinstance(kind, str) or not kind:
            raise ConfigError(f"{where}: element {index} has no string \"type\" (RFC 9396 §2: type is REQUIRED)")
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def granted(data: dict[str, Any], endpoint: str = "token endpoint") -> list[dict[str, Any]] | None:
    """The authorization_details a server granted (RFC 9396 §7), or None; ProtocolError when malformed."""
    details = data.get(PARAMETER)
    if details is None:
        return None
    if not isinstance(details, list) or not all(isinstance(d, dict) and isinstance(d.get("type"), str) for d in details):
        raise ProtocolError(f"the {endpoint} answered authorization_details that are not an array of objects "
                            "with a type (RFC 9396 §7)")
    return details


def types_of(details: Any) -> list[str]:
    """The `type` of each detail, for one-line displays (status)."""
    if not isinstance(details, list):
        return []
    return [d["type"] for d in details if isinstance(d, dict) and isinstance(d.get("type"), str)]


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an empty array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")

"""A stored token set as plain data: the fields TokenSet.from_dict reads from it and the form
to_dict writes back, without dataclasses or typing, so the lean readers (`status`, `token -o
json`, store/view.py) read a stored token set as the TokenSet does (core/tokens.py uses these)."""

from __future__ import annotations

# The TokenSet's fields, in its order; with expires_in, the names that are never `extra`.
FIELDS = ("access_token", "token_type", "expires_at", "refresh_token", "scope", "id_token")
KNOWN = (*FIELDS, "expires_in")


def normalize_token_type(value: str) -> str:
    # RFC 6749 §7.1: token_type is case-insensitive; RFC 9449 names "DPoP".
    lowered = value.lower()
    if lowered == "bearer":
        return "Bearer"
    if lowered == "dpop":
        return "DPoP"
    return value


def fields(data: dict) -> tuple[dict, dict]:
    """(the TokenSet's fields, its extra) of a token set as stored (expires_at absolute, no
    expires_in); ValueError when it has no access_token."""
    if not isinstance(data.get("access_token"), str):
        raise ValueError("stored token set has no access_token")
    expires_at = data.get("expires_at")
    known = {
        "access_token": data["access_token"],
        "token_type": normalize_token_type(str(data.get("token_type") or "Bearer")),
        "expires_at": float(expires_at) if isinstance(expires_at, (int, float)) else None,
        "refresh_token": data.get("refresh_token"),
        "scope": data.get("scope"),
        "id_token": data.get("id_token"),
    }
    return known, {k: v for k, v in data.items() if k not in KNOWN}


def as_dict(known: dict, extra: dict) -> dict:
    """TokenSet.to_dict: the fields that are set, then the extra names not among them."""
    data = {k: v for k, v in known.items() if v is not None}
    for k, v in extra.items():
        data.setdefault(k, v)
    return data


def stored_form(data: dict) -> dict:
    """TokenSet.from_dict(data).to_dict(), on plain data; ValueError as from_dict raises it."""
    return as_dict(*fields(data))

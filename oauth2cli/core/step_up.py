"""Step-up authentication challenges (RFC 9470): a resource's 401 that asks for a stronger or
more recent sign-in, and the login that answers it. Pure."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass

from oauth2cli.core import www_authenticate

ERROR = "insufficient_user_authentication"  # RFC 9470 §3


@dataclass(frozen=True)
class StepUp:
    acr_values: str | None = None  # space-separated, in order of preference (RFC 9470 §3)
    max_age: int | None = None  # seconds since the last active authentication
    description: str | None = None

    def auth_params(self) -> tuple[tuple[str, str], ...]:
        """The authorization request parameters that ask for it (RFC 9470 §4, OIDC Core §3.1.2.1)."""
        pairs: list[tuple[str, str]] = []
        if self.acr_values:
            pairs.append(("acr_values", self.acr_values))
        if self.max_age is not None:
            pairs.append(("max_age", str(self.max_age)))
        return tuple(pairs)

    def wanted(self) -> str:
        parts = []
        if self.acr_values:
            parts.append(f"acr_values {self.acr_values}")
        if self.max_age is not None:
            parts.append(f"a sign-in at most {self.max_age} s old (max_age)")
        return " and ".join(parts) or "a stronger sign-in"


def parse_challenge(status: int, header_values: Iterable[str]) -> StepUp | None:
    """The step-up the response asks for, or None when it is not RFC 9470's challenge."""
    if status != 401:
        return None
    for challenge in www_authenticate.parse_all(header_values):
        if not (challenge.is_scheme("Bearer") or challenge.is_scheme("DPoP")) or challenge.get("error") != ERROR:
            continue
        raw_age = (challenge.get("max_age") or "").strip()
        return StepUp(acr_values=(challenge.get("acr_values") or "").strip() or None,
                      max_age=int(raw_age) if raw_age.isdigit() else None,
                      description=challenge.get("error_description"))
    return None


def login_command(profile: str | None, step_up: StepUp) -> str:
    """The exact command that logs in as the resource asks."""
    words = ["oauth2", "login"] + ([profile] if profile else [])
    for key, value in step_up.auth_params():
        words += ["-P", f"{key}={value}"]
    return " ".join(shlex.quote(w) for w in words)


def challenge_scope(header_values: Iterable[str]) -> str | None:
    """RFC 6750 §3: the `scope` a Bearer (or DPoP) challenge says the resource needs."""
    for challenge in www_authenticate.parse_all(header_values):
        if (challenge.is_scheme("Bearer") or challenge.is_scheme("DPoP")) and (challenge.get("scope") or "").strip():
            return " ".join(challenge.get("scope").split())
    return None


def insufficient_scope(status: int, header_values: Iterable[str]) -> str | None:
    """RFC 6750 §3.1: the scope a 403 insufficient_scope challenge asks for; None for any other answer."""
    values = list(header_values)
    if status != 403 or not any(c.get("error") == "insufficient_scope" for c in www_authenticate.parse_all(values)):
        return None
    return challenge_scope(values)


def union(*scopes: str | None) -> str:
    """Scope values joined, each scope token once, in the order first seen."""
    seen: dict[str, None] = {}
    for scope in scopes:
        seen.update(dict.fromkeys((scope or "").split()))
    return " ".join(seen)

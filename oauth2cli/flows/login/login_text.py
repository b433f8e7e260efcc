"""What a login says to the person: progress lines, who is signed in, and the closing summary."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import printable

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.login.login_common import LoginResult


def say(deps: Deps, message: str) -> None:
    deps.stderr.write(message + "\n")
    deps.stderr.flush()


def warn(deps: Deps, message: str) -> None:
    say(deps, f"oauth2: warning: {message}")


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def who(claims: dict[str, Any] | None) -> str | None:
    if not claims:
        return None
    for name in ("preferred_username", "email", "name", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value:
            label = printable(value, 100)
            email = claims.get("email")
            if name != "email" and isinstance(email, str) and email and email != value:
                label += f" <{printable(email, 100)}>"
            return label
    return None


def who_text(claims: dict[str, Any] | None) -> str | None:
    name = who(claims)
    return f"Signed in as {name}." if name else None


def summary(result: LoginResult, profile: str | None, now: float, saved: bool) -> str:
    """The one line at the end: who is logged in, and when the token expires."""
    name = who(result.claims)
    text = "Logged in" + (f" to {profile}" if profile else "") + (f" as {name}" if name else "")
    expires_at = result.tokens.expires_at
    if expires_at is None:
        text += "; the server did not say when the access token expires"
    else:
        local = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(expires_at))
        text += f"; the access token expires at {local} (in {duration(max(expires_at - now, 0))})"
    if result.tokens.refresh_token:
        text += ", with a refresh token"
    if not saved:
        text += " (not saved)"
    return text + "."

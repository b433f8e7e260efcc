"""What every way of logging in shares: the person's choices, the result, and the id_token checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints

METHODS = ("auto", "browser", "device", "manual", "password")


@dataclass(frozen=True)
class LoginChoices:
    method: str = "auto"  # one of METHODS
    open_browser: bool = True  # False: --no-browser, print the URL only
    browser_timeout: float = 300.0
    username: str | None = None  # --password


@dataclass(frozen=True)
class LoginResult:
    tokens: TokenSet
    claims: dict[str, Any] | None  # of the validated id_token, or userinfo
    method: str


def check_tokens(settings: ClientSettings, deps: Deps, tokens: TokenSet, nonce: str | None,
                  endpoints: Endpoints, code: str | None = None) -> dict[str, Any] | None:
    """The id_token checks; `code` when the tokens came from exchanging one (c_hash, OIDC Core §3.3.2.11)."""
    from oauth2cli.flows.oidc import check_id_token

    return check_id_token(settings, deps, tokens, nonce=nonce, endpoints=endpoints, max_age=max_age(settings),
                          code=code)


def max_age(settings: ClientSettings) -> int | None:
    """The max_age sent with -P (OIDC Core §3.1.2.1): the id_token's auth_time is then checked (§3.1.3.7 item 13)."""
    values = [v for k, v in settings.auth_params if k == "max_age"]
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        raise ConfigError(f"max_age must be a number of seconds, not {values[-1]!r}") from None

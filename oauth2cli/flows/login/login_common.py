"""What every way of logging in shares: the person's choices, the result, and the id_token checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    # MCP: a login found from a resource's metadata refuses a server that does not list S256
    pkce_listed: bool = False


@dataclass(frozen=True)
class LoginResult:
    tokens: TokenSet
    claims: dict[str, Any] | None  # of the validated id_token, or userinfo
    method: str


def check_tokens(settings: ClientSettings, deps: Deps, tokens: TokenSet, nonce: str | None,
                  endpoints: Endpoints, code: str | None = None) -> dict[str, Any] | None:
    """The id_token checks; `code` when the tokens came from exchanging one (c_hash, OIDC Core §3.3.2.11)."""
    from oauth2cli.flows.exchange.oidc import check_id_token, max_age

    return check_id_token(settings, deps, tokens, nonce=nonce, endpoints=endpoints, max_age=max_age(settings),
                          code=code)

"""Logging a person in: which way in (browser, device, paste, password), then the id_token checks
and who is signed in. Each way in has its own module: login_browser (the loopback listener, PAR and
the code exchange), login_paste, login_password, and flows.grants.device."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import ConfigError, OAuth2CliError, ServerError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet
from oauth2cli.flows.discovery import Endpoints
from oauth2cli.flows.login.login_common import (  # noqa: F401 (the names callers know from here)
    METHODS,
    LoginChoices,
    LoginResult,
    check_tokens,
)
from oauth2cli.flows.login.login_text import summary  # noqa: F401 (commands/authorize prints it)

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

def choose_method(requested: str, environ, *, has_device_endpoint: bool, response_type: str = "code") -> str:
    """The way in: what was asked for, else a browser when one can reach the person, else the
    device flow when the server has it, else (over SSH) the listener plus a pasted URL."""
    from oauth2cli.transport.browser import browser_available, is_ssh

    if requested != "auto":
        return requested
    if browser_available(environ) or response_type != "code":
        return "browser"
    if has_device_endpoint:
        return "device"
    if is_ssh(environ):
        return "ssh"
    return "browser"


def login(settings: ClientSettings, deps: Deps, choices: LoginChoices) -> LoginResult:
    from oauth2cli.flows.exchange.oidc import max_age

    endpoints = Endpoints(settings, deps)
    max_age(settings)  # a bad -P max_age is said before the browser opens, not after
    if "openid" in (settings.scope or "").split() and not settings.issuer:
        # Say it before the person signs in: the id_token's iss can only be checked against an issuer.
        from oauth2cli.core.advice import OPENID_NEEDS_ISSUER, hint

        raise ConfigError(OPENID_NEEDS_ISSUER, hint=hint("openid-needs-issuer"))
    requested = choices.method
    if requested == "auto" and not choices.open_browser:
        requested = "browser"  # --no-browser asks for the listener; the person opens the URL
    # A response mode or request object asked for is a browser login's; the device flow would drop it.
    browser_only = bool(settings.response_mode or settings.request_object)
    method = choose_method(requested, deps.environ, response_type=settings.response_type,
                           has_device_endpoint=requested == "auto" and not browser_only
                           and bool(endpoints.get("device_authorization_endpoint")))
    if method in ("device", "password") and browser_only:
        raise ConfigError(f"--response-mode and --request-object are for the browser login, not the "
                          f"{'device flow' if method == 'device' else 'password grant'}",
                          hint="leave them out, or log in through the browser")
    try:
        tokens, claims = _sign_in(settings, deps, choices, endpoints, method, chosen=requested == "auto")
    except ServerError as exc:
        if not exc.hint and exc.endpoint != "token endpoint":
            from oauth2cli.core.advice import authorization_refusal

            try:
                meta = endpoints.metadata.document if settings.issuer and endpoints.metadata else {}
            except OAuth2CliError:
                meta = {}
            exc.hint = authorization_refusal(exc.error, exc.error_description, scope=settings.scope,
                                             request_object=settings.request_object,
                                             scopes_supported=meta.get("scopes_supported"),
                                             requires_request_object=meta.get("require_signed_request_object") is True)
        raise
    if not claims or not any(claims.get(n) for n in ("preferred_username", "email", "name")):
        # the id_token may carry only sub; userinfo usually has a name to show
        info = userinfo_claims(settings, deps, tokens, endpoints)
        if info and (not claims or info.get("sub") == claims.get("sub")):
            claims = {**(claims or {}), **info}
    return LoginResult(tokens, claims, method)


def _sign_in(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints, method: str,
             chosen: bool):
    """(tokens, id_token claims) by the way in chosen."""
    if method == "device":
        from oauth2cli.flows.grants.device import device_authorization_grant

        if chosen:  # not asked for: say why, before the code and its wait
            from oauth2cli.core.advice import hint

            deps.stderr.write(f"oauth2: {hint('device-chosen')}\n")
        tokens = device_authorization_grant(settings, deps, open_browser=choices.open_browser)
        return tokens, check_tokens(settings, deps, tokens, None, endpoints)
    if method == "password":
        from oauth2cli.flows.login.login_password import password_login

        tokens = password_login(settings, deps, choices)
        return tokens, check_tokens(settings, deps, tokens, None, endpoints)
    from oauth2cli.flows.login.login_browser import browser_login

    return browser_login(settings, deps, choices, endpoints, method)


def userinfo_claims(settings: ClientSettings, deps: Deps, tokens: TokenSet, endpoints: Endpoints) -> dict[str, Any] | None:
    """Best effort: the userinfo claims when the scope has openid and there was no id_token."""
    scope = (tokens.scope or settings.scope or "").split()
    if "openid" not in scope or tokens.token_type != "Bearer":
        return None
    try:
        url = endpoints.get("userinfo_endpoint")
        if not url:
            return None
        from oauth2cli.core.http import HttpRequest

        response = endpoints.http.send(HttpRequest("GET", url, headers=(
            ("Accept", "application/json"), ("Authorization", f"Bearer {tokens.access_token}"))))
        if response.status != 200 or response.content_type != "application/json":
            return None
        import json

        data = json.loads(response.body)
        return data if isinstance(data, dict) else None
    except (OAuth2CliError, ValueError):
        return None

_check_tokens = check_tokens  # the name tests/login uses

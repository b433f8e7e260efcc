"""Logging a person in: the authorization code grant through a loopback listener (or a pasted
redirect URL), the implicit grant on request, the device flow and the password grant.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.authorization import (
    AuthorizationRequest,
    AuthorizationResponse,
    CallbackCheck,
    CallbackIgnored,
    RedirectTarget,
    build_authorization_request,
    check_redirect_url,
    fragment_token_response,
    parse_redirect_uri,
)
from oauth2cli.core.errors import ConfigError, LoginRequired, OAuth2CliError, printable
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet, token_set_from_json
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

METHODS = ("auto", "browser", "device", "manual", "password")
IMPLICIT_WARNING = ("the implicit grant (--response-type token) is deprecated: the token travels in the "
                    "browser's URL and cannot be sender-constrained (RFC 9700 §2.1.2); prefer the code flow with PKCE")
PASSWORD_WARNING = ("the resource owner password grant hands your password to this program and is "
                    "deprecated (RFC 9700 §2.4); prefer the browser or device login")


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


def say(deps: Deps, message: str) -> None:
    deps.stderr.write(message + "\n")
    deps.stderr.flush()


def warn(deps: Deps, message: str) -> None:
    say(deps, f"oauth2: warning: {message}")


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
    endpoints = Endpoints(settings, deps)
    _max_age(settings)  # a bad -P max_age is said before the browser opens, not after
    if "openid" in (settings.scope or "").split() and not settings.issuer:
        # Say it before the person signs in: the id_token's iss can only be checked against an issuer.
        raise ConfigError("an OpenID Connect login (scope openid) needs the issuer, to check the id_token",
                          hint="give --issuer (or set issuer in the profile)")
    requested = choices.method
    if requested == "auto" and not choices.open_browser:
        requested = "browser"  # --no-browser asks for the listener; the person opens the URL
    method = choose_method(requested, deps.environ, response_type=settings.response_type,
                           has_device_endpoint=requested == "auto" and bool(endpoints.get("device_authorization_endpoint")))
    if method == "device":
        from oauth2cli.flows.device import device_authorization_grant

        tokens = device_authorization_grant(settings, deps, open_browser=choices.open_browser)
        claims = _check_tokens(settings, deps, tokens, None, endpoints)
    elif method == "password":
        tokens = _password(settings, deps, choices)
        claims = _check_tokens(settings, deps, tokens, None, endpoints)
    else:
        tokens, claims = _authorization(settings, deps, choices, endpoints, method)
    if not claims or not any(claims.get(n) for n in ("preferred_username", "email", "name")):
        # the id_token may carry only sub; userinfo usually has a name to show
        info = _userinfo(settings, deps, tokens, endpoints)
        if info and (not claims or info.get("sub") == claims.get("sub")):
            claims = {**(claims or {}), **info}
    return LoginResult(tokens, claims, method)


def _check_tokens(settings: ClientSettings, deps: Deps, tokens: TokenSet, nonce: str | None,
                  endpoints: Endpoints) -> dict[str, Any] | None:
    from oauth2cli.flows.oidc import check_id_token

    return check_id_token(settings, deps, tokens, nonce=nonce, endpoints=endpoints, max_age=_max_age(settings))


def _max_age(settings: ClientSettings) -> int | None:
    """The max_age sent with -P (OIDC Core §3.1.2.1): the id_token's auth_time is then checked (§3.1.3.7 item 13)."""
    values = [v for k, v in settings.auth_params if k == "max_age"]
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        raise ConfigError(f"max_age must be a number of seconds, not {values[-1]!r}") from None


# ---------------------------------------------------------------------------
# the authorization request, through the browser


def _targets(settings: ClientSettings) -> tuple[RedirectTarget, tuple[int, ...]]:
    target = parse_redirect_uri(settings.redirect_uri)
    ports = tuple(settings.redirect_ports)
    if ports and target.port == 0:
        target = replace(target, port=ports[0])
        ports = ports[1:]
    return target, ports


def _expected_issuer(settings: ClientSettings, endpoints: Endpoints) -> tuple[str | None, bool]:
    meta = endpoints.metadata if settings.issuer else None
    if meta is None:
        return settings.issuer, False
    # RFC 9207 §3: the server promises `iss` in every authorization response
    return meta.issuer, meta.document.get("authorization_response_iss_parameter_supported") is True


def _build(settings: ClientSettings, endpoints: Endpoints, redirect_uri: str) -> AuthorizationRequest:
    endpoint = endpoints.require("authorization_endpoint")
    if urlsplit(endpoint).scheme not in ("https", "http") or not urlsplit(endpoint).netloc:
        # it goes to the browser, which would open file: and other schemes too
        raise ConfigError(f"the authorization endpoint {printable(endpoint, 200)!r} is not an http(s) URL")
    return build_authorization_request(
        endpoint,
        client_id=settings.client.client_id,
        redirect_uri=redirect_uri,
        scope=settings.scope,
        response_type=settings.response_type,
        pkce=settings.pkce,
        resources=settings.resources,
        audience=settings.audience,
        extra=settings.auth_params,
    )


def _url(settings: ClientSettings, deps: Deps, endpoints: Endpoints, request: AuthorizationRequest) -> str:
    meta = endpoints.metadata if settings.issuer else None
    required = bool(meta and meta.document.get("require_pushed_authorization_requests") is True)
    if not (settings.use_par or required):
        return request.url
    from oauth2cli.core.par import par_request, parse_par_response

    endpoint = endpoints.get("pushed_authorization_request_endpoint")
    if not endpoint:
        raise ConfigError("pushed authorization requests are asked for, but the server announces no "
                          "pushed_authorization_request_endpoint")
    from oauth2cli.core.device import with_client_id
    from oauth2cli.flows.token import authenticate_request

    # The token endpoint's client authentication (assertions and plug-ins too); client_id once.
    pushed_request = authenticate_request(settings, deps, par_request(endpoint, request.params, settings.client,
                                                                      authenticated=False), endpoints, endpoint)
    response = endpoints.http.send(with_client_id(pushed_request, settings.client.client_id))
    pushed = parse_par_response(response, deps.clock())
    return request.url_for_request_uri(pushed.request_uri)


def _authorization(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints,
                   method: str) -> tuple[TokenSet, dict[str, Any] | None]:
    from oauth2cli.transport.listener import LoopbackListener

    if settings.response_type not in ("code", "token"):
        raise ConfigError(f"response type {settings.response_type!r} is not supported; use code or token")
    implicit = settings.response_type == "token"
    if implicit:
        warn(deps, IMPLICIT_WARNING)
    issuer, iss_required = _expected_issuer(settings, endpoints)
    endpoints.require("authorization_endpoint")  # fail before binding a port

    if method == "manual":
        return _manual(settings, deps, choices, endpoints, issuer, iss_required)

    target, fallbacks = _targets(settings)
    listener = LoopbackListener(target, fallback_ports=fallbacks, implicit=implicit, warn=lambda m: warn(deps, m))
    with listener:
        request = _build(settings, endpoints, listener.redirect_uri)
        listener.check = CallbackCheck(target.path, request.state, settings.response_type, issuer, iss_required)
        url = _url(settings, deps, endpoints, request)
        paste = method == "ssh"
        _show_url(deps, url, choices, listener.redirect_uri, ssh=paste)
        if paste:
            _read_pasted(deps, listener.check, listener.redirect_uri, listener.offer, keep_listening=True)
        elif choices.open_browser:
            from oauth2cli.transport.browser import open_in_background

            # The listener already serves: a $BROWSER that blocks until it exits cannot deadlock us.
            open_in_background(deps.browser, url, lambda: warn(deps, "could not start a browser; open the URL above yourself"))
        try:
            response = listener.wait(choices.browser_timeout, deps.clock)
        except TimeoutError:
            raise _timeout(choices) from None
        except OAuth2CliError as exc:
            listener.respond(*_error_page(exc))
            raise
        try:
            tokens, claims = _finish(settings, deps, endpoints, request, response, listener.redirect_uri)
        except OAuth2CliError as exc:
            listener.respond(*_error_page(exc))
            raise
        except BaseException:
            from oauth2cli.transport import pages

            listener.respond(500, pages.error_page("interrupted", "The oauth2 command stopped before finishing."))
            raise
        from oauth2cli.transport import pages

        listener.respond(200, pages.success_page(_who_text(claims)))
    return tokens, claims


def _timeout(choices: LoginChoices) -> LoginRequired:
    return LoginRequired(f"no answer from the browser within {choices.browser_timeout:g} s",
                         hint="run the login again, or wait longer with --browser-timeout SECONDS")


def _error_page(exc: OAuth2CliError) -> tuple[int, str]:
    from oauth2cli.transport import pages

    error = getattr(exc, "error", None)
    if error:
        return 200, pages.error_page(error, getattr(exc, "error_description", None), getattr(exc, "error_uri", None))
    return 400, pages.error_page("sign-in not completed", exc.message)


def _show_url(deps: Deps, url: str, choices: LoginChoices, redirect_uri: str | None, *, ssh: bool) -> None:
    if ssh and redirect_uri:
        port = urlsplit(redirect_uri).port
        say(deps, "You are on a remote machine. Either forward the redirect port from the machine with the browser:")
        say(deps, f"  ssh -L {port}:127.0.0.1:{port} <this host>")
        say(deps, "and open the URL below there, or open it anywhere and paste the address you end up at.")
    say(deps, "Open this URL in a browser to sign in:" if (ssh or not choices.open_browser)
        else "Opening the browser to sign in; if it does not open, visit:")
    say(deps, f"  {url}")
    say(deps, f"Waiting up to {_duration(choices.browser_timeout)} for the sign-in (Ctrl-C to cancel)...")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _read_pasted(deps: Deps, check: CallbackCheck, redirect_uri: str, offer, *, keep_listening: bool) -> None:
    """Read redirect URLs from stdin in a thread until one is valid; wrong ones are explained and ignored."""

    def run() -> None:
        while True:
            say(deps, "Paste the full address the browser was sent to (the page may fail to load), then Enter:")
            try:
                line = deps.stdin.readline()
            except (OSError, ValueError):
                line = ""
            if not line:
                if not keep_listening:
                    offer(LoginRequired("no redirect URL was pasted (end of input)",
                                        hint="paste the whole address from the browser's address bar"))
                return
            if not line.strip():
                continue
            try:
                outcome: Any = check_redirect_url(check, line, redirect_uri)
            except CallbackIgnored as exc:
                warn(deps, f"not the answer to this login: {exc.reason}")
                continue
            except OAuth2CliError as exc:
                outcome = exc
            offer(outcome)
            return

    threading.Thread(target=run, name="oauth2-paste", daemon=True).start()


class _Pasted:
    def __init__(self) -> None:
        self.results: queue.Queue = queue.Queue()
        self.taken = False

    def offer(self, outcome) -> bool:
        if self.taken:
            return False
        self.taken = True
        self.results.put(outcome)
        return True


def _manual(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints,
            issuer: str | None, iss_required: bool) -> tuple[TokenSet, dict[str, Any] | None]:
    # Any redirect URI the client has registered works here: nothing listens, the person copies
    # the address the browser ends at (RFC 8252 §7.3's loopback URI by default).
    redirect_uri = settings.redirect_uri or "http://127.0.0.1/callback"
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"the redirect URI {redirect_uri!r} is not an absolute http(s) URI")
    request = _build(settings, endpoints, redirect_uri)
    check = CallbackCheck(parts.path or "/", request.state, settings.response_type, issuer, iss_required)
    url = _url(settings, deps, endpoints, request)
    say(deps, "Open this URL in a browser to sign in:")
    say(deps, f"  {url}")
    from oauth2cli.transport.browser import browser_available, open_in_background

    if choices.open_browser and browser_available(deps.environ):

        open_in_background(deps.browser, url, lambda: None)
    pasted = _Pasted()
    _read_pasted(deps, check, redirect_uri, pasted.offer, keep_listening=False)
    deadline = deps.clock() + choices.browser_timeout
    while True:
        try:
            outcome = pasted.results.get(timeout=0.25)
            break
        except queue.Empty:
            if deps.clock() >= deadline:
                raise _timeout(choices) from None
    if isinstance(outcome, BaseException):
        raise outcome
    return _finish(settings, deps, endpoints, request, outcome, redirect_uri)


def _finish(settings: ClientSettings, deps: Deps, endpoints: Endpoints, request: AuthorizationRequest,
            response: AuthorizationResponse, redirect_uri: str) -> tuple[TokenSet, dict[str, Any] | None]:
    if request.response_type == "token":
        data = fragment_token_response(response)
        tokens = token_set_from_json(data, deps.clock(), endpoint="authorization server")
        return tokens, None
    from oauth2cli.flows import token as token_flow

    tokens = token_flow.authorization_code(settings, deps, response.code or "", redirect_uri, request.code_verifier,
                                           endpoints=endpoints)
    claims = _check_tokens(settings, deps, tokens, request.nonce, endpoints)
    return tokens, claims


# ---------------------------------------------------------------------------
# password grant


def _password(settings: ClientSettings, deps: Deps, choices: LoginChoices) -> TokenSet:
    warn(deps, PASSWORD_WARNING)
    username = choices.username
    interactive = bool(getattr(deps.stdin, "isatty", lambda: False)())
    if not username:
        deps.stderr.write("Username: ")
        deps.stderr.flush()
        username = deps.stdin.readline().rstrip("\r\n")
    if not username:
        raise ConfigError("no username given", hint="give --username NAME")
    if interactive:
        import getpass

        password = getpass.getpass("Password: ", stream=deps.stderr)
    else:
        # a pipe: the password is the next line (never on the command line)
        password = deps.stdin.readline().rstrip("\r\n")
    if not password:
        raise ConfigError("no password given", hint="type it at the prompt, or pipe it on stdin")
    from oauth2cli.flows import token as token_flow

    grant = getattr(token_flow, "password_grant", None)
    if grant is None:
        from oauth2cli.core.errors import NotImplementedYet

        raise NotImplementedYet("the password grant (oauth2 token --grant password)")
    return grant(settings, deps, username, password)


# ---------------------------------------------------------------------------
# who is logged in


def _userinfo(settings: ClientSettings, deps: Deps, tokens: TokenSet, endpoints: Endpoints) -> dict[str, Any] | None:
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


def _who_text(claims: dict[str, Any] | None) -> str | None:
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
        text += f"; the access token expires at {local} (in {_duration(max(expires_at - now, 0))})"
    if result.tokens.refresh_token:
        text += ", with a refresh token"
    if not saved:
        text += " (not saved)"
    return text + "."

"""The authorization request through the browser: the loopback listener (or, with --manual, an
address pasted back), PAR, and the code exchange that ends it (RFC 6749 §4.1, RFC 8252, RFC 9126)."""

from __future__ import annotations

import queue
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.authorization import (
    AuthorizationRequest,
    AuthorizationResponse,
    CallbackCheck,
    RedirectTarget,
    build_authorization_request,
    fragment_token_response,
    parse_redirect_uri,
)
from oauth2cli.core.errors import ConfigError, LoginRequired, OAuth2CliError, printable
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet, token_set_from_json
from oauth2cli.flows.discovery import Endpoints
from oauth2cli.flows.login.login_common import check_tokens
from oauth2cli.flows.login.login_paste import Pasted, read_pasted
from oauth2cli.flows.login.login_text import duration, say, warn, who_text

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.login.login_common import LoginChoices

IMPLICIT_WARNING = ("the implicit grant (--response-type token) is deprecated: the token travels in the "
                    "browser's URL and cannot be sender-constrained (RFC 9700 §2.1.2); prefer the code flow with PKCE")


def targets(settings: ClientSettings) -> tuple[RedirectTarget, tuple[int, ...]]:
    target = parse_redirect_uri(settings.redirect_uri)
    ports = tuple(settings.redirect_ports)
    if ports and target.port == 0:
        target = replace(target, port=ports[0])
        ports = ports[1:]
    return target, ports


def expected_issuer(settings: ClientSettings, endpoints: Endpoints) -> tuple[str | None, bool]:
    meta = endpoints.metadata if settings.issuer else None
    if meta is None:
        return settings.issuer, False
    # RFC 9207 §3: the server promises `iss` in every authorization response
    return meta.issuer, meta.document.get("authorization_response_iss_parameter_supported") is True


def build(settings: ClientSettings, endpoints: Endpoints, redirect_uri: str) -> AuthorizationRequest:
    endpoint = endpoints.require("authorization_endpoint")
    if urlsplit(endpoint).scheme not in ("https", "http") or not urlsplit(endpoint).netloc:
        # it goes to the browser, which would open file: and other schemes too
        raise ConfigError(f"the authorization endpoint {printable(endpoint, 200)!r} is not an http(s) URL")
    from oauth2cli.flows.exchange.token import rar_pairs

    return build_authorization_request(
        endpoint,
        client_id=settings.client.client_id,
        redirect_uri=redirect_uri,
        scope=settings.scope,
        response_type=settings.response_type,
        pkce=settings.pkce,
        resources=settings.resources,
        audience=settings.audience,
        extra=settings.auth_params + rar_pairs(settings),
        response_mode=settings.response_mode,
    )


def build_signed(settings: ClientSettings, deps: Deps, endpoints: Endpoints, redirect_uri: str) -> AuthorizationRequest:
    """The request, as a signed request object (RFC 9101) with --request-object."""
    request = build(settings, endpoints, redirect_uri)
    if not settings.request_object:
        return request
    from oauth2cli.flows.authorize.request_object import sign_request

    return sign_request(settings, deps, endpoints, request)


def url_to_open(settings: ClientSettings, deps: Deps, endpoints: Endpoints, request: AuthorizationRequest) -> str:
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
    from oauth2cli.flows.exchange.token import authenticate_request

    # The token endpoint's client authentication (assertions and plug-ins too); client_id once.
    pushed_request = authenticate_request(settings, deps, par_request(endpoint, request.params, settings.client,
                                                                      authenticated=False), endpoints, endpoint)
    response = endpoints.http.send(with_client_id(pushed_request, settings.client.client_id))
    pushed = parse_par_response(response, deps.clock())
    return request.url_for_request_uri(pushed.request_uri)


def browser_login(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints,
                   method: str) -> tuple[TokenSet, dict[str, Any] | None]:
    from oauth2cli.transport.listener import LoopbackListener

    from oauth2cli.flows.authorize.response_mode import listener_mode

    in_fragment, form_post, jarm = listener_mode(settings)
    if settings.response_type == "token":
        warn(deps, IMPLICIT_WARNING)
    issuer, iss_required = expected_issuer(settings, endpoints)
    iss_required = iss_required or settings.fapi2  # FAPI 2.0 §5.3.2.2: iss in every authorization response
    endpoints.require("authorization_endpoint")  # fail before binding a port
    check_pkce_methods(settings, deps, endpoints, listed=choices.pkce_listed)  # before any browser opens

    if method == "manual":
        return paste_login(settings, deps, choices, endpoints, issuer, iss_required)

    target, fallbacks = targets(settings)
    listener = LoopbackListener(target, fallback_ports=fallbacks, implicit=in_fragment, form_post=form_post,
                                warn=lambda m: warn(deps, m))
    try:
        listener.start()
    except ConfigError as exc:
        raise busy_port(exc, settings, target, fallbacks) from None
    with listener:
        request = build_signed(settings, deps, endpoints, listener.redirect_uri)
        listener.check = CallbackCheck(target.path, request.state, settings.response_type, issuer, iss_required)
        if jarm:
            from oauth2cli.flows.authorize.jarm import unwrapper

            listener.unwrap = unwrapper(settings, deps, endpoints, request.state, issuer)
        url = url_to_open(settings, deps, endpoints, request)
        paste = method == "ssh"
        show_url(deps, url, choices, listener.redirect_uri, ssh=paste)
        if paste:
            read_pasted(deps, listener.check, listener.redirect_uri, listener.offer, keep_listening=True,
                        unwrap=listener.unwrap)
        elif choices.open_browser:
            from oauth2cli.transport.browser import open_in_background

            # The listener already serves: a $BROWSER that blocks until it exits cannot deadlock us.
            open_in_background(deps.browser, url, lambda: warn(deps, "could not start a browser; open the URL above yourself"))
        try:
            response = listener.wait(choices.browser_timeout, deps.clock)
        except TimeoutError:
            raise timeout_error(choices, listener.ignored) from None
        except OAuth2CliError as exc:
            listener.respond(*error_page(exc))
            raise
        try:
            tokens, claims = finish(settings, deps, endpoints, request, response, listener.redirect_uri)
        except OAuth2CliError as exc:
            listener.respond(*error_page(exc))
            raise
        except BaseException:
            from oauth2cli.transport import pages

            listener.respond(500, pages.error_page("interrupted", "The oauth2 command stopped before finishing."))
            raise
        from oauth2cli.transport import pages

        listener.respond(200, pages.success_page(who_text(claims)))
    return tokens, claims


def check_pkce_methods(settings: ClientSettings, deps: Deps, endpoints: Endpoints, *, listed: bool) -> None:
    """The login's PKCE method against the server's metadata (pkce_refusal), before any browser opens."""
    meta = endpoints.metadata if settings.issuer else None
    if settings.pkce == "none" or meta is None:
        return
    refusal = pkce_refusal(meta, settings.pkce, listed=listed)
    if refusal and refusal.startswith("note: "):
        warn(deps, refusal[6:])
    elif refusal:
        raise ConfigError(refusal)


def pkce_refusal(meta, pkce: str, *, listed: bool) -> str | None:
    """RFC 7636 §4.2 and RFC 8414 §2: a server whose code_challenge_methods_supported lacks `pkce` is
    refused; a missing list is refused when `listed` (MCP: a client MUST), else a "note: "."""
    methods = meta.document.get("code_challenge_methods_supported")
    where = f"the server at {printable(meta.issuer, 200)}"
    if isinstance(methods, list):
        if pkce in methods:
            return None
        shown = ", ".join(printable(m, 20) for m in methods if isinstance(m, str)) or "nothing"
        return (f"{where} lists code_challenge_methods_supported {shown}, without PKCE {pkce}: "
                "the code could be stolen on its way back (RFC 7636); not logging in there")
    if listed:
        return (f"{where} announces no code_challenge_methods_supported: the MCP authorization "
                "specification forbids a login without PKCE S256 support; not logging in there")
    return f"note: {where} announces no code_challenge_methods_supported; sending PKCE {pkce} anyway"


def busy_port(exc: ConfigError, settings: ClientSettings, target: RedirectTarget, fallbacks: tuple[int, ...]) -> ConfigError:
    """A registered redirect URI's port is taken: say how to register the client again on another."""
    if not (settings.profile and settings.registration and target.port and not fallbacks):
        return exc
    return ConfigError(exc.message, hint=f"stop whatever holds it, or register the client again on a free port: "
                                         f"`oauth2 profile remove {settings.profile}`, then the same "
                                         f"`oauth2 profile add --register` or `oauth2 login --resource URL`")


def timeout_error(choices: LoginChoices, ignored: list[tuple[int, str]] | None = None) -> LoginRequired:
    text = f"no answer from the browser within {choices.browser_timeout:g} s"
    # A callback turned away for its state may still carry the server's (unverified) reason.
    said = [reason for _status, reason in (ignored or ()) if "the server (unverified) said" in reason]
    if said:
        text += f" (a callback was turned away: {said[-1]})"
    from oauth2cli.core.advice import hint

    return LoginRequired(text, hint=f"{hint('browser-never-returned')}; run the login again, or wait longer "
                                    "with --browser-timeout SECONDS")


def error_page(exc: OAuth2CliError) -> tuple[int, str]:
    from oauth2cli.transport import pages

    error = getattr(exc, "error", None)
    if error:
        return 200, pages.error_page(error, getattr(exc, "error_description", None), getattr(exc, "error_uri", None))
    return 400, pages.error_page("sign-in not completed", exc.message)


def show_url(deps: Deps, url: str, choices: LoginChoices, redirect_uri: str | None, *, ssh: bool) -> None:
    if ssh and redirect_uri:
        port = urlsplit(redirect_uri).port
        say(deps, "You are on a remote machine. Either forward the redirect port from the machine with the browser:")
        say(deps, f"  ssh -L {port}:127.0.0.1:{port} <this host>")
        say(deps, "and open the URL below there, or open it anywhere and paste the address you end up at.")
    say(deps, "Open this URL in a browser to sign in:" if (ssh or not choices.open_browser)
        else "Opening the browser to sign in; if it does not open, visit:")
    say(deps, f"  {url}")
    say(deps, f"Waiting up to {duration(choices.browser_timeout)} for the sign-in (Ctrl-C to cancel)...")


def finish(settings: ClientSettings, deps: Deps, endpoints: Endpoints, request: AuthorizationRequest,
            response: AuthorizationResponse, redirect_uri: str) -> tuple[TokenSet, dict[str, Any] | None]:
    if request.response_type == "token":
        data = fragment_token_response(response)
        tokens = token_set_from_json(data, deps.clock(), endpoint="authorization server")
        return tokens, None
    from oauth2cli.flows.authorize import hybrid
    from oauth2cli.flows.exchange import token as token_flow

    # OIDC Core §3.3.2.12: a hybrid response's id_token is verified before the code is used
    front = hybrid.check_front_channel(settings, deps, endpoints, request, response) if request.response_type != "code" else None
    tokens = token_flow.authorization_code(settings, deps, response.code or "", redirect_uri, request.code_verifier,
                                           endpoints=endpoints)
    claims = check_tokens(settings, deps, tokens, request.nonce, endpoints, code=response.code)
    hybrid.same_user(front, claims)
    return tokens, claims


def paste_login(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints,
            issuer: str | None, iss_required: bool) -> tuple[TokenSet, dict[str, Any] | None]:
    # Any redirect URI the client has registered works here: nothing listens, the person copies
    # the address the browser ends at (RFC 8252 §7.3's loopback URI by default).
    redirect_uri = settings.redirect_uri or "http://127.0.0.1/callback"
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"the redirect URI {redirect_uri!r} is not an absolute http(s) URI")
    if settings.response_mode in ("form_post", "form_post.jwt"):
        raise ConfigError(f"response_mode {settings.response_mode} needs the loopback listener, not --manual",
                          hint="leave out --manual (over SSH, forward the redirect port)")
    request = build_signed(settings, deps, endpoints, redirect_uri)
    check = CallbackCheck(parts.path or "/", request.state, settings.response_type, issuer, iss_required)
    url = url_to_open(settings, deps, endpoints, request)
    say(deps, "Open this URL in a browser to sign in:")
    say(deps, f"  {url}")
    from oauth2cli.transport.browser import browser_available, open_in_background

    if choices.open_browser and browser_available(deps.environ):

        open_in_background(deps.browser, url, lambda: None)
    unwrap = None
    if settings.response_mode and settings.response_mode.endswith("jwt"):
        from oauth2cli.flows.authorize.jarm import unwrapper

        unwrap = unwrapper(settings, deps, endpoints, request.state, issuer)
    pasted = Pasted()
    read_pasted(deps, check, redirect_uri, pasted.offer, keep_listening=False, unwrap=unwrap)
    deadline = deps.clock() + choices.browser_timeout
    while True:
        try:
            outcome = pasted.results.get(timeout=0.25)
            break
        except queue.Empty:
            if deps.clock() >= deadline:
                raise timeout_error(choices) from None
    if isinstance(outcome, BaseException):
        raise outcome
    return finish(settings, deps, endpoints, request, outcome, redirect_uri)

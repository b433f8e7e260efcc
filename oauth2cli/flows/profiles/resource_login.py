"""Zero set-up for a protected resource, an MCP server among them (RFC 9728 → RFC 8414 → a client
→ a browser login with PKCE S256 and RFC 8707 `resource`).

`oauth2 call URL` after its tokenless request got a 401, and `oauth2 login --resource URL`: the
resource names its authorization server; the first one is discovered and must list PKCE S256;
a client is chosen (flows/profiles/client_choice: given, a Client ID Metadata Document, or RFC
7591 with the exact loopback redirect URI); one block on stderr says what will happen, and an
authorization server on another origin is confirmed through the caller's `confirm` callback
(or --yes). The login runs with the settings in memory; only when it succeeded is a profile
saved, named after the resource's host, with `urls` = the resource, never the default unless
asked. No click and no terminal here: `ZeroSetup` carries what the caller can do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, LoginRequired, printable
from oauth2cli.flows.login.login_common import LoginChoices
from oauth2cli.flows.profiles import resource as resource_flow
from oauth2cli.flows.profiles.client_choice import login_command
from oauth2cli.flows.origins import profile_urls, within

if TYPE_CHECKING:
    from oauth2cli.core.http import HttpResponse
    from oauth2cli.core.resource_metadata import ResourceMetadata
    from oauth2cli.deps import Deps


def profile_of(deps: Deps, resource: str) -> str | None:
    """The profile whose urls already cover this resource."""
    for name, values in deps.store.config.profiles.items():
        if any(within(resource, base) for base in profile_urls(values)):
            return name
    return None


def profile_name(deps: Deps, url: str) -> str:
    """Named after the host; the port, then a number, when that name is taken."""
    parts = urlsplit(url)
    host = (parts.hostname or "resource").strip("[]").replace(":", "-")
    candidates = [host]
    if parts.port:
        candidates.append(f"{host}-{parts.port}")
    candidates += [f"{candidates[-1]}-{n}" for n in range(2, 100)]
    for name in candidates:
        if not deps.store.has_profile(name):
            return name
    raise ConfigError(f"too many profiles named after {host}")


@dataclass(frozen=True)
class ZeroSetup:
    """What a zero-setup run may do. `confirm(resource, server)` asks the person whether that
    authorization server may log in for that resource (None: nobody can answer); `challenge` is the 401's WWW-Authenticate values. `oauth2 call`, `login --resource`
    and the stdio bridge each pass their own."""

    options: Mapping[str, Any] = field(default_factory=dict)  # client_id, scope, redirect_uri, timeout, ...
    confirm: Callable[[str, str], bool] | None = None  # (resource, authorization server): trusted?
    yes: bool = False  # --yes: another origin's authorization server is trusted without asking
    make_default: bool = False  # --default
    always_login: bool = False
    login: LoginChoices = field(default_factory=LoginChoices)
    challenge: tuple[str, ...] = ()
    person: bool = True  # False: no person can log in (no terminal, CI)
    why_not: str = ""


def _scope(options: Mapping[str, Any], challenged: str | None, meta: ResourceMetadata, server_scopes: object) -> str | None:
    """--scope, else the 401 challenge's scope (RFC 6750 §3, MCP), else the resource's scopes_supported."""
    if options.get("scope"):
        return options["scope"]
    scopes = (challenged or "").split() or list(meta.scopes)
    if isinstance(server_scopes, list) and "openid" in server_scopes and "openid" not in scopes:
        scopes.insert(0, "openid")  # who logged in, from a validated id_token
    return " ".join(scopes) or None


def _http(deps: Deps, options: Mapping[str, Any]):
    from oauth2cli.transport.options import TransportOptions

    return deps.http(TransportOptions(timeout=float(options.get("timeout") or 30.0), cacert=options.get("cacert"),
                                      insecure=bool(options.get("insecure")), allow_http=bool(options.get("allow_http"))))


def set_up(url: str, deps: Deps, run: ZeroSetup, *, probe: HttpResponse | None = None) -> str:
    """Find or make the profile for the resource at `url`, logged in; returns its name.

    `probe` is the 401 the resource answered (its challenge may name the metadata). A profile that
    exists already is used as it is, or logged in again with `always_login`. A new one is saved
    only once its login succeeded, and is the default only with `make_default`.
    """
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.core.step_up import challenge_scope
    from oauth2cli.flows.discovery import discover
    from oauth2cli.flows.profiles import client_choice
    from oauth2cli.flows.profiles.registration import redirect_uri_to_register

    options = run.options
    http = _http(deps, options)
    meta = resource_flow.find(url, http, probe)
    known = profile_of(deps, meta.resource)
    if known is not None:
        if run.always_login:
            log_in(known, deps, run.login)
        return known
    issuer = meta.authorization_servers[0]
    if not run.person:
        raise LoginRequired(f"{printable(meta.resource, 200)} wants a login at {printable(issuer, 200)}, and {run.why_not}",
                            hint=f"run `{login_command(url)}` at a terminal first")
    server = discover(normalize_issuer(issuer), http)
    from oauth2cli.flows.login.login_browser import pkce_refusal

    refusal = pkce_refusal(server, "S256", listed=True)  # before anything is registered or opened
    if refusal:
        raise ConfigError(refusal)
    scope = _scope(options, challenge_scope(run.challenge), meta, server.document.get("scopes_supported"))
    plan = client_choice.choose(server, options, deps.environ, http, redirect_uri_to_register, url)
    for line in client_choice.notice(meta.resource, server.issuer, plan, scope):
        deps.stderr.write(line + "\n")
    deps.stderr.flush()
    if client_choice.origin(server.issuer) != client_choice.origin(meta.resource) and not run.yes:
        if run.confirm is None:
            raise LoginRequired(f"the authorization server {printable(server.issuer, 200)} is on another origin than "
                                f"{printable(meta.resource, 200)}, and nobody here can confirm it",
                                hint="run it at a terminal, or give --yes if you trust that server")
        if not run.confirm(meta.resource, server.issuer):
            raise LoginRequired("not confirmed: nothing was registered or saved",
                                hint="give --yes to trust that server without asking")
    values = {k: v for k, v in options.items() if v not in (None, (), "") and k not in ("client_id", "redirect_port")}
    values.update(issuer=server.issuer, scope=scope, resource=(meta.resource,), url=(meta.resource,),
                  redirect_uri=plan.redirect_uri)
    registration = None
    if plan.kind == "register":
        from oauth2cli.flows.profiles.registration import RegisterChoices, profile_values, register

        registration = register(server, http, RegisterChoices(client_name="oauth2cli", redirect_uri=plan.redirect_uri),
                                deps.environ)
        values.update(profile_values(registration))
        deps.stderr.write(f"oauth2: registered client {registration.client.client_id!r} at {server.issuer} (RFC 7591)\n")
    else:
        values["client_id"] = plan.client_id
        if plan.kind == "document":
            values["auth_method"] = "none"  # draft §4.1: a document's client has no shared secret
    name = profile_name(deps, meta.resource)
    _login_then_save(name, values, deps, run, registration, http)
    return name


def _login_then_save(name: str, values: dict[str, Any], deps: Deps, run: ZeroSetup, registration, http) -> None:
    """The login first, with the settings in memory; the profile, its secrets and tokens after it succeeded."""
    from dataclasses import replace

    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.login import login as login_flow
    from oauth2cli.flows.profiles.profiles import add_profile
    from oauth2cli.flows.profiles.registration import store_secrets, undo

    try:
        settings = settings_flow.resolve(values, deps, None)
        result = login_flow.login(settings, deps, replace(run.login, pkce_listed=True))
    except BaseException:
        if registration is not None:
            undo(registration, http)  # RFC 7592: best effort, nothing half-made stays at the server
        raise
    add_profile(name, values, deps, make_default=run.make_default)
    if registration is not None:
        store_secrets(name, registration, deps)
    with deps.store.lock(name):
        deps.store.save_tokens(name, result.tokens)
    say = deps.stderr.write
    say(f"oauth2: saved profile {name!r} for {printable(values['url'][0], 200)} in {deps.store.config_path}\n")
    say(login_flow.summary(result, name, deps.clock(), saved=True) + "\n")
    deps.stderr.flush()


def log_in(name: str, deps: Deps, choices: LoginChoices | None = None) -> None:
    from oauth2cli.flows.login import login as login_flow
    from oauth2cli.flows import settings as settings_flow

    settings = settings_flow.resolve({}, deps, name)
    result = login_flow.login(settings, deps, choices or login_flow.LoginChoices())
    with deps.store.lock(name):
        deps.store.save_tokens(name, result.tokens)
    deps.stderr.write(login_flow.summary(result, name, deps.clock(), saved=True) + "\n")
    deps.stderr.flush()


def challenge_of(response, url: str) -> tuple[HttpResponse, tuple[str, ...]]:
    """A resource's 401 (an open streaming response) as what `after_401` reads: its status and
    WWW-Authenticate challenges, and the challenges alone."""
    from oauth2cli.core.http import HttpResponse

    challenge = tuple(response.headers.get_list("www-authenticate"))
    return HttpResponse(response.status_code, tuple(("WWW-Authenticate", v) for v in challenge), b"", url=url), challenge


def after_401(url: str, response, deps: Deps, run: ZeroSetup) -> str | None:
    """The zero-setup entry after a tokenless request's 401 (`response`: status, headers as pairs):
    the logged-in profile's name, or None when the resource names no metadata and has none."""
    from oauth2cli.core.errors import ProtocolError

    named = resource_flow.challenge_metadata_url(response)
    try:
        return set_up(url, deps, run, probe=response)
    except ProtocolError as exc:
        if named is None and "publishes no protected resource metadata" in exc.message:
            return None
        raise

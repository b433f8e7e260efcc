"""Zero set-up for a protected resource (RFC 9728 → RFC 8414 → RFC 7591 → login with RFC 8707).

`oauth2 call URL` with no profile for URL, and `oauth2 login --resource URL`: the resource names
its authorization server; the first one is discovered, a client is registered there (unless a
client id was given), the person logs in through the browser with PKCE and `resource=`, and a
profile named after the resource's host keeps it all, with `urls` = the resource, so the next
run finds it without asking anything. No click here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, LoginRequired, printable
from oauth2cli.flows.profiles import resource as resource_flow
from oauth2cli.flows.origins import profile_urls, within

if TYPE_CHECKING:
    from oauth2cli.core.http import HttpResponse
    from oauth2cli.core.resource_metadata import ResourceMetadata
    from oauth2cli.deps import Deps


def interactive(deps: Deps, *, need_terminal: bool = True) -> bool:
    """A person can answer: a terminal on stdin (for `call`), and not a CI job."""
    if deps.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    return not need_terminal or bool(getattr(deps.stdin, "isatty", lambda: False)())


def login_command(url: str) -> str:
    import shlex

    return f"oauth2 login --resource {shlex.quote(url)}"


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


def _scope(options: Mapping[str, Any], meta: ResourceMetadata, server_scopes: object) -> str | None:
    if options.get("scope"):
        return options["scope"]
    scopes = list(meta.scopes)
    if isinstance(server_scopes, list) and "openid" in server_scopes and "openid" not in scopes:
        scopes.insert(0, "openid")  # who logged in, from a validated id_token
    return " ".join(scopes) or None


def set_up(url: str, deps: Deps, options: Mapping[str, Any], *, probe: HttpResponse | None = None,
           need_terminal: bool = True, always_login: bool = False) -> str:
    """Find or make the profile for the resource at `url`, logged in; returns its name.

    `probe` is a 401 the resource answered already (its challenge may name the metadata). A
    profile that exists already is used as it is, or logged in again with `always_login`.
    """
    from oauth2cli.flows.discovery import discover
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.transport.options import TransportOptions

    http = deps.http(TransportOptions(timeout=float(options.get("timeout") or 30.0), cacert=options.get("cacert"),
                                      insecure=bool(options.get("insecure")), allow_http=bool(options.get("allow_http"))))
    meta = resource_flow.find(url, http, probe)
    known = profile_of(deps, meta.resource)
    if known is not None:
        if always_login:
            log_in(known, deps)
        return known
    issuer = meta.authorization_servers[0]
    if not interactive(deps, need_terminal=need_terminal):
        why = "this run has no terminal" if deps.environ.get("CI", "").lower() in ("", "0", "false") else "CI is set"
        raise LoginRequired(f"{printable(meta.resource, 200)} wants a login at {printable(issuer, 200)}, and {why}",
                            hint=f"run `{login_command(url)}` at a terminal first")
    server = discover(normalize_issuer(issuer), http)
    name = profile_name(deps, meta.resource)
    values = {k: v for k, v in options.items() if v not in (None, (), "")}
    values.update(issuer=server.issuer, scope=_scope(options, meta, server.document.get("scopes_supported")),
                  resource=(meta.resource,), url=(meta.resource,))
    say = deps.stderr.write
    say(f"oauth2: {printable(meta.resource, 200)} is protected by {printable(server.issuer, 200)} (RFC 9728)\n")
    if values.get("client_id"):
        from oauth2cli.flows.profiles.profiles import add_profile

        add_profile(name, values, deps)
    else:
        from oauth2cli.flows.profiles.registration import RegisterChoices, add_registered_profile

        try:
            _, registration = add_registered_profile(name, values, deps, RegisterChoices(client_name="oauth2cli"))
        except ConfigError as exc:
            if "registration_endpoint" not in exc.message:
                raise
            raise ConfigError(exc.message, hint=f"register a client there by hand and run "
                                                f"`{login_command(url)} --client-id ID`") from None
        say(f"oauth2: registered client {registration.client.client_id!r} at {server.issuer} (RFC 7591)\n")
    say(f"oauth2: saved profile {name!r} for {printable(meta.resource, 200)} in {deps.store.config_path}\n")
    deps.stderr.flush()
    log_in(name, deps)
    return name


def log_in(name: str, deps: Deps) -> None:
    from oauth2cli.flows.login import login as login_flow
    from oauth2cli.flows import settings as settings_flow

    settings = settings_flow.resolve({}, deps, name)
    result = login_flow.login(settings, deps, login_flow.LoginChoices())
    with deps.store.lock(name):
        deps.store.save_tokens(name, result.tokens)
    deps.stderr.write(login_flow.summary(result, name, deps.clock(), saved=True) + "\n")
    deps.stderr.flush()


def probe(url: str, deps: Deps, options: Mapping[str, Any]):
    """The resource's answer to a request without a token (GET): a 401 may name its metadata."""
    from oauth2cli.core.http import HttpRequest
    from oauth2cli.transport.options import TransportOptions

    http = deps.http(TransportOptions(timeout=float(options.get("timeout") or 30.0), cacert=options.get("cacert"),
                                      insecure=bool(options.get("insecure")), allow_http=bool(options.get("allow_http"))))
    return http.send(HttpRequest("GET", url, headers=(("Accept", "application/json, */*;q=0.5"),)), max_bytes=65536)


def unclaimed(deps: Deps, url: str) -> bool:
    """No profile's urls cover `url` and there is no default profile to fall back on."""
    return profile_of(deps, url) is None and deps.store.default_profile is None


def for_call(url: str, deps: Deps) -> str | None:
    """`oauth2 call URL` with no profile for URL: a tokenless probe; on a 401, RFC 9728 set-up.

    None when the resource does not say where to log in (the caller then reports "no profile").
    """
    from oauth2cli.core.errors import ProtocolError

    response = probe(url, deps, {})
    if response.status != 401:
        return None
    named = resource_flow.challenge_metadata_url(response)
    try:
        return set_up(url, deps, {}, probe=response)
    except ProtocolError as exc:
        if named is None and "publishes no protected resource metadata" in exc.message:
            return None
        raise


def default_profile_hint(deps: Deps, url: str, profile: str, challenges: list[str]) -> None:
    """The default profile's token was refused by a resource that names its own server: say how to set it up."""
    from oauth2cli.core import www_authenticate
    from oauth2cli.core.resource_metadata import metadata_url_from_challenges

    if profile_of(deps, url) is not None or not metadata_url_from_challenges(www_authenticate.parse_all(challenges)):
        return
    deps.stderr.write(f"oauth2: hint: {printable(url, 200)} names its own authorization server (RFC 9728) and refused "
                      f"the token of the default profile {profile!r}; `{login_command(url)}` sets up a profile for it\n")
    deps.stderr.flush()

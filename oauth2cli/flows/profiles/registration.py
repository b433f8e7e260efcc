"""Clients that register themselves (RFC 7591) and go away with their profile (RFC 7592); no click.

`register` sends the registration request to the server's `registration_endpoint` and keeps
the answer: the client id and the non-secret facts in the profile (`client_id`, `auth_method`,
the `registration` table), the client secret, the registration access token and a generated
private key in the secret store.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oauth2cli.core import registration as core
from oauth2cli.core.errors import ConfigError, OAuth2CliError, printable

if TYPE_CHECKING:
    from oauth2cli.core.metadata import ServerMetadata
    from oauth2cli.deps import Deps
    from oauth2cli.transport.http import HttpClient

SIGNING_ALG = "ES256"  # the key generated for a private_key_jwt client: P-256


@dataclass(frozen=True)
class RegisterChoices:
    auth_method: str | None = None  # None: a public client (token_endpoint_auth_method none)
    client_name: str | None = None
    initial_access_token_env: str | None = None  # RFC 7591 §3: the variable that holds it
    scope: str | None = None
    redirect_uri: str | None = None  # the one loopback URI the logins will use, port included
    grant_types: tuple[str, ...] = core.DEFAULT_GRANTS


@dataclass(frozen=True)
class Registration:
    client: core.RegisteredClient
    private_key: str | None  # the private JWK (JSON) of a private_key_jwt client


def initial_access_token(choices: RegisterChoices, environ: Mapping[str, str]) -> str | None:
    var = choices.initial_access_token_env
    if not var:
        return None
    value = environ.get(var)
    if not value:
        raise ConfigError(f"--registration-token-env names {var}, which is not set or is empty")
    return value


def _key_pair() -> tuple[str, dict[str, Any]]:
    from joserfc.jwk import ECKey

    key = ECKey.generate_key("P-256", private=True)
    kid = key.thumbprint()  # RFC 7638: a kid the server and we agree on without a registry
    private = {**key.as_dict(private=True), "kid": kid, "alg": SIGNING_ALG, "use": "sig"}
    public = {**key.as_dict(private=False), "kid": kid, "alg": SIGNING_ALG, "use": "sig"}
    return json.dumps(private, separators=(",", ":")), {"keys": [public]}


def register(metadata: ServerMetadata, http: HttpClient, choices: RegisterChoices,
             environ: Mapping[str, str]) -> Registration:
    """Register a client at the server described by `metadata`; nothing is stored here."""
    endpoint = metadata.endpoint("registration_endpoint")
    if not endpoint:
        raise ConfigError(f"the server at {metadata.issuer} announces no registration_endpoint (RFC 7591)",
                          hint="register a client by hand and give --client-id")
    method = choices.auth_method or core.PUBLIC
    if method not in core.AUTH_METHODS:
        raise ConfigError(f"--register cannot make a {method} client",
                          hint="choose --auth-method " + ", ".join(core.AUTH_METHODS))
    private_key, jwks = (None, None)
    if method == core.KEY_METHOD:
        private_key, jwks = _key_pair()
    redirects = (choices.redirect_uri,) if choices.redirect_uri and "authorization_code" in choices.grant_types else ()
    sent = core.ClientMetadata(
        auth_method=method, client_name=choices.client_name or "oauth2cli", scope=choices.scope, jwks=jwks,
        signing_alg=SIGNING_ALG if method == core.KEY_METHOD else ("HS256" if method == "client_secret_jwt" else None),
        redirect_uris=redirects, grant_types=choices.grant_types,
    )
    token = initial_access_token(choices, environ)
    response = http.send(core.registration_request(endpoint, sent, token))
    return Registration(core.parse_registration_response(response, sent), private_key)


def redirect_uri_to_register(options: Mapping[str, Any]) -> str:
    """The loopback redirect URI a new client registers and every later login uses: --redirect-uri
    as given (a port-less one gets --redirect-port or a free port), else 127.0.0.1 on the first
    --redirect-port or on a port free now."""
    from oauth2cli.core.authorization import parse_redirect_uri
    from oauth2cli.transport.listener import free_port

    given = options.get("redirect_uri")
    ports = [p for p in options.get("redirect_port") or () if p]
    target = parse_redirect_uri(given)  # a URI the listener cannot serve is refused before registering
    if target.port:
        return given
    return target.uri(ports[0] if ports else free_port(target.bind_address))


def grants_to_register(options: Mapping[str, Any]) -> tuple[str, ...]:
    """The grant types the profile will use (its --grant; a browser login when none)."""
    from oauth2cli.core import grants

    grant = grants.find(options.get("grant"))
    if grant is None:
        return core.DEFAULT_GRANTS
    return core.grant_types_for(grant.value, grant.person)


def profile_values(registration: Registration) -> dict[str, Any]:
    """What goes into config.toml for a registered client (nothing secret)."""
    client = registration.client
    values: dict[str, Any] = {"client_id": client.client_id, "registration": client.record()}
    method = client.metadata.get("token_endpoint_auth_method")
    if isinstance(method, str) and method != "client_secret_basic":
        values["auth_method"] = method
    return values


def store_secrets(name: str, registration: Registration, deps: Deps) -> None:
    secrets = deps.store.secrets
    client = registration.client
    if client.client_secret:
        secrets.set(name, "client_secret", client.client_secret)
    if client.registration_access_token:
        secrets.set(name, "registration_access_token", client.registration_access_token)
    if registration.private_key:
        secrets.set(name, "private_key", registration.private_key)


def undo(registration: Registration, http: HttpClient) -> None:
    """Best effort: delete a registration whose profile could not be saved."""
    client = registration.client
    if client.registration_client_uri and client.registration_access_token:
        try:
            http.send(core.deregistration_request(client.registration_client_uri, client.registration_access_token))
        except OAuth2CliError:
            pass


def deregister(name: str, deps: Deps) -> str | None:
    """RFC 7592 §2.3 for profile NAME; returns what to tell the person, None when it was not registered."""
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.discovery import transport_options

    raw = deps.store.profile(name)
    record = raw.get("registration")
    if not isinstance(record, dict):
        return None
    uri = record.get("registration_client_uri")
    token = deps.store.secrets.get(name, "registration_access_token")
    if not isinstance(uri, str) or not uri or not token:
        return ("the server gave no registration_client_uri or registration access token; "
                "the client stays registered there")
    settings = settings_flow.resolve({}, deps, name)
    http = deps.http(transport_options(settings))
    gone = core.parse_deregistration_response(http.send(core.deregistration_request(uri, token)))
    if gone:
        return f"de-registered client {printable(raw.get('client_id'), 100)!r} at the server (RFC 7592)"
    return f"the server no longer knew client {printable(raw.get('client_id'), 100)!r}"


def add_registered_profile(name: str, options: Mapping[str, Any], deps: Deps, choices: RegisterChoices,
                           *, make_default: bool = True) -> tuple[dict[str, Any], Registration]:
    """`profile add NAME --issuer URL --register`: register first, then save the profile and its secrets.

    A profile that cannot be saved takes its fresh registration with it (best effort), so the
    server is not left with a client nobody knows.
    """
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.flows.discovery import discover
    from oauth2cli.flows.profiles.profiles import add_profile
    from oauth2cli.store.config import check_name
    from oauth2cli.transport.options import TransportOptions

    check_name(name)
    if deps.store.has_profile(name):
        raise ConfigError(f"profile {name!r} exists already", hint="remove it first, or pick another name")
    if options.get("client_id"):
        raise ConfigError("--register gets a client id from the server; leave out --client-id (or OAUTH2_CLIENT_ID)")
    if not options.get("issuer"):
        raise ConfigError("--register needs --issuer: the server's metadata names its registration_endpoint")
    http = deps.http(TransportOptions(timeout=float(options.get("timeout") or 30.0), cacert=options.get("cacert"),
                                      insecure=bool(options.get("insecure")), allow_http=bool(options.get("allow_http"))))
    metadata = discover(normalize_issuer(options["issuer"]), http)
    grant_types = grants_to_register(options)
    redirect_uri = redirect_uri_to_register(options) if "authorization_code" in grant_types else None
    choices = dataclasses.replace(choices, redirect_uri=redirect_uri, grant_types=grant_types)
    registration = register(metadata, http, choices, deps.environ)
    values = profile_values(registration)
    if redirect_uri:  # the one the server knows: every later login listens there
        values.update(redirect_uri=redirect_uri, redirect_port=())
    try:
        stored = add_profile(name, {**options, **values}, deps, make_default=make_default)
        store_secrets(name, registration, deps)
    except BaseException:
        undo(registration, http)
        if deps.store.has_profile(name):
            deps.store.remove_profile(name)
        raise
    return stored, registration


def registration_lines(record: Mapping[str, Any], now: float) -> list[str]:
    """`profile show`: when the client was registered, and when (or whether) its secret expires."""
    import time as _time

    def when(seconds: float) -> str:
        return _time.strftime("%Y-%m-%d %H:%M:%S UTC", _time.gmtime(seconds))

    lines = []
    issued = record.get("client_id_issued_at")
    if isinstance(issued, (int, float)) and not isinstance(issued, bool):
        lines.append(f"client registered at {when(issued)}")
    expires = record.get("client_secret_expires_at")
    if isinstance(expires, (int, float)) and not isinstance(expires, bool):
        if expires == 0:
            lines.append("client secret never expires")
        elif core.secret_expired(expires, now):
            lines.append(f"client secret EXPIRED at {when(expires)}: register again "
                         "(`oauth2 profile remove NAME` then `oauth2 profile add NAME --register ...`)")
        else:
            lines.append(f"client secret expires at {when(expires)}")
    if record.get("registration_client_uri"):
        lines.append(f"registration managed at {printable(record['registration_client_uri'], 300)} (RFC 7592)")
    return lines

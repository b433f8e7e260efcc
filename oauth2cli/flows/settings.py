"""Merging flags, environment and (later) the profile into the ClientSettings of one run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.metadata import normalize_issuer
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

ENDPOINT_OPTIONS = {
    "token_url": "token_endpoint",
    "authorization_url": "authorization_endpoint",
    "device_authorization_url": "device_authorization_endpoint",
    "revocation_url": "revocation_endpoint",
    "introspection_url": "introspection_endpoint",
    "userinfo_url": "userinfo_endpoint",
    "jwks_url": "jwks_uri",
}
SECRET_ENV = "OAUTH2_CLIENT_SECRET"


def read_secret_file(path: str, what: str = "client secret") -> str:
    try:
        with open(path, encoding="utf-8") as f:
            value = f.read().rstrip("\r\n")
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the {what} file {path} is not UTF-8 text") from None
    if not value:
        raise ConfigError(f"the {what} file {path} is empty")
    return value


def client_secret(options: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """The secret from --client-secret-file, --client-secret-env VAR, or OAUTH2_CLIENT_SECRET."""
    if options.get("client_secret_file"):
        return read_secret_file(options["client_secret_file"])
    var = options.get("client_secret_env")
    if var:
        value = environ.get(var)
        if not value:
            raise ConfigError(f"--client-secret-env names {var}, which is not set or is empty")
        return value
    return environ.get(SECRET_ENV) or None


def resolve(options: Mapping[str, Any], deps: Deps, profile: str | None = None) -> ClientSettings:
    """ClientSettings from the shared options of a command (see cli/options.py), over the profile's."""
    environ = deps.environ
    if profile:
        from oauth2cli.core.errors import NotImplementedYet

        raise NotImplementedYet("profiles (`oauth2 profile add`)")
    client_id = options.get("client_id")
    if not client_id:
        raise ConfigError("no client id: give --client-id or set OAUTH2_CLIENT_ID")
    issuer = options.get("issuer")
    endpoints = {meta: options[flag] for flag, meta in ENDPOINT_OPTIONS.items() if options.get(flag)}
    return ClientSettings(
        client=ClientCredentials(
            client_id=client_id,
            client_secret=client_secret(options, environ),
            auth_method=options.get("auth_method"),
        ),
        profile=profile,
        issuer=normalize_issuer(issuer) if issuer else None,
        endpoints=endpoints,
        scope=options.get("scope") or None,
        audience=options.get("audience") or None,
        resources=tuple(options.get("resource") or ()),
        params=tuple(options.get("params") or ()),
        private_key=options.get("private_key"),
        key_id=options.get("key_id"),
        timeout=float(options.get("timeout") or 30.0),
        cacert=options.get("cacert"),
        insecure=bool(options.get("insecure")),
        cert=options.get("cert"),
        key=options.get("key"),
    )

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


# Option names (as click passes them) that differ from the ClientSettings field they fill.
RENAMED = {"resource": "resources", "redirect_port": "redirect_ports", "compliance_fix": "compliance_fixes",
           "auth_param": "auth_params", "url": "urls", "par": "use_par"}
TUPLES = {"resources", "params", "auth_params", "redirect_ports", "compliance_fixes", "urls"}
CLIENT_FIELDS = {"client_id", "auth_method", "basic_raw"}


def settings_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """The ClientSettings fields that these options set (None and empty mean "not given")."""
    from dataclasses import fields

    known = {f.name for f in fields(ClientSettings)} | CLIENT_FIELDS
    values: dict[str, Any] = {}
    for name, value in options.items():
        name = RENAMED.get(name, name)
        if name not in known or value is None or value == () or value == []:
            continue
        values[name] = tuple(value) if name in TUPLES else value
    endpoints = {meta: options[flag] for flag, meta in ENDPOINT_OPTIONS.items() if options.get(flag)}
    if endpoints:
        values["endpoints"] = endpoints
    return values


def resolve(options: Mapping[str, Any], deps: Deps, profile: str | None = None) -> ClientSettings:
    """ClientSettings from a command's options (see cli/options.py), over the profile's.

    Precedence: flag (or its OAUTH2_* variable) > profile > default.
    """
    values: dict[str, Any] = {}
    if profile:
        # FIRST VERSION: the profile's keys are ClientSettings field names; issue #5 adds
        # presets, OAUTH2_* layering rules, validation and the stored client secret.
        stored = dict(deps.store.profile(profile))
        values.update(settings_values(stored))
        if "endpoints" in stored and isinstance(stored["endpoints"], dict):
            values["endpoints"] = dict(stored["endpoints"])
    flags = settings_values(options)
    if "endpoints" in flags:
        values["endpoints"] = {**values.get("endpoints", {}), **flags.pop("endpoints")}
    values.update(flags)
    client_id = values.pop("client_id", None)
    if not client_id:
        raise ConfigError("no client id: give --client-id or set OAUTH2_CLIENT_ID")
    client = ClientCredentials(
        client_id=client_id,
        client_secret=client_secret(options, deps.environ)
        or (deps.store.secrets.get(profile, "client_secret") if profile else None),
        auth_method=values.pop("auth_method", None),
        basic_raw=bool(values.pop("basic_raw", False)),
    )
    if values.get("issuer"):
        values["issuer"] = normalize_issuer(values["issuer"])
    return ClientSettings(client=client, profile=profile, **values)

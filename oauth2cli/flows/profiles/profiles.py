"""Profile management: adding (with discovery) and changing one key; no click. What `profile show`
prints is flows/profiles/describe.py."""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError, NetworkError, OAuth2CliError
from oauth2cli.core.grants import client_optional
from oauth2cli.flows import settings as settings_flow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.deps import Deps

# Metadata a profile remembers after discovery (RFC 8414 §2 / OIDC Discovery §3 names).
DISCOVERED = ("authorization_endpoint", "token_endpoint", "device_authorization_endpoint", "revocation_endpoint",
              "introspection_endpoint", "userinfo_endpoint", "jwks_uri", "pushed_authorization_request_endpoint",
              "end_session_endpoint")


def to_toml(values: Mapping[str, Any]) -> dict[str, Any]:
    """ClientSettings values as config.toml keeps them: lists for tuples, tables for pairs."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("params", "auth_params"):
            keys = [k for k, _ in value]
            value = dict(value) if len(set(keys)) == len(keys) else [list(p) for p in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, bool) and not value:
            continue  # an unset flag is not a setting
        out[key] = value
    return out


def add_profile(name: str, options: Mapping[str, Any], deps: Deps, *, discover: bool = True,
                make_default: bool = True) -> dict[str, Any]:
    """Create profile NAME from ad-hoc options (and a preset); returns what was stored. The first
    profile becomes the default, unless `make_default` is False (a zero-setup profile)."""
    from oauth2cli.store.config import check_name

    store = deps.store
    check_name(name)
    if store.has_profile(name):
        raise ConfigError(f"profile {name!r} exists already",
                          hint=f"change it with `oauth2 profile set {name} KEY VALUE`, or remove it first")
    from oauth2cli.flows.profiles.assertion_profiles import prepare  # issue #17: service accounts, jwt-bearer keys

    assertion_profile = prepare(options)
    values = settings_flow.settings_values(options)
    values.pop("preset", None)
    for dropped in assertion_profile.drop:
        values.pop(dropped, None)
    stored: dict[str, Any] = {}
    preset_params = dict(options.get("preset_params") or {})
    if options.get("preset"):
        from oauth2cli.providers import load

        preset = load(options["preset"])
        unknown = set(preset_params) - set(preset.parameters)
        if unknown:
            raise ConfigError(f"preset {preset.name!r} has no parameter {sorted(unknown)[0]!r}"
                              + (f" (it takes {', '.join(preset.parameters)})" if preset.parameters else ""))
        stored["preset"] = preset.name
        stored.update(preset_params)
    elif preset_params:
        raise ConfigError("--preset-param needs --preset")
    # Everything the run would use, to check it before anything is written.
    merged, _ = settings_flow.layers(options, deps, None)
    stored.update(assertion_profile.values)
    merged.update({k: v for k, v in assertion_profile.values.items() if k != "endpoints"})
    if not merged.get("client_id") and not client_optional(merged.get("grant")):
        raise ConfigError("a profile needs a client id: give --client-id (or OAUTH2_CLIENT_ID)")
    stored.update(to_toml(values))
    if not stored.get("urls") and merged.get("urls"):  # the preset's API (github: api.github.com), shown and editable
        stored["urls"] = list(merged["urls"])
    issuer = merged.get("issuer")
    if "openid" in str(merged.get("scope") or "").split() and not issuer and merged.get("grant") in (None, "authorization_code"):
        from oauth2cli.core.advice import OPENID_NEEDS_ISSUER, hint

        raise ConfigError(OPENID_NEEDS_ISSUER, hint=hint("openid-needs-issuer"))  # said now, not at the login
    if issuer and discover:
        found = _discover(issuer, merged, deps)
        given = merged.get("endpoints", {})
        endpoints = {k: v for k, v in found.items() if k not in given}
        if endpoints:
            stored["endpoints"] = {**endpoints, **stored.get("endpoints", {})}
    secret = settings_flow.client_secret(options, deps.environ)
    store.save_profile(name, stored)
    if secret:
        store.secrets.set(name, "client_secret", secret)
    if assertion_profile.private_key is not None:
        store.secrets.set(name, "private_key", assertion_profile.private_key)
    if make_default and store.default_profile is None:
        store.set_default(name)
    return stored


def _discover(issuer: str, merged: Mapping[str, Any], deps: Deps) -> dict[str, str]:
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.transport.options import TransportOptions

    http = deps.http(TransportOptions(timeout=float(merged.get("timeout") or 30.0), cacert=merged.get("cacert"),
                                      insecure=bool(merged.get("insecure"))))
    try:
        # Every endpoint a profile keeps, from as many documents as it takes (RFC 8414 and OpenID).
        from oauth2cli.flows.discovery import Discovery

        meta = Discovery(normalize_issuer(issuer), http, issuer_template=merged.get("issuer_template")).complete(DISCOVERED)
    except NetworkError as exc:
        deps.stderr.write(f"oauth2: warning: discovery failed ({exc.message}); endpoints will be discovered "
                          "when the profile is used\n")
        return {}
    return {name: url for name in DISCOVERED if (url := meta.endpoint(name))}


def parse_value(key: str, text: str, extra_keys: frozenset[str]) -> Any:
    """`profile set KEY VALUE`: the VALUE typed on the command line as config.toml holds it."""
    kind = settings_flow.PROFILE_KEYS.get(key, settings_flow.STR if key in extra_keys else None)
    if kind in (settings_flow.STR, None):
        return text
    if kind == settings_flow.BOOL:
        lowered = text.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise ConfigError(f"{key} is true or false, not {text!r}")
    if kind == settings_flow.FLOAT:
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{key} is a number, not {text!r}") from None
    if key == "authorization_details":  # JSON (or @FILE), checked, kept as an array of tables
        import json

        return json.loads(settings_flow.authorization_details_flag(text, key))
    items = [t for t in text.replace(",", " ").split() if t]
    if kind == settings_flow.STRS:
        return items
    if kind == settings_flow.INTS:
        try:
            return [int(t) for t in items]
        except ValueError:
            raise ConfigError(f"{key} is a list of port numbers, not {text!r}") from None
    if kind == settings_flow.PAIRS:
        pairs = [t.partition("=") for t in items]
        if not all(sep for _, sep, _ in pairs):
            raise ConfigError(f"{key} takes KEY=VALUE pairs, not {text!r}")
        return {k: v for k, _, v in pairs}
    raise ConfigError(f"{key} is a table; edit it in config.toml, or set one entry as {key}.NAME")


def normalize_key(key: str) -> str:
    """Accept flag spellings too: token-url -> endpoints.token_endpoint, client-id -> client_id."""
    key = key.replace("-", "_")
    if key in settings_flow.ENDPOINT_OPTIONS:
        return "endpoints." + settings_flow.ENDPOINT_OPTIONS[key]
    return settings_flow.RENAMED.get(key, key)


# Keys that say which server or client a profile's tokens belong to.
IDENTITY_KEYS = {"issuer", "client_id", "preset", "endpoints.token_endpoint", "token_url"}


def set_key(name: str, key: str, text: str | None, deps: Deps) -> str:
    """Set (text) or unset (None) one key of profile NAME; returns the normalized key.

    Changing the server or client forgets the stored tokens: they belong to the old one, and
    its refresh token must never be sent to the new one.
    """
    before = dict(deps.store.profile(name))
    key = _set_key(name, key, text, deps)
    if key in IDENTITY_KEYS and dict(deps.store.profile(name)) != before:
        with deps.store.lock(name):
            if deps.store.load_tokens(name) is not None:
                deps.store.delete_tokens(name)
                deps.stderr.write(f"oauth2: the stored tokens of {name!r} were for the old {key} and are "
                                  f"forgotten; log in again with `oauth2 login {name}`\n")
    return key


def _set_key(name: str, key: str, text: str | None, deps: Deps) -> str:
    store = deps.store
    raw = dict(store.profile(name))
    key = normalize_key(key)
    extra = frozenset()
    preset_name = text if key == "preset" and text is not None else raw.get("preset")
    if isinstance(preset_name, str) and preset_name:
        from oauth2cli.providers import load

        extra = frozenset(load(preset_name).parameters)
    where = f"profile {name!r}"
    if key.startswith("endpoints."):
        endpoint = key.split(".", 1)[1]
        endpoints = dict(raw.get("endpoints") or {})
        if text is None:
            endpoints.pop(endpoint, None)
        else:
            endpoints[endpoint] = text
        settings_flow.check_value("endpoints", endpoints, where)
        store.save_profile(name, {"endpoints": endpoints or None})
        return key
    if key.startswith("assertion."):
        return _set_assertion_key(name, key, text, raw, deps)
    if key in settings_flow.SECRET_KEYS:
        raise ConfigError(f"{key} is a secret and does not go in config.toml",
                          hint="for the client secret use `oauth2 profile secret NAME` (reads stdin)")
    if text is None:
        if key not in raw:
            raise ConfigError(f"profile {name!r} has no key {key!r}")
        store.save_profile(name, {key: None})
        return key
    value = parse_value(key, text, extra)
    settings_flow.check_value(key, value, where, extra)
    store.save_profile(name, {key: value})
    return key


# `oauth2 assertion` options a profile remembers under [profiles.NAME.assertion].
ASSERTION_KEYS = {"iss": str, "sub": str, "aud": str, "alg": str, "lifetime": int, "service_account": str}


def _set_assertion_key(name: str, key: str, text: str | None, raw: dict[str, Any], deps: Deps) -> str:
    entry = key.split(".", 1)[1]
    if entry not in ASSERTION_KEYS:
        raise ConfigError(f"{key} is not an assertion setting", hint="known: " + ", ".join(
            f"assertion.{k}" for k in ASSERTION_KEYS) + "; claims and headers are tables in config.toml")
    table = dict(raw.get("assertion") or {})
    if text is None:
        table.pop(entry, None)
    elif ASSERTION_KEYS[entry] is int:
        try:
            table[entry] = int(text)
        except ValueError:
            raise ConfigError(f"{key} is a whole number of seconds, not {text!r}") from None
    else:
        table[entry] = text
    deps.store.save_profile(name, {"assertion": table or None})
    return key


__all__ = ["add_profile", "set_key", "OAuth2CliError"]

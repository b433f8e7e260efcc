"""The vocabulary of a profile in config.toml: which keys there are, what kind of value each
holds, and the check that turns a stored value into what ClientSettings holds."""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError

TYPE_CHECKING = False  # `oauth2 call` reads CALL_READS and CALL_IDLE without typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

ENDPOINT_OPTIONS = {
    "token_url": "token_endpoint",
    "authorization_url": "authorization_endpoint",
    "device_authorization_url": "device_authorization_endpoint",
    "revocation_url": "revocation_endpoint",
    "introspection_url": "introspection_endpoint",
    "userinfo_url": "userinfo_endpoint",
    "jwks_url": "jwks_uri",
}
# Metadata names a profile may keep under [profiles.NAME.endpoints].
ENDPOINT_NAMES = (*ENDPOINT_OPTIONS.values(), "pushed_authorization_request_endpoint", "end_session_endpoint",
                  "registration_endpoint")

# The profile vocabulary of config.toml: key -> kind of value.
STR, BOOL, FLOAT, STRS, INTS, PAIRS, TABLE = "text", "true/false", "number", "list", "port list", "key=value pairs", "table"
PROFILE_KEYS: dict[str, str] = {
    "preset": STR, "issuer": STR, "issuer_template": STR, "client_id": STR, "auth_method": STR, "basic_raw": BOOL, "grant": STR,
    "scope": STR, "audience": STR, "resources": STRS, "params": PAIRS, "auth_params": PAIRS, "leeway": FLOAT,
    "private_key": STR, "key_id": STR, "assertion_audience": STR, "compliance_fixes": STRS,
    "redirect_uri": STR, "redirect_ports": INTS, "pkce": STR, "login_method": STR, "use_par": BOOL, "response_type": STR,
    "dpop": BOOL, "urls": STRS, "assertion": TABLE, "timeout": FLOAT, "cacert": STR, "insecure": BOOL,
    "cert": STR, "key": STR, "allow_http": BOOL, "endpoints": TABLE, "git_username": STR,
    "assertion_source": STR, "subject_token_source": STR, "subject_token_type": STR,
    "registration": TABLE,  # what RFC 7591 registration answered (issue #20); nothing secret
    "request_object": BOOL, "response_mode": STR, "authorization_details": "JSON array", "step_up": BOOL, "fapi2": BOOL,
}
# What `oauth2 call` needs of a profile while its stored token is fresh (flows/call/call_profile.py):
# CALL_READS it reads itself, exactly as flows/settings.resolve reads them; CALL_IDLE change nothing
# about how the request is sent (endpoints, the client, what a login or a grant asks for; `leeway` is
# store/view's). A profile with any other key, one added to PROFILE_KEYS tomorrow included, is read
# as ClientSettings: slower until it is named here, never wrong.
CALL_READS = ("urls", "timeout", "step_up", "allow_http")
CALL_IDLE = ("client_id", "issuer", "issuer_template", "endpoints", "token_url", "authorization_url",
             "device_authorization_url", "revocation_url", "introspection_url", "userinfo_url", "jwks_url", "scope",
             "audience", "resource", "resources", "params", "auth_params", "auth_param", "grant", "redirect_uri",
             "redirect_port", "redirect_ports", "pkce", "login_method", "leeway", "auth_method", "basic_raw", "private_key",
             "key_id", "assertion_audience", "git_username", "response_type", "use_par", "request_object",
             "response_mode", "authorization_details", "assertion", "assertion_source", "subject_token_source",
             "subject_token_type", "registration")
# Never in config.toml: these go to the secret store.
SECRET_KEYS = {"client_secret", "refresh_token", "access_token", "key_passphrase", "password"}


def check_value(key: str, value: Any, where: str, extra_keys: frozenset[str] = frozenset()) -> Any:
    """A config.toml value, checked and converted to what ClientSettings holds."""
    if key in SECRET_KEYS:
        raise ConfigError(f"{where}: {key} does not belong in config.toml; secrets live in the secret store",
                          hint="remove it from the file; give it with --client-secret-file or OAUTH2_CLIENT_SECRET")
    kind = PROFILE_KEYS.get(key)
    if kind is None:
        if key in extra_keys:
            kind = STR
        else:
            raise ConfigError(f"{where}: unknown key {key!r}",
                              hint="known keys: " + ", ".join(sorted(PROFILE_KEYS)))

    def bad() -> ConfigError:
        return ConfigError(f"{where}: {key} must be a {kind}, not {value!r}")

    if key == "authorization_details":
        from oauth2cli.core.rar import check_details

        return check_details(value, f"{where}: authorization_details")
    if key == "grant" and isinstance(value, str):
        from oauth2cli.core.grants import find, names

        if find(value) is None and not value.startswith(("urn:", "http://", "https://")):
            raise ConfigError(f"{where}: unknown grant {value!r}",
                              hint="known: " + ", ".join(names()) + ", or a full grant_type URI")

    if kind == STR:
        if not isinstance(value, str):
            raise bad()
        return value
    if kind == BOOL:
        if not isinstance(value, bool):
            raise bad()
        return value
    if kind == FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise bad()
        return float(value)
    if kind == STRS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad()
        return tuple(value)
    if kind == INTS:
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, int) and 0 <= v < 65536 for v in value):
            raise bad()
        return tuple(value)
    if kind == PAIRS:
        if isinstance(value, dict):
            return tuple((str(k), str(v)) for k, v in value.items())
        if isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value):
            return tuple((str(k), str(v)) for k, v in value)
        raise bad()
    if not isinstance(value, dict):  # TABLE
        raise bad()
    if key == "endpoints":
        for name, url in value.items():
            if name not in ENDPOINT_NAMES or not isinstance(url, str):
                raise ConfigError(f"{where}: endpoints.{name} is not a known endpoint URL",
                                  hint="known: " + ", ".join(ENDPOINT_NAMES))
    return dict(value)


def profile_values(stored: Mapping[str, Any], where: str, extra_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    flat: dict[str, str] = {}
    for key, value in stored.items():
        if key in ENDPOINT_OPTIONS:
            # `token_url = "..."` in a profile, spelled like the flag, is the same as endpoints.token_endpoint.
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a text, not {value!r}")
            flat[ENDPOINT_OPTIONS[key]] = value
        else:
            values[key] = check_value(key, value, where, extra_keys)
    if flat:
        values["endpoints"] = {**flat, **values.get("endpoints", {})}
    return values

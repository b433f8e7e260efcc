"""Merging flags, environment, the profile and its preset into the ClientSettings of one run.

Precedence, highest first: a flag (or its OAUTH2_* variable), the profile in config.toml,
the profile's preset (oauth2cli/providers/*.toml), the defaults of ClientSettings.
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.grants import client_optional
from oauth2cli.flows.profile_keys import (  # noqa: F401 (re-exported: the profile commands use them here)
    BOOL,
    ENDPOINT_NAMES,
    ENDPOINT_OPTIONS,
    FLOAT,
    INTS,
    PAIRS,
    PROFILE_KEYS,
    SECRET_KEYS,
    STR,
    STRS,
    TABLE,
    check_value,
    profile_values,
)

TYPE_CHECKING = False  # `profile show` reads a profile without typing or dataclasses
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps
    from oauth2cli.providers import Preset

SECRET_ENV = "OAUTH2_CLIENT_SECRET"


def read_text_file(path: str, what: str, text: str = "UTF-8 text") -> str:
    """The whole of the `what` file at `path`, or ConfigError in one line: it cannot be read, or
    it is not `text`."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the {what} file {path} is not {text}") from None


def read_secret_file(path: str, what: str = "client secret") -> str:
    value = read_text_file(path, what).rstrip("\r\n")
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


def client_secret_source(options: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    if options.get("client_secret_file"):
        return f"file {options['client_secret_file']}"
    if options.get("client_secret_env"):
        return f"env {options['client_secret_env']}"
    return f"env {SECRET_ENV}" if environ.get(SECRET_ENV) else None


# Option names (as click passes them) that differ from the ClientSettings field they fill.
RENAMED = {"resource": "resources", "redirect_port": "redirect_ports", "compliance_fix": "compliance_fixes",
           "auth_param": "auth_params", "url": "urls", "par": "use_par",
           "method": "login_method"}
TUPLES = {"resources", "params", "auth_params", "redirect_ports", "compliance_fixes", "urls"}
CLIENT_FIELDS = {"client_id", "auth_method", "basic_raw"}

def settings_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """The ClientSettings fields that these options set (None and empty mean "not given")."""
    if all(value is None or value == () or value == [] for value in options.values()):
        return {}  # nothing given (`profile show`): no ClientSettings to ask
    from dataclasses import fields

    from oauth2cli.core.settings import ClientSettings

    known = {f.name for f in fields(ClientSettings)} | CLIENT_FIELDS
    values: dict[str, Any] = {}
    for name, value in options.items():
        name = RENAMED.get(name, name)
        if name not in known or value is None or value == () or value == []:
            continue
        if name == "authorization_details":
            value = authorization_details_flag(value)
        values[name] = tuple(value) if name in TUPLES else value
    endpoints = {meta: options[flag] for flag, meta in ENDPOINT_OPTIONS.items() if options.get(flag)}
    if endpoints:
        values["endpoints"] = endpoints
    return values


def authorization_details_flag(value: str, what: str = "--authorization-details") -> str:
    """--authorization-details JSON or @FILE, checked (RFC 9396 §2) before anything is sent."""
    from oauth2cli.core.rar import check_details

    if value.startswith("@"):
        return check_details(read_secret_file(value[1:], "authorization details"), f"the file {value[1:]}")
    return check_details(value, what)


def _preset_of(name: str | None) -> Preset | None:
    if not name:
        return None
    from oauth2cli.providers import load

    return load(name)


def layers(options: Mapping[str, Any], deps: Deps, profile: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The merged ClientSettings values and, per key, where each came from."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    def put(layer: Mapping[str, Any], source: str) -> None:
        for key, value in layer.items():
            if key == "endpoints":
                for name, url in value.items():
                    values.setdefault("endpoints", {})[name] = url
                    sources[f"endpoints.{name}"] = source
            else:
                values[key] = value
                sources[key] = source

    stored: dict[str, Any] = {}
    preset = None
    if profile:
        raw, config_path = stored_profile(deps, profile)
        preset = _preset_of(raw.get("preset") if isinstance(raw.get("preset"), str) else None)
        extra = frozenset(preset.parameters) if preset else frozenset()
        stored = profile_values(raw, f"profile {profile!r} in {config_path}", extra)
    elif options.get("preset"):
        preset = _preset_of(options["preset"])
    from oauth2cli.store import presets

    # The profile over its preset, as the lean view layers it (store/view.settings): one function.
    filled, own = presets.layers(preset.name if preset else None, preset.settings if preset else {},
                                 preset.parameters if preset else {}, stored, options.get("preset_params"))
    if preset is not None:
        put(profile_values(filled, f"preset {preset.name!r}", frozenset(preset.parameters)), f"preset {preset.name}")
    put(own, "profile")
    put(settings_values(options), "flag or environment")
    values.pop("preset", None)
    if preset is not None:
        values["preset"] = preset.name
        need = presets.unmet(preset.requires, values)
        if need:
            raise ConfigError(f"preset {preset.name!r} needs {need}: give --{need.replace('_', '-')}")
    return values, sources


def stored_profile(deps: Deps, name: str) -> tuple[dict[str, Any], object]:
    """Profile `name`'s table as config.toml holds it, and config.toml's path: from the store's lean
    view (store/view.py); from the Store when the view cannot say (an unknown profile, a file it
    cannot read, a store of the run's own): the Store names what is wrong."""
    if deps.given_store() is None:
        from oauth2cli.store import view, xdg

        found, path = view.profiles(deps.environ), view.shown_path(xdg.config_file(deps.environ))
        if found is not None and path is not None and isinstance(found.get(name), dict):
            return dict(found[name]), path
    return dict(deps.store.profile(name)), deps.store.config_path


def resolve(options: Mapping[str, Any], deps: Deps, profile: str | None = None) -> ClientSettings:
    """ClientSettings from a command's options (see cli/options.py), over the profile and its preset.

    An unknown PROFILE that names a preset (`oauth2 login github`) becomes a new profile
    made from that preset, with --client-id or, on a terminal, a client id typed in.
    """
    if profile and not deps.store.has_profile(profile):
        from oauth2cli.providers import exists

        if exists(profile):
            create_from_preset(profile, options, deps)
    values, _sources = layers(options, deps, profile)
    client_id = values.pop("client_id", None)
    if not client_id and client_optional(values.get("grant")):
        # RFC 7523 §3.1: with a JWT bearer assertion, client authentication is optional.
        client_id, values["auth_method"] = "", "none"
    elif not client_id:
        if profile:
            raise ConfigError(f"profile {profile!r} has no client id",
                              hint=f"set one with `oauth2 profile set {profile} client_id ID` or give --client-id")
        raise ConfigError("no client id: give --client-id or set OAUTH2_CLIENT_ID")
    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.settings import ClientSettings

    secret = client_secret(options, deps.environ)
    if secret is None and profile:
        secret = deps.store.secrets.get(profile, "client_secret")
    client = ClientCredentials(
        client_id=client_id,
        client_secret=secret,
        auth_method=values.pop("auth_method", None),
        basic_raw=bool(values.pop("basic_raw", False)),
    )
    if values.get("issuer"):
        from oauth2cli.core.metadata import normalize_issuer

        values["issuer"] = normalize_issuer(values["issuer"])
    return ClientSettings(client=client, profile=profile, **values)


def ask(deps: Deps, prompt: str) -> str | None:
    """A line typed at the terminal, or None when this run has no terminal to ask on."""
    stdin = deps.stdin
    if not (getattr(stdin, "isatty", lambda: False)() and getattr(deps.stderr, "isatty", lambda: False)()):
        return None
    deps.stderr.write(prompt)
    deps.stderr.flush()
    line = stdin.readline()
    return line.strip() or None


def create_from_preset(name: str, options: Mapping[str, Any], deps: Deps) -> None:
    """Make profile NAME from the preset of the same name (the first `oauth2 login github`)."""
    from oauth2cli.providers import load

    preset = load(name)
    client_id = options.get("client_id")
    if not client_id:
        client_id = ask(deps, f"Client id of your {preset.description.split(' (')[0]} application: ")
    if not client_id:
        raise ConfigError(
            f"profile {name!r} does not exist yet and needs a client id",
            hint=f"give --client-id (or OAUTH2_CLIENT_ID) to create it from the {name} preset",
        )
    deps.store.save_profile(name, {"preset": name, "client_id": client_id})
    secret = client_secret(options, deps.environ)
    if secret:
        deps.store.secrets.set(name, "client_secret", secret)
    deps.stderr.write(f"oauth2: created profile {name!r} from the {name} preset ({deps.store.config_path})\n")
    deps.stderr.flush()


def profile_or_default(profile: str | None, options: Mapping[str, Any], deps: Deps) -> str | None:
    """PROFILE as given; without one and without any ad-hoc setting, the config's default profile
    (`oauth2 profile default NAME`), as gh and kubectl use their current context."""
    if profile:
        return profile
    given = [v for v in options.values() if v not in (None, False, (), [], "")]
    if given:
        return None
    return default_profile(deps)


def default_profile(deps: Deps) -> str | None:
    """config.toml's default profile, from the store's lean view; from the Store when the view cannot
    read config.toml (the Store reports it, with its path and line: StoreError)."""
    if deps.given_store() is None:
        from oauth2cli.store import view

        config = view.read_config(deps.environ)  # its shape checked: `default` is a name or absent
        if config is not None:
            return config.get("default")
    return deps.store.default_profile

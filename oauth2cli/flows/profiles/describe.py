"""What `profile show` prints: each setting with its source, the secrets kept (masked) and the
token's state, read through the store's lean view where it can; no click."""

from __future__ import annotations

from oauth2cli.flows import settings as settings_flow

TYPE_CHECKING = False  # `profile show` reads through the store's lean view, without typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.deps import Deps


def describe(name: str, deps: Deps, environment: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """What `profile show` prints: each setting with its source, secrets masked, token state.
    `environment`: option name -> (variable, value) of the OAUTH2_* variables set, which a run would use."""
    raw, config_path = settings_flow.stored_profile(deps, name)
    environment = environment or {}
    values, sources = settings_flow.layers({k: v for k, (_, v) in environment.items()}, deps, name)
    if environment:
        from oauth2cli.flows.profile_keys import ENDPOINT_OPTIONS

        said = {settings_flow.RENAMED.get(k, k): f"env {var}" for k, (var, _) in environment.items()}
        said.update({f"endpoints.{ENDPOINT_OPTIONS[k]}": f"env {var}" for k, (var, _) in environment.items()
                     if k in ENDPOINT_OPTIONS})
        sources = {k: said.get(k, v) if v == "flag or environment" else v for k, v in sources.items()}
    settings: dict[str, Any] = {}
    for key in sorted(values):
        value = values[key]
        if key == "endpoints":
            for ep in sorted(value):
                settings[f"endpoints.{ep}"] = {"value": value[ep], "source": sources.get(f"endpoints.{ep}", "profile")}
            continue
        if isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        settings[key] = {"value": value, "source": "preset " + raw["preset"] if key == "preset" else sources.get(key, "profile")}
    if isinstance(raw.get("preset"), str):
        from oauth2cli.providers import load

        for param, spec in load(raw["preset"]).parameters.items():
            if param in raw:
                settings[param] = {"value": raw[param], "source": "profile"}
            else:
                settings[param] = {"value": spec.get("default"), "source": "preset default"}
    from oauth2cli.core.expiry import DEFAULT_LEEWAY, DEFAULT_TIMEOUT

    for key, default in (("leeway", DEFAULT_LEEWAY), ("timeout", DEFAULT_TIMEOUT)):
        settings.setdefault(key, {"value": default, "source": "default"})
    source, kinds, tokens = _stored_secrets(name, deps)
    secrets = {kind: {"value": "********", "source": source} for kind in SHOWN_SECRETS if kind in kinds}
    token_state: dict[str, Any] | None = None
    if tokens is not None:
        expires_at = tokens.get("expires_at")
        token_state = {
            "access_token": "********",
            "refresh_token": "********" if tokens.get("refresh_token") else None,
            "expires_in": None if expires_at is None else int(expires_at - deps.clock()),
            "scope": tokens.get("scope"),
            "source": source,
        }
    return {"name": name, "default": settings_flow.default_profile(deps) == name, "config": str(config_path),
            "settings": settings, "secrets": secrets, "tokens": token_state}


SHOWN_SECRETS = ("client_secret", "private_key", "key_passphrase", "dpop_key", "registration_access_token")


def _stored_secrets(name: str, deps: Deps) -> tuple[str, set[str], dict | None]:
    """(the secret store's name, the kinds of secret it keeps for `name`, the stored token set in
    TokenSet.to_dict's form or None): the file store read through the store's lean view when the
    environment chose it; through the Store otherwise, or when the view cannot read the entry (the
    Store names the fault)."""
    from oauth2cli.store import view

    source = view.file_store_name(deps.environ) if deps.given_store() is None else None
    if source is not None:
        from oauth2cli.core.jsonlite import loads
        from oauth2cli.core.token_record import stored_form
        from oauth2cli.store import SAVED_AT

        try:
            entries = view.file_entries(deps.environ, name)
            record = loads(entries["tokens"]) if "tokens" in entries else None
            tokens = None if record is None else stored_form({k: v for k, v in record.items() if k != SAVED_AT})
        except Exception:  # noqa: BLE001 - damaged: the Store says so, in its words
            pass
        else:
            return source, set(entries), tokens
    store = deps.store
    found = store.load_tokens(name)
    return (store.secrets.name, {kind for kind in SHOWN_SECRETS if store.secrets.get(name, kind) is not None},
            None if found is None else found.to_dict())

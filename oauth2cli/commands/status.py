"""`oauth2 status`: every profile with its login state and token lifetimes, the hosts git asks
each for credentials, and the secret store in use."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    info = collect(deps)
    if opts.as_json:
        output.json_data(deps, info)
        return 0
    if info["profiles"]:
        rows = []
        for p in info["profiles"]:
            state, expiry = _state(p)
            scopes = p["scope"] or ""
            if p.get("authorization_details"):
                scopes = (scopes + " " if scopes else "") + "+ details: " + ", ".join(p["authorization_details"])
            rows.append([p["name"] + (" *" if p["default"] else ""), state, expiry, scopes])
        output.table(deps, ["Profile", "State", "Expires in", "Scopes"], rows)
    else:
        output.say(deps, f"oauth2: no profiles yet in {info['config']}")
    for p in info["profiles"]:
        if p["git_hosts"]:
            output.say(deps, f"git asks {p['name']} for: {', '.join(p['git_hosts'])}")
    store = info["store"]
    line = f"secrets and tokens: {store['name']}"
    if store["fallback_reason"]:
        line += f" — no usable keyring: {store['fallback_reason']}"
    output.say(deps, line)
    return 0


def collect(deps) -> dict:
    """What status shows: read through the store's lean view (store/view.py) when it can answer for
    every profile, else through the Store (which names what it cannot read)."""
    return _from_view(deps) or _from_store(deps)


def _from_view(deps) -> dict | None:
    """collect() from config.toml's parsed form and the file store read directly; None when the view
    cannot answer (another store, a file it cannot read: the Store says why)."""
    if deps.given_store() is not None:
        return None
    from oauth2cli.store import SAVED_AT, view, xdg

    environ = deps.environ
    store_name, config_path = view.file_store_name(environ), view.shown_path(xdg.config_file(environ))
    config = view.read_config(environ) if store_name and config_path else None
    if config is None:
        return None
    from oauth2cli.core.token_record import stored_form

    found = {}
    for name in config.get("profiles", {}):
        record = view.token_record(environ, name)
        try:
            found[name] = stored_form({k: v for k, v in record.items() if k != SAVED_AT}) if record else record
        except ValueError:
            return None
        if found[name] is None:
            return None
    store_info = {"backend": "file", "name": store_name, "fallback_reason": None}
    return _report(deps, config_path, config.get("profiles", {}), config.get("default"), found, store_info)


def _from_store(deps) -> dict:
    store = deps.store
    config = store.config
    secrets = store.secrets
    found = {}
    for name in config.names():
        try:
            tokens = store.load_tokens(name)
        except Exception as exc:  # one unreadable entry must not hide the others
            found[name] = exc
        else:
            found[name] = False if tokens is None else tokens.to_dict()
    store_info = {"backend": secrets.kind, "name": secrets.name,
                  "fallback_reason": getattr(secrets, "fallback_reason", None)}
    return _report(deps, store.config_path, config.profiles, config.default, found, store_info)


def _report(deps, config_path, tables: dict, default: str | None, found: dict, store_info: dict) -> dict:
    """Each profile's entry from its table and its stored token set (TokenSet.to_dict's form; False:
    none stored; an exception: unreadable), the hosts git asks it for, and the store."""
    from oauth2cli.core.grants import is_service_account

    now = deps.clock()
    profiles = []
    for name in sorted(tables):
        entry = {"name": name, "default": default == name, "logged_in": False,
                 "expires_in": None, "scope": None, "refresh_token": False,
                 "service_account": is_service_account(tables[name])}
        tokens = found[name]
        if isinstance(tokens, Exception):
            entry["error"] = str(tokens)
        elif tokens:
            expires_at = tokens.get("expires_at")
            entry.update(logged_in=True, expires_in=None if expires_at is None else int(expires_at - now),
                         scope=tokens.get("scope"), refresh_token=bool(tokens.get("refresh_token")))
            if tokens.get("authorization_details") is not None:
                from oauth2cli.core.rar import types_of

                # RFC 9396: the granted details' types; the details themselves stay with the token
                entry["authorization_details"] = types_of(tokens["authorization_details"])
        profiles.append(entry)
    from oauth2cli.flows.helpers.git_setup import git_hosts

    hosts = git_hosts(deps)
    for entry in profiles:
        entry["git_hosts"] = hosts.get(entry["name"], [])
    return {"config": str(config_path), "store": store_info, "profiles": profiles}


def _state(p: dict) -> tuple[str, str]:
    if p.get("error"):
        return "unreadable", ""
    if p.get("service_account"):
        # No login: a new token is one signed assertion (or CI token) away.
        if not p["logged_in"]:
            return "service account", ""
        if p["expires_in"] is None:
            return "service account", "unknown"
        return "service account", "expired (renewable)" if p["expires_in"] <= 0 else _duration(p["expires_in"])
    if not p["logged_in"]:
        return "not logged in", ""
    if p["expires_in"] is None:
        return "logged in", "unknown"
    if p["expires_in"] <= 0:
        return ("logged in" if p["refresh_token"] else "expired"), "expired" + (" (refreshable)" if p["refresh_token"] else "")
    return "logged in", _duration(p["expires_in"])


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"

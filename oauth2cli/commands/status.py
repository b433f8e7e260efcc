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
    store = deps.store
    config = store.config
    secrets = store.secrets
    now = deps.clock()
    from oauth2cli.flows.profiles.assertion_profiles import is_service_account

    profiles = []
    for name in config.names():
        entry = {"name": name, "default": config.default == name, "logged_in": False,
                                 "expires_in": None, "scope": None, "refresh_token": False,
                                 "service_account": is_service_account(config.profiles[name])}
        try:
            tokens = store.load_tokens(name)
        except Exception as exc:  # one unreadable entry must not hide the others
            entry["error"] = str(exc)
            tokens = None
        if tokens is not None:
            remaining = tokens.expires_in(now)
            entry.update(logged_in=True, expires_in=None if remaining is None else int(remaining),
                         scope=tokens.scope, refresh_token=bool(tokens.refresh_token))
            if tokens.extra.get("authorization_details") is not None:
                from oauth2cli.core.rar import types_of

                # RFC 9396: the granted details' types; the details themselves stay with the token
                entry["authorization_details"] = types_of(tokens.extra["authorization_details"])
        profiles.append(entry)
    from oauth2cli.flows.helpers.git_setup import git_hosts

    hosts = git_hosts(deps)
    for entry in profiles:
        entry["git_hosts"] = hosts.get(entry["name"], [])
    store_info = {"backend": secrets.kind, "name": secrets.name,
                  "fallback_reason": getattr(secrets, "fallback_reason", None)}
    return {"config": str(store.config_path), "store": store_info, "profiles": profiles}


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

"""`oauth2 profile list`: the profiles, a table on a terminal, tab-separated when piped, JSON with --json."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    tables, default, config_path = _config(deps)
    rows = []
    for name in sorted(tables):
        p = tables[name]
        endpoints = p.get("endpoints") if isinstance(p.get("endpoints"), dict) else {}
        rows.append({
            "name": name,
            "default": default == name,
            "preset": p.get("preset"),
            "issuer": p.get("issuer"),
            "token_endpoint": endpoints.get("token_endpoint"),
            "client_id": p.get("client_id"),
            "grant": p.get("grant"),
        })
    if opts.as_json:
        output.json_data(deps, rows)
        return 0
    if not rows:
        output.say(deps, f"oauth2: no profiles yet in {config_path}; add one with `oauth2 profile add NAME ...`")
        return 0
    output.table(deps, ["Name", "Default", "Preset", "Server", "Client id"],
                 [[r["name"], "*" if r["default"] else "", r["preset"] or "",
                   r["issuer"] or r["token_endpoint"] or "", r["client_id"] or ""] for r in rows])
    return 0


def _config(deps) -> tuple[dict, str | None, object]:
    """(the profiles' tables, the default's name, config.toml's path): config.toml's parsed form from
    the store's lean view (store/view.py); from the Store when the view cannot read it (the Store says why)."""
    if deps.given_store() is None:
        from oauth2cli.store import view, xdg

        config, path = view.read_config(deps.environ), view.shown_path(xdg.config_file(deps.environ))
        if config is not None and path is not None:
            return config.get("profiles", {}), config.get("default"), path
    config = deps.store.config
    return config.profiles, config.default, deps.store.config_path

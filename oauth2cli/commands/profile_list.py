"""`oauth2 profile list`: the profiles, a table on a terminal, tab-separated when piped, JSON with --json."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    config = deps.store.config
    rows = []
    for name in config.names():
        p = config.profiles[name]
        endpoints = p.get("endpoints") if isinstance(p.get("endpoints"), dict) else {}
        rows.append({
            "name": name,
            "default": config.default == name,
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
        output.say(deps, f"oauth2: no profiles yet in {deps.store.config_path}; add one with `oauth2 profile add NAME ...`")
        return 0
    output.table(deps, ["Name", "Default", "Preset", "Server", "Client id"],
                 [[r["name"], "*" if r["default"] else "", r["preset"] or "",
                   r["issuer"] or r["token_endpoint"] or "", r["client_id"] or ""] for r in rows])
    return 0

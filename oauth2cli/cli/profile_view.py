"""`oauth2 profile list` and `oauth2 profile show`: what is configured, secrets masked."""

from __future__ import annotations

from oauth2cli.cli import render


def run_list(as_json: bool, deps) -> None:
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
    if as_json:
        render.json_data(rows)
        return
    if not rows:
        render.say(f"oauth2: no profiles yet in {deps.store.config_path}; add one with `oauth2 profile add NAME ...`")
        return
    from oauth2cli.cli.table import table

    table(["Name", "Default", "Preset", "Server", "Client id"],
          [[r["name"], "*" if r["default"] else "", r["preset"] or "",
            r["issuer"] or r["token_endpoint"] or "", r["client_id"] or ""] for r in rows])


def list_(as_json: bool) -> None:
    run_list(as_json, render.deps_of())


def run_show(name: str, as_json: bool, deps) -> None:
    from oauth2cli.flows.profiles import describe

    info = describe(name, deps)
    registration = info["settings"].pop("registration", None)  # issue #20: shown as times, below
    if registration is not None:
        from oauth2cli.core.registration import secret_expired

        record = registration["value"]
        info["registration"] = {**record, "client_secret_expired": secret_expired(
            record.get("client_secret_expires_at"), deps.clock())}
    if as_json:
        render.json_data(info)
        return
    lines = [f"profile {name}" + (" (default)" if info["default"] else "") + f" in {info['config']}"]
    if registration is not None:
        from oauth2cli.flows.registration import registration_lines

        lines += [f"  {line}" for line in registration_lines(registration["value"], deps.clock())]
    for key, item in info["settings"].items():
        value = item["value"]
        if isinstance(value, list):
            shown = " ".join("=".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
        elif isinstance(value, bool):
            shown = "true" if value else "false"
        else:
            shown = str(value)
        lines.append(f"  {key} = {shown}    [{item['source']}]")
    for kind, item in info["secrets"].items():
        lines.append(f"  {kind} = {item['value']}    [{item['source']}]")
    tokens = info["tokens"]
    if tokens is None:
        lines.append("  tokens: none (not logged in)")
    else:
        expiry = "unknown expiry" if tokens["expires_in"] is None else (
            f"expires in {tokens['expires_in']} s" if tokens["expires_in"] > 0 else "expired")
        refresh = ", refresh token" if tokens["refresh_token"] else ""
        lines.append(f"  tokens: access token ({expiry}){refresh}    [{tokens['source']}]")
    for line in lines:
        render.data(line)


def show(name: str, as_json: bool) -> None:
    run_show(name, as_json, render.deps_of())

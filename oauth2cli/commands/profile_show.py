"""`oauth2 profile show NAME`: its settings and where each comes from; secrets and tokens masked."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    from oauth2cli.flows.profiles.describe import describe

    from oauth2cli.cmdline.shared import ALL_CLIENT

    name = opts.name
    # OAUTH2_SCOPE and the like change what a run of this profile uses: shown, with the variable as source
    environment = {p.dest: (p.kw["envvar"], deps.environ[p.kw["envvar"]]) for p in ALL_CLIENT
                   if p.kw.get("envvar") and deps.environ.get(p.kw["envvar"])}
    info = describe(name, deps, environment)
    registration = info["settings"].pop("registration", None)  # issue #20: shown as times, below
    if registration is not None:
        from oauth2cli.core.registration import secret_expired

        record = registration["value"]
        info["registration"] = {**record, "client_secret_expired": secret_expired(
            record.get("client_secret_expires_at"), deps.clock())}
    if opts.as_json:
        output.json_data(deps, info)
        return 0
    lines = [f"profile {name}" + (" (default)" if info["default"] else "") + f" in {info['config']}"]
    if registration is not None:
        from oauth2cli.flows.profiles.registration import registration_lines

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
        output.data(deps, line)
    return 0

"""`oauth2 profile`: manage named profiles (settings in config.toml, secrets in the keyring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import all_client_options, grant_option, pop_common
from oauth2cli.cli.params import KEY_VALUE, PRESET, PROFILE


@click.group(short_help="Add, list, show, change and remove profiles.")
def profile() -> None:
    """Manage profiles: named sets of issuer, client and request settings.

    Settings live in $XDG_CONFIG_HOME/oauth2cli/config.toml (or $OAUTH2CLI_CONFIG);
    secrets and tokens in the OS keyring, or in an announced 0600 file when there is none.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli
      $ oauth2 profile add gh --preset github --client-id Iv1.0123
      $ oauth2 profile list
    """


# -- add -----------------------------------------------------------------------

@dataclass
class AddOptions:
    name: str
    discover: bool
    make_default: bool
    common: dict[str, Any] = field(default_factory=dict)


def run_add(opts: AddOptions, deps) -> None:
    from oauth2cli.flows.profiles import add_profile

    stored = add_profile(opts.name, opts.common, deps, discover=opts.discover)
    if opts.make_default:
        deps.store.set_default(opts.name)
    where = "preset " + stored["preset"] if "preset" in stored else stored.get("issuer") or "explicit endpoints"
    render.say(f"oauth2: added profile {opts.name!r} ({where}) to {deps.store.config_path}")
    if deps.store.default_profile == opts.name:
        render.say(f"oauth2: {opts.name!r} is the default profile")


@profile.command(short_help="Add a profile.")
@click.argument("name")
@click.option("--preset", metavar="NAME", type=PRESET, help="Start from a provider preset: github, google, microsoft, gitlab, oidc.")
@click.option("--preset-param", "preset_params", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="A preset's parameter, e.g. tenant=contoso.com (microsoft) or base_url=https://git.example.com (gitlab).")
@grant_option
@click.option("--redirect-port", "redirect_port", multiple=True, type=click.IntRange(0, 65535), metavar="PORT",
              help="Loopback port(s) for the login redirect (default: any free port).")
@click.option("--leeway", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Refresh a token this long before it expires (default 60).")
@click.option("--no-discover", is_flag=True, help="Do not fetch the issuer's metadata now.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default profile.")
@all_client_options
def add(name: str, preset: str | None, preset_params: tuple, grant: str | None, redirect_port: tuple,
        leeway: float | None, no_discover: bool, make_default: bool, **kwargs: Any) -> None:
    """Add the profile NAME from the same flags as ad-hoc use.

    With an issuer, its metadata is fetched now and the endpoints found are stored. The
    client secret comes from --client-secret-file, --client-secret-env or
    OAUTH2_CLIENT_SECRET and goes to the secret store, never to config.toml.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli --scope "openid offline_access"
      $ OAUTH2_CLIENT_SECRET=... oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant client_credentials
      $ oauth2 profile add corp --preset microsoft --preset-param tenant=contoso.com --client-id 0000-1111
    """
    common = pop_common(kwargs)
    common.update(preset=preset, preset_params=dict(preset_params), grant=_short_grant(grant),
                  redirect_port=redirect_port, leeway=leeway)
    run_add(AddOptions(name, not no_discover, make_default, common), render.deps_of())


def _short_grant(grant: str | None) -> str | None:
    if grant is None:
        return None
    from oauth2cli.core.grants import short_name

    return short_name(grant)


# -- list ----------------------------------------------------------------------

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


@profile.command(name="list", short_help="List the profiles.")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
def list_(as_json: bool) -> None:
    """List the profiles: a table on a terminal, tab-separated when piped, JSON with --json.

    \b
    Examples:
      $ oauth2 profile list
      $ oauth2 profile list --json | jq -r '.[].name'
    """
    run_list(as_json, render.deps_of())


# -- show ----------------------------------------------------------------------

def run_show(name: str, as_json: bool, deps) -> None:
    from oauth2cli.flows.profiles import describe

    info = describe(name, deps)
    if as_json:
        render.json_data(info)
        return
    lines = [f"profile {name}" + (" (default)" if info["default"] else "") + f" in {info['config']}"]
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


@profile.command(short_help="Show a profile, secrets masked.")
@click.argument("name", type=PROFILE)
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
def show(name: str, as_json: bool) -> None:
    """Show the settings of NAME and where each comes from (profile, preset, default);
    secrets and tokens are masked.

    \b
    Examples:
      $ oauth2 profile show work
    """
    run_show(name, as_json, render.deps_of())


# -- set / unset / secret ------------------------------------------------------

@profile.command(name="set", short_help="Set one setting of a profile.")
@click.argument("name", type=PROFILE)
@click.argument("key")
@click.argument("value")
def set_(name: str, key: str, value: str) -> None:
    """Set KEY of profile NAME to VALUE (config.toml names or flag names: scope, token-url, ...).

    Lists take space- or comma-separated items; parameters take KEY=VALUE items.

    \b
    Examples:
      $ oauth2 profile set work scope "openid email offline_access"
      $ oauth2 profile set work token-url https://id.example.com/oauth/token
      $ oauth2 profile set corp tenant contoso.com
    """
    from oauth2cli.flows.profiles import set_key

    deps = render.deps_of()
    key = set_key(name, key, value, deps)
    render.say(f"oauth2: {name}: {key} set")


@profile.command(short_help="Remove one setting of a profile.")
@click.argument("name", type=PROFILE)
@click.argument("key")
def unset(name: str, key: str) -> None:
    """Remove KEY from profile NAME (the preset's value or the default applies again).

    \b
    Examples:
      $ oauth2 profile unset work audience
    """
    from oauth2cli.flows.profiles import set_key

    deps = render.deps_of()
    key = set_key(name, key, None, deps)
    render.say(f"oauth2: {name}: {key} removed")


@profile.command(short_help="Store or delete a profile's client secret.")
@click.argument("name", type=PROFILE)
@click.option("--client-secret-env", metavar="VAR", help="Read it from this environment variable.")
@click.option("--client-secret-file", metavar="PATH", type=click.Path(dir_okay=False), help="Read it from this file.")
@click.option("--delete", is_flag=True, help="Delete the stored client secret.")
def secret(name: str, client_secret_env: str | None, client_secret_file: str | None, delete: bool) -> None:
    """Store the client secret of NAME in the secret store, from a file, an environment
    variable (default OAUTH2_CLIENT_SECRET) or stdin — never from the command line.

    \b
    Examples:
      $ oauth2 profile secret work --client-secret-file ~/work.secret
      $ pass show work/oauth | oauth2 profile secret work
    """
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows.settings import client_secret

    deps = render.deps_of()
    deps.store.profile(name)
    if delete:
        deps.store.secrets.delete(name, "client_secret")
        render.say(f"oauth2: {name}: client secret deleted")
        return
    value = client_secret({"client_secret_env": client_secret_env, "client_secret_file": client_secret_file},
                          deps.environ)
    if value is None:
        if getattr(deps.stdin, "isatty", lambda: False)():
            value = click.prompt("Client secret", hide_input=True, err=True)
        else:
            value = deps.stdin.readline().rstrip("\r\n")
    if not value:
        raise ConfigError("no client secret given (file, environment variable or stdin)")
    deps.store.secrets.set(name, "client_secret", value)
    render.say(f"oauth2: {name}: client secret stored in {deps.store.secrets.name}")


# -- remove / rename / default ---------------------------------------------------

@profile.command(short_help="Remove a profile, its secrets and its tokens.")
@click.argument("name", type=PROFILE)
def remove(name: str) -> None:
    """Remove the profile NAME from config.toml, and its secrets and tokens from the store
    (tokens are not revoked; `oauth2 logout NAME` first does that).

    \b
    Examples:
      $ oauth2 logout work && oauth2 profile remove work
    """
    deps = render.deps_of()
    deps.store.remove_profile(name)
    render.say(f"oauth2: removed profile {name!r}, its secrets and its tokens")


@profile.command(short_help="Rename a profile.")
@click.argument("old", type=PROFILE)
@click.argument("new")
def rename(old: str, new: str) -> None:
    """Rename profile OLD to NEW; its secrets and tokens move with it.

    \b
    Examples:
      $ oauth2 profile rename work work-eu
    """
    deps = render.deps_of()
    deps.store.rename_profile(old, new)
    render.say(f"oauth2: renamed profile {old!r} to {new!r}")


@profile.command(short_help="Show or set the default profile.")
@click.argument("name", required=False, type=PROFILE)
def default(name: str | None) -> None:
    """Make NAME the profile used when a command names none; without NAME, print the default.

    \b
    Examples:
      $ oauth2 profile default work
    """
    deps = render.deps_of()
    if name is None:
        current = deps.store.default_profile
        if current is None:
            from oauth2cli.core.errors import ConfigError

            raise ConfigError("no default profile", hint="set one with `oauth2 profile default NAME`")
        render.data(current)
        return
    deps.store.set_default(name)
    render.say(f"oauth2: {name!r} is the default profile")

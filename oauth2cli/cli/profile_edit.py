"""Changing profiles: `set`, `unset`, `secret`, `remove`, `rename` and `default`."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.params import PROFILE


@click.command(name="set", short_help="Set one setting of a profile.")
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


@click.command(short_help="Remove one setting of a profile.")
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


@click.command(short_help="Store or delete a profile's client secret.")
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


@click.command(short_help="Remove a profile, its secrets and its tokens.")
@click.argument("name", type=PROFILE)
@click.option("--keep-registration", is_flag=True,
              help="A client registered with --register stays registered at the server (no RFC 7592 DELETE).")
def remove(name: str, keep_registration: bool) -> None:
    """Remove the profile NAME from config.toml, and its secrets and tokens from the store
    (tokens are not revoked; `oauth2 logout NAME` first does that). A client that
    `profile add --register` made is de-registered at the server first (RFC 7592),
    unless --keep-registration.

    \b
    Examples:
      $ oauth2 logout work && oauth2 profile remove work
      $ oauth2 profile remove mcp --keep-registration
    """
    deps = render.deps_of()
    if not keep_registration:
        _deregister(name, deps)
    deps.store.remove_profile(name)
    render.say(f"oauth2: removed profile {name!r}, its secrets and its tokens")


def _deregister(name: str, deps) -> None:
    """RFC 7592 §2.3 before the profile goes (issue #20); a failure keeps the profile and says how to skip it."""
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.flows.registration import deregister

    try:
        said = deregister(name, deps)
    except OAuth2CliError as exc:
        exc.hint = exc.hint or (f"the profile is kept; `oauth2 profile remove {name} --keep-registration` "
                                "removes it and leaves the client registered")
        raise
    if said:
        render.say(f"oauth2: {name}: {said}")


@click.command(short_help="Rename a profile.")
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


@click.command(short_help="Show or set the default profile.")
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

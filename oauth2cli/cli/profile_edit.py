"""Changing profiles: `set`, `unset`, `secret`, `remove`, `rename` and `default`."""

from __future__ import annotations

import click

from oauth2cli.cli import render


def set_(name: str, key: str, value: str) -> None:
    from oauth2cli.flows.profiles import set_key

    deps = render.deps_of()
    key = set_key(name, key, value, deps)
    render.say(f"oauth2: {name}: {key} set")


def unset(name: str, key: str) -> None:
    from oauth2cli.flows.profiles import set_key

    deps = render.deps_of()
    key = set_key(name, key, None, deps)
    render.say(f"oauth2: {name}: {key} removed")


def secret(name: str, client_secret_env: str | None, client_secret_file: str | None, delete: bool) -> None:
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


def remove(name: str, keep_registration: bool) -> None:
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


def rename(old: str, new: str) -> None:
    deps = render.deps_of()
    deps.store.rename_profile(old, new)
    render.say(f"oauth2: renamed profile {old!r} to {new!r}")


def default(name: str | None) -> None:
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

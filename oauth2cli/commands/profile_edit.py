"""Changing profiles: `set`, `unset`, `secret`, `remove`, `rename` and `default`."""

from __future__ import annotations

from oauth2cli.commands import output


def set_(opts, deps) -> int:
    from oauth2cli.flows.profiles.profiles import set_key

    key = set_key(opts.name, opts.key, opts.value, deps)
    output.say(deps, f"oauth2: {opts.name}: {key} set")
    return 0


def unset(opts, deps) -> int:
    from oauth2cli.flows.profiles.profiles import set_key

    key = set_key(opts.name, opts.key, None, deps)
    output.say(deps, f"oauth2: {opts.name}: {key} removed")
    return 0


def secret(opts, deps) -> int:
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows.settings import client_secret

    name = opts.name
    deps.store.profile(name)
    if opts.delete:
        deps.store.secrets.delete(name, "client_secret")
        output.say(deps, f"oauth2: {name}: client secret deleted")
        return 0
    value = client_secret({"client_secret_env": opts.client_secret_env, "client_secret_file": opts.client_secret_file},
                          deps.environ)
    if value is None:
        if getattr(deps.stdin, "isatty", lambda: False)():
            import click  # only on an interactive terminal: its hidden prompt

            value = click.prompt("Client secret", hide_input=True, err=True)
        else:
            value = deps.stdin.readline().rstrip("\r\n")
    if not value:
        raise ConfigError("no client secret given (file, environment variable or stdin)")
    deps.store.secrets.set(name, "client_secret", value)
    output.say(deps, f"oauth2: {name}: client secret stored in {deps.store.secrets.name}")
    return 0


def remove(opts, deps) -> int:
    if not opts.keep_registration:
        _deregister(opts.name, deps)
    deps.store.remove_profile(opts.name)
    output.say(deps, f"oauth2: removed profile {opts.name!r}, its secrets and its tokens")
    return 0


def _deregister(name: str, deps) -> None:
    """RFC 7592 §2.3 before the profile goes (issue #20); a failure keeps the profile and says how to skip it."""
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.flows.profiles.registration import deregister

    try:
        said = deregister(name, deps)
    except OAuth2CliError as exc:
        exc.hint = exc.hint or (f"the profile is kept; `oauth2 profile remove {name} --keep-registration` "
                                "removes it and leaves the client registered")
        raise
    if said:
        output.say(deps, f"oauth2: {name}: {said}")


def rename(opts, deps) -> int:
    deps.store.rename_profile(opts.old, opts.new)
    output.say(deps, f"oauth2: renamed profile {opts.old!r} to {opts.new!r}")
    return 0


def default(opts, deps) -> int:
    name = opts.name
    if name is None:
        current = deps.store.default_profile
        if current is None:
            from oauth2cli.core.errors import ConfigError

            raise ConfigError("no default profile", hint="set one with `oauth2 profile default NAME`")
        output.data(deps, current)
        return 0
    deps.store.set_default(name)
    output.say(deps, f"oauth2: {name!r} is the default profile")
    return 0

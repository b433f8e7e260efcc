"""click parameter types for OAuth values, with shell completion of their choices."""

from __future__ import annotations

from pathlib import Path

import click


# The built-ins of core.client_auth.BUILTIN_METHODS (not imported: startup stays light).
AUTH_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "none",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
    "client_secret_uri",
)


class GrantType(click.ParamType):
    name = "grant"

    def convert(self, value, param, ctx):
        from oauth2cli.cmdline.values import grant

        full = grant(value)
        if full is None:
            from oauth2cli.core.grants import GRANT_TYPES

            self.fail(f"unknown grant {value!r}; choose from {', '.join(GRANT_TYPES)} or a full URN", param, ctx)
        return full

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from oauth2cli.core.grants import GRANT_TYPES

        return [CompletionItem(g) for g in GRANT_TYPES if g.startswith(incomplete)]


class AuthMethodType(click.ParamType):
    """A built-in client authentication method, or a plug-in's name (checked when used)."""

    name = "method"

    def convert(self, value, param, ctx):
        from oauth2cli.cmdline.values import auth_method_name

        if not auth_method_name(value):
            self.fail(f"not a client authentication method name: {value!r}", param, ctx)
        return value

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(m) for m in AUTH_METHODS if m.startswith(incomplete)]


class KeyValue(click.ParamType):
    name = "key=value"

    def convert(self, value, param, ctx):
        from oauth2cli.cmdline.values import key_value

        pair = key_value(value)
        if pair is None:
            self.fail(f"expected KEY=VALUE, got {value!r}", param, ctx)
        return pair


GRANT = GrantType()
KEY_VALUE = KeyValue()
AUTH_METHOD = AuthMethodType()


class ProfileName(click.ParamType):
    """A profile name; TAB completes the names in config.toml (read with tomllib only)."""

    name = "profile"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from oauth2cli.store.config import load
        from oauth2cli.store.paths import config_file

        try:
            names = load(config_file()).profiles
        except Exception:
            return []
        return [CompletionItem(n) for n in sorted(names) if n.startswith(incomplete)]


PROFILE = ProfileName()


_PROVIDERS = Path(__file__).resolve().parent.parent / "providers"


def preset_names() -> list[str]:
    """The provider presets shipped in oauth2cli/providers/*.toml (none when the folder is absent)."""
    try:
        return sorted(p.stem for p in _PROVIDERS.glob("*.toml"))
    except OSError:
        return []


class PresetName(click.ParamType):
    """A provider preset; TAB completes the names of the TOML files in oauth2cli/providers/."""

    name = "preset"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in preset_names() if n.startswith(incomplete)]


PRESET = PresetName()
def read_secret(deps, what: str, *, value: str | None = None, env: str | None = None, path: str | None = None,
                prompt: str | None = None, stdin_default: bool = False) -> str | None:
    """A secret from VALUE ('-' reads stdin), an environment variable, a file, or a prompt.

    Secrets never need to be on the command line: argv is visible to every user of the machine.
    With none given: a hidden prompt on a terminal when `prompt` is set, else stdin when
    `stdin_default`, else None.
    """
    from oauth2cli.core.errors import ConfigError

    given = [name for name, v in (("value", value), ("env", env), ("file", path)) if v]
    if len(given) > 1:
        raise ConfigError(f"give the {what} one way only (argument, variable or file)")
    if env:
        secret = deps.environ.get(env)
        if not secret:
            raise ConfigError(f"the {what} variable {env} is not set or is empty")
        return secret
    if path:
        from oauth2cli.flows.settings import read_secret_file

        return read_secret_file(path, what)
    if value and value != "-":
        # Issue #10: argv is visible to every user of the machine (ps, /proc); say so, once per value.
        deps.stderr.write(f"oauth2: warning: the {what} on the command line is visible to other users "
                          f"of this machine; pass - to read it from stdin, or use a variable or a file\n")
        return value
    stdin = deps.stdin
    if value is None and prompt and getattr(stdin, "isatty", lambda: False)():
        secret = click.prompt(prompt, hide_input=True, err=True)
    elif value == "-" or stdin_default or prompt:
        if getattr(stdin, "isatty", lambda: False)() and value == "-":
            deps.stderr.write(f"oauth2: reading the {what} from stdin (end with Enter)\n")
        secret = (stdin.readline() or "").rstrip("\r\n")
    else:
        return None
    if not secret:
        raise ConfigError(f"no {what} given (empty input)")
    return secret

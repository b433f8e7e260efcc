"""click parameter types for OAuth values, with shell completion of their choices."""

from __future__ import annotations

from pathlib import Path

import click

from oauth2cli.flows.grants.secret_input import read_secret  # noqa: F401 (cli/ reads it here)


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
            from oauth2cli.core.grants import names

            self.fail(f"unknown grant {value!r}; choose from {', '.join(names())} or a full URN", param, ctx)
        return full

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from oauth2cli.core.grants import names

        return [CompletionItem(g) for g in names() if g.startswith(incomplete)]


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

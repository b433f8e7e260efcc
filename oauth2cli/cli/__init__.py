"""The `oauth2` command: its table of commands here, without click, so that TAB completion
(cli/tab.py) and the root help can read it cheaply; the click group is in cli/root.py and
every command module loads on demand."""

from __future__ import annotations

import os
import sys

# name -> module under oauth2cli.cli that defines a click command of the same name
COMMANDS = {
    "authorize": "authorize",
    "token": "token",
    "refresh": "refresh",
    "revoke": "revoke",
    "introspect": "introspect",
    "call": "call",
    "assertion": "assertion",
    "userinfo": "userinfo",
    "discover": "discover",
    "decode": "decode",
    "profile": "profile",
    "status": "status",
    "logout": "logout",
    "completion": "completion",
    "git-credential": "git_credential",
    "setup-git": "setup_git",
    "kube-credential": "kube_credential",
    "exec": "exec",
}
ALIASES = {"login": "authorize"}
# Kept equal to each command's short_help by tests/cli/test_tree.py.
SHORT_HELP = {
    "authorize": "Log in through the browser: authorization code with PKCE via a loopback redirect.",
    "token": "Print a valid access token (refreshing or re-fetching it when needed).",
    "refresh": "Force a refresh_token grant and save the new tokens.",
    "revoke": "Revoke a token (RFC 7009).",
    "introspect": "Ask the server about a token (RFC 7662); JSON on stdout.",
    "call": "Make an authenticated HTTP request, like curl, with a token that refreshes itself.",
    "assertion": "Get a token with a signed JWT assertion (RFC 7523), e.g. a service account.",
    "userinfo": "Print the OpenID Connect userinfo of a profile as JSON.",
    "discover": "Print an authorization server's metadata (RFC 8414, then OpenID discovery).",
    "decode": "Decode a JWT (header and claims as JSON), optionally verifying it.",
    "profile": "Add, list, show, change and remove profiles.",
    "status": "Show every profile: logged in or not, expiry, scopes, store backend.",
    "logout": "Revoke and forget the tokens of a profile.",
    "completion": "Print the shell completion script for bash, zsh or fish.",
    "git-credential": "git's credential helper: a profile's access token as the password.",
    "setup-git": "Make git use a profile's token for a host (credential helper set-up).",
    "kube-credential": "kubectl's exec credential plugin: an ExecCredential with the profile's token.",
    "exec": "Run a command with a valid access token in its environment.",
}


def __getattr__(name: str):
    # `from oauth2cli.cli import cli` loads click and the group only when asked for.
    if name == "cli":
        from oauth2cli.cli.root import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    from oauth2cli.cli.errors import run
    from oauth2cli.cli.root import cli

    sys.exit(run(cli, argv, debug=os.environ.get("OAUTH2CLI_DEBUG", "") not in ("", "0")))

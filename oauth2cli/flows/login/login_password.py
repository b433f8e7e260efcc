"""The resource owner password grant, asked for by name only (RFC 6749 §4.3; RFC 9700 §2.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.login.login_common import LoginChoices



def password_login(settings: ClientSettings, deps: Deps, choices: LoginChoices) -> TokenSet:
    # the one deprecation warning is the grant's own (flows/exchange/token.password_grant), said once
    username = choices.username
    interactive = bool(getattr(deps.stdin, "isatty", lambda: False)())
    if not username:
        deps.stderr.write("Username: ")
        deps.stderr.flush()
        username = deps.stdin.readline().rstrip("\r\n")
    if not username:
        raise ConfigError("no username given", hint="give --username NAME")
    if interactive:
        import getpass

        password = getpass.getpass("Password: ", stream=deps.stderr)
    else:
        # a pipe: the password is the next line (never on the command line)
        password = deps.stdin.readline().rstrip("\r\n")
    if not password:
        raise ConfigError("no password given", hint="type it at the prompt, or pipe it on stdin")
    from oauth2cli.flows.exchange import token as token_flow

    grant = getattr(token_flow, "password_grant", None)
    if grant is None:
        from oauth2cli.core.errors import NotImplementedYet

        raise NotImplementedYet("the password grant (oauth2 token --grant password)")
    return grant(settings, deps, username, password)

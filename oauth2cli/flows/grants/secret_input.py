"""A secret a command reads for one run (a password, a refresh token, a code, a token to
exchange): from a value ('-' reads stdin), an environment variable, a file, or a hidden prompt.

Secrets never need to be on the command line: argv is visible to every user of the machine.
"""

from __future__ import annotations


def read_secret(deps, what: str, *, value: str | None = None, env: str | None = None, path: str | None = None,
                prompt: str | None = None, stdin_default: bool = False) -> str | None:
    """The secret, or None when none was given and there is nothing to ask.

    With none given: a hidden prompt on a terminal when `prompt` is set, else stdin when
    `stdin_default` (or `prompt`), else None.
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
        secret = hidden_prompt(deps, prompt)
    elif value == "-" or stdin_default or prompt:
        if getattr(stdin, "isatty", lambda: False)() and value == "-":
            deps.stderr.write(f"oauth2: reading the {what} from stdin (end with Enter)\n")
        secret = (stdin.readline() or "").rstrip("\r\n")
    else:
        return None
    if not secret:
        raise ConfigError(f"no {what} given (empty input)")
    return secret


def hidden_prompt(deps, prompt: str) -> str:
    """`PROMPT: ` on stderr and a line typed without echo; asked again while it is empty."""
    import getpass

    while True:
        deps.stderr.write(f"{prompt}:")
        deps.stderr.flush()
        answer = getpass.getpass(" ")
        if answer:
            return answer

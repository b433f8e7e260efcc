"""What the helpers other programs run (git-credential, kube-credential, exec) read: how a login
they need reaches the person, and git's credential lines on stdin."""

from __future__ import annotations


def helper_choices(opts):
    from oauth2cli.flows.helpers.helper import HelperChoices

    return HelperChoices(method=opts.method or "auto", browser_timeout=opts.browser_timeout)


def read_stdin_bytes(deps) -> bytes:
    """All of stdin, as bytes (git's credential lines need not be UTF-8 to be read)."""
    from oauth2cli.core.gitcred import MAX_INPUT

    stream = getattr(deps.stdin, "buffer", None)
    if stream is not None:
        return stream.read(MAX_INPUT + 1)
    text = deps.stdin.read(MAX_INPUT + 1)
    return text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text

"""Options of the commands other programs run (git-credential, kube-credential, exec): how a
login they need reaches the person."""

from __future__ import annotations






def helper_choices(method: str | None, browser_timeout: float):
    from oauth2cli.flows.helper import HelperChoices

    return HelperChoices(method=method or "auto", browser_timeout=browser_timeout)


def read_stdin_bytes(deps) -> bytes:
    """All of stdin, as bytes (git's credential lines need not be UTF-8 to be read)."""
    from oauth2cli.core.gitcred import MAX_INPUT

    stream = getattr(deps.stdin, "buffer", None)
    if stream is not None:
        return stream.read(MAX_INPUT + 1)
    text = deps.stdin.read(MAX_INPUT + 1)
    return text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text


__all__: list[str] = ["login_wait_options", "helper_choices", "read_stdin_bytes"]

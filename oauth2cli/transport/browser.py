"""Opening the user's browser with Python's webbrowser, so that $BROWSER is honoured."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping


class _QuietSubprocess:
    """webbrowser's `subprocess`, but a launched browser's stdout is our stderr: what a browser
    or its launcher prints ("Opening in existing browser session.") must never land in our data
    (login -o json, git's credential answer, kubectl's ExecCredential)."""

    def __getattr__(self, name: str):
        import subprocess

        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):  # noqa: N802 (subprocess's name)
        import subprocess

        if kwargs.get("stdout") is None:
            kwargs["stdout"] = sys.stderr.fileno() if _has_fd(sys.stderr) else subprocess.DEVNULL
        return subprocess.Popen(*args, **kwargs)


def _has_fd(stream) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def open_browser(url: str) -> bool:
    """Open `url`; False when no browser could be started. May block (a text browser in $BROWSER)."""
    import webbrowser

    webbrowser.subprocess = _QuietSubprocess()  # type: ignore[attr-defined]
    try:
        return bool(webbrowser.open(url, new=1, autoraise=True))
    except Exception:  # noqa: BLE001 - webbrowser raises assorted errors for broken set-ups
        return False


def open_in_background(opener: Callable[[str], bool], url: str, on_failure: Callable[[], None]) -> threading.Thread:
    """Run `opener(url)` in its own daemon thread: a browser command that blocks until it exits
    (lynx, a test stand-in) must not hold up the listener or the wait."""

    def run() -> None:
        if not opener(url):
            on_failure()

    thread = threading.Thread(target=run, name="oauth2-browser", daemon=True)
    thread.start()
    return thread


def is_ssh(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY") or environ.get("SSH_CLIENT"))


def browser_available(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether opening a browser can reach the person at this terminal.

    An explicit $BROWSER always counts (a text browser works without a display). Otherwise
    on Linux/BSD a graphical session is needed, and not an SSH session (its browser would
    open on the remote machine, if at all).
    """
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if environ.get("BROWSER"):
        return True
    if is_ssh(environ):
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))

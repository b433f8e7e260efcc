"""Opening the user's browser with Python's webbrowser, so that $BROWSER is honoured."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping


def open_browser(url: str) -> bool:
    """Open `url`; False when no browser could be started. May block (a text browser in $BROWSER)."""
    import webbrowser

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

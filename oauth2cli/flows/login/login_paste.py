"""Reading the address the browser ended at, pasted by the person (over SSH, or with --manual)."""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.authorization import CallbackCheck, CallbackIgnored, check_redirect_url
from oauth2cli.core.errors import LoginRequired, OAuth2CliError
from oauth2cli.flows.login.login_text import say, warn

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def check_pasted(check: CallbackCheck, line: str, redirect_uri: str, unwrap=None):
    """A pasted redirect URL, checked; with JARM (`unwrap`) its `response` JWT is verified first."""
    if unwrap is None:
        return check_redirect_url(check, line, redirect_uri)
    from urllib.parse import urlunsplit

    parts = urlsplit(line.strip())
    plain = unwrap(parts.fragment or parts.query)  # CallbackIgnored when it is not this login's
    inside = (plain, "") if check.response_type == "code" else ("", plain)
    return check_redirect_url(check, urlunsplit((parts.scheme, parts.netloc, parts.path, *inside)), redirect_uri)


def read_pasted(deps: Deps, check: CallbackCheck, redirect_uri: str, offer, *, keep_listening: bool,
                unwrap=None) -> None:
    """Read redirect URLs from stdin in a thread until one is valid; wrong ones are explained and ignored."""

    def run() -> None:
        while True:
            say(deps, "Paste the full address the browser was sent to (the page may fail to load), then Enter:")
            try:
                line = deps.stdin.readline()
            except (OSError, ValueError):
                line = ""
            if not line:
                if not keep_listening:
                    offer(LoginRequired("no redirect URL was pasted (end of input)",
                                        hint="paste the whole address from the browser's address bar"))
                return
            if not line.strip():
                continue
            try:
                outcome: Any = check_pasted(check, line, redirect_uri, unwrap)
            except CallbackIgnored as exc:
                warn(deps, f"not the answer to this login: {exc.reason}")
                continue
            except OAuth2CliError as exc:
                outcome = exc
            offer(outcome)
            return

    threading.Thread(target=run, name="oauth2-paste", daemon=True).start()


class Pasted:
    def __init__(self) -> None:
        self.results: queue.Queue = queue.Queue()
        self.taken = False

    def offer(self, outcome) -> bool:
        if self.taken:
            return False
        self.taken = True
        self.results.put(outcome)
        return True

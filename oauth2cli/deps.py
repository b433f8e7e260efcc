"""The dependencies of one run, built once and lazily; tests replace any of them."""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # typing costs ~5 ms to import, and `oauth2 call` is run in loops
if TYPE_CHECKING:
    from collections.abc import Callable, MutableMapping
    from typing import IO, Any

    from oauth2cli.transport.client import Client as HttpClient
    from oauth2cli.transport.options import TransportOptions


class Deps:
    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        environ: MutableMapping[str, str] | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        http_factory: Callable[[TransportOptions], HttpClient] | None = None,
        store: Any = None,
        browser: Callable[[str], bool] | None = None,
    ) -> None:
        self.clock = clock or time.time
        self.environ = environ if environ is not None else os.environ
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._http_factory = http_factory
        self._http_clients: dict[Any, HttpClient] = {}
        self._store = store
        self._browser = browser
        self.verbose = 0
        self.reveal_secrets = False
        self.color: bool | None = None  # None: decide from the terminal and NO_COLOR
        self.store_choice: str | None = None

    # -- network -------------------------------------------------------
    def http(self, options: TransportOptions) -> HttpClient:
        """The run's client for these options: transport/client.Client (wire, httpx where wire
        cannot), its -v observer the same on either stack."""
        key = (options.timeout, options.cacert, options.insecure, options.cert, options.key, options.allow_http)
        if key not in self._http_clients:
            if self._http_factory is not None:
                self._http_clients[key] = self._http_factory(options)
            else:
                from oauth2cli.transport.client import Client

                self._http_clients[key] = Client(options, observer=self._observer(), environ=self.environ)
        return self._http_clients[key]

    def _observer(self):
        if not self.verbose:
            return None
        from oauth2cli.transport.trace import Tracer

        return Tracer(self.stderr, verbose=self.verbose, reveal=self.reveal_secrets)

    def close(self) -> None:
        for client in self._http_clients.values():
            client.close()

    # -- terminal ------------------------------------------------------
    def use_color(self, stream: IO[str]) -> bool:
        if self.color is not None:
            return self.color
        if "NO_COLOR" in self.environ or self.environ.get("TERM") == "dumb":
            return False
        return bool(getattr(stream, "isatty", lambda: False)())

    # -- store and browser (filled in by their own modules) ----------------
    def given_store(self):
        """The store to read through when it is not the one the environment names (a test's own, or
        --store's): the lean readers (store/view.py) then go through it; None lets them read directly."""
        if self._store is not None or self.store_choice not in (None, self.environ.get("OAUTH2CLI_STORE")):
            return self.store
        return None

    @property
    def store(self) -> Any:
        if self._store is None:
            from oauth2cli.store import open_store

            self._store = open_store(self)
        return self._store

    @property
    def browser(self) -> Callable[[str], bool]:
        if self._browser is None:
            from oauth2cli.transport.browser import open_browser

            self._browser = open_browser
        return self._browser

    @browser.setter
    def browser(self, opener: Callable[[str], bool]) -> None:
        self._browser = opener

"""Shared fixtures: environment isolation, the real OpenID Provider, the stand-in browser.

Helpers live in tests/support; this file only wires them into pytest.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) from anywhere
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.provider import Provider  # noqa: E402
BROWSER_SCRIPT = REPO_ROOT / "tests" / "support" / "browser.py"
KEYRING_BACKEND = "tests.support.memkeyring.FileBackedTestKeyring"

_DROPPED_ENV = ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY")


@pytest.fixture(autouse=True)
def isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own HOME/XDG dirs, a file-backed keyring and a clean environment."""
    root = tmp_path / "isolated"
    for name in list(os.environ):
        if name.startswith(("OAUTH2_", "OAUTH2CLI_", "STANDIN_")):
            monkeypatch.delenv(name, raising=False)
    for name in _DROPPED_ENV:
        monkeypatch.delenv(name, raising=False)

    dirs = {
        "HOME": root / "home",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_DATA_HOME": root / "data",
        "XDG_STATE_HOME": root / "state",
        "XDG_CACHE_HOME": root / "cache",
    }
    for var, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", KEYRING_BACKEND)
    keyring_file = root / "keyring.json"
    monkeypatch.setenv("OAUTH2CLI_TEST_KEYRING_FILE", str(keyring_file))

    pythonpath = os.environ.get("PYTHONPATH")
    parts = [str(REPO_ROOT)] + ([pythonpath] if pythonpath else [])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(parts))

    # In-process code must not reach the real OS keyring either.
    try:
        import keyring.core

        from tests.support.memkeyring import FileBackedTestKeyring
    except ImportError:  # pragma: no cover - keyring is a runtime dependency
        pass
    else:
        monkeypatch.setattr(keyring.core, "_keyring_backend", FileBackedTestKeyring(), raising=False)
    return root


@pytest.fixture(scope="session")
def provider(tmp_path_factory: pytest.TempPathFactory):
    """One real oidc-provider for the whole session (see tests/support/provider.py)."""
    instance = Provider(tmp_path_factory.mktemp("provider")).start()
    try:
        yield instance
    finally:
        instance.stop()


class StandinBrowser:
    """What the ``standin_browser`` fixture returns."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log_path: Path) -> None:
        self._monkeypatch = monkeypatch
        self.log_path = log_path
        self.script = BROWSER_SCRIPT
        self._base = f"{shlex.quote(sys.executable)} {shlex.quote(str(BROWSER_SCRIPT))} %s"
        self.background()

    def background(self) -> None:
        """$BROWSER returns at once, as with a desktop browser (the default)."""
        self.command = self._base + " &"
        self._monkeypatch.setenv("BROWSER", self.command)

    def foreground(self) -> None:
        """$BROWSER blocks until the stand-in is done, as with a terminal browser."""
        self.command = self._base
        self._monkeypatch.setenv("BROWSER", self.command)

    def configure(
        self,
        *,
        login: str | None = None,
        action: str | None = None,
        delay: float | None = None,
        extra_callback: str | None = None,
        user_code: str | None = None,
    ) -> None:
        """Set the STANDIN_* knobs for browsers started after this call."""
        knobs = {
            "STANDIN_LOGIN": login,
            "STANDIN_ACTION": action,
            "STANDIN_DELAY": None if delay is None else str(delay),
            "STANDIN_EXTRA_CALLBACK": extra_callback,
            "STANDIN_USER_CODE": user_code,
        }
        for var, value in knobs.items():
            if value is not None:
                self._monkeypatch.setenv(var, value)

    def visits(self) -> list[dict]:
        """One dict per line the stand-in logged: {"url", "status", "body", ...}."""
        try:
            text = self.log_path.read_text("utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def standin_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StandinBrowser:
    """Point $BROWSER at tests/support/browser.py (run by this interpreter), logging visits."""
    log_path = tmp_path / "standin-browser.jsonl"
    monkeypatch.setenv("STANDIN_LOG", str(log_path))
    return StandinBrowser(monkeypatch, log_path)

"""The tmux pane the terminal tests look at: a real terminal running this checkout's `oauth2`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.shim import oauth2_bin, path_with
from tests.support.tmux import TmuxPane


@pytest.fixture
def pane(isolate: Path, tmp_path: Path):
    env = {"PATH": path_with(oauth2_bin(tmp_path / "bin"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME", "PYTHONPATH",
                 "PYTHON_KEYRING_BACKEND", "OAUTH2CLI_TEST_KEYRING_FILE"):
        env[name] = os.environ[name]
    with TmuxPane(env=env, width=100, height=50) as p:
        yield p

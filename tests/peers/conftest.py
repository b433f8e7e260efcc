"""One server of each kind per session, started on first use; skipped with one line naming what
to install where this machine lacks Java, Maven or Go. Every test here runs `oauth2` with the
file store, in the throwaway HOME that tests/conftest.py's `isolate` gives it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.conftest import oauth2_on_path  # noqa: F401 - kubectl finds `oauth2` on PATH
from tests.peers import cache


def _keycloak():
    from tests.peers.keycloak import Keycloak
    return Keycloak


def _hydra():
    from tests.peers.hydra import Hydra
    return Hydra


def _dex():
    from tests.peers.dex import Dex
    return Dex


FACTORIES = {"keycloak": _keycloak, "hydra": _hydra, "dex": _dex}


def _started(name: str, tmp_path_factory):
    attach = os.environ.get("OAUTH2CLI_PEERS_ATTACH")
    factory = FACTORIES[name]()
    if attach and (Path(attach) / "attach.json").is_file():
        saved = json.loads((Path(attach) / "attach.json").read_text())
        if saved["name"] == name:
            server = factory.attached(saved["state"])
            server.stop = lambda: None
            return server
    try:
        return factory(tmp_path_factory.mktemp(name)).start()
    except cache.Missing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def keycloak(tmp_path_factory):
    server = _started("keycloak", tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hydra(tmp_path_factory):
    server = _started("hydra", tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dex(tmp_path_factory):
    server = _started("dex", tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def file_store(isolate, monkeypatch):
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")

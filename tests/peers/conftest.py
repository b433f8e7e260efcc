"""One server of each kind per session, started on first use; skipped with one line naming what
to install where this machine lacks Java, Maven or Go. Every test here runs `oauth2` with the
file store, in the throwaway HOME that tests/conftest.py's `isolate` gives it."""

from __future__ import annotations

import pytest

from tests.peers import cache


def _started(factory, tmp_path_factory, name: str):
    try:
        server = factory(tmp_path_factory.mktemp(name))
        return server.start()
    except cache.Missing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def keycloak(tmp_path_factory):
    from tests.peers.keycloak import Keycloak

    server = _started(Keycloak, tmp_path_factory, "keycloak")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hydra(tmp_path_factory):
    from tests.peers.hydra import Hydra

    server = _started(Hydra, tmp_path_factory, "hydra")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dex(tmp_path_factory):
    from tests.peers.dex import Dex

    server = _started(Dex, tmp_path_factory, "dex")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def file_store(isolate, monkeypatch):
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")

"""Processes that need a profile's DPoP key for the first time at once end up with one key."""

from __future__ import annotations

import os
import subprocess
import sys

CREATE = """
import sys
from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.settings import ClientSettings
from oauth2cli.deps import Deps
from oauth2cli.flows.exchange.dpop import key_for
key = key_for(ClientSettings(client=ClientCredentials("c"), profile="work", dpop=True), Deps())
print(key.thumbprint())
"""


def test_racing_first_runs_share_one_key(monkeypatch):
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    procs = [subprocess.Popen([sys.executable, "-c", CREATE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ)) for _ in range(6)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len({out.strip() for out, _ in outputs}) == 1, outputs

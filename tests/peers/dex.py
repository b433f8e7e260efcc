"""Dex, built once from the Go module proxy into the peers cache, run with its in-memory storage,
the static-password connector (alice, password "password") and static clients, on a free
loopback port, from a config file written per session.

Dex's tags (v2.x) cannot be named to the Go tools (its go.mod says github.com/dexidp/dex, with
no /v2), so the version is the pseudo-version of the tag's commit: v2.45.1 is
v0.0.0-20260303133905-11d2eeb52b42.

    dx = Dex(workdir).start()
    dx.issuer                    # http://127.0.0.1:PORT/dex
    dx.secret("ci")              # a confidential static client's secret (made per session)
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from pathlib import Path

from tests.peers import cache
from tests.support.loopback_http import free_port

VERSION = os.environ.get("OAUTH2CLI_DEX_VERSION", "v0.0.0-20260303133905-11d2eeb52b42")
RELEASE = "v2.45.1"  # the tag whose commit VERSION names
MODULE = "github.com/dexidp/dex"
# bcrypt (cost 10) of the test password "password", typed by tests/support/browser.py
PASSWORD_HASH = "$2a$10$0VZIfGZKQGqAmdqvooM1GuS1tn9lelUpkeEYZfnm.i5Wi7cRV/.Yi"
GRANTS = ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code",
          "urn:ietf:params:oauth:grant-type:token-exchange", "password"]


def binary() -> Path:
    return cache.go_build("dex", MODULE, VERSION, f"{MODULE}/cmd/dex")


class Dex:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.version = RELEASE
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/dex"
        self.log = workdir / "dex.log"
        self._secrets = {"ci": secrets.token_urlsafe(24)}
        self._proc: subprocess.Popen | None = None

    def secret(self, client_id: str) -> str:
        return self._secrets[client_id]

    def config(self) -> dict:
        return {
            "issuer": self.issuer,
            "storage": {"type": "memory"},
            "web": {"http": f"127.0.0.1:{self.port}"},
            "logger": {"level": "debug", "format": "json"},
            "oauth2": {"skipApprovalScreen": True, "grantTypes": GRANTS, "passwordConnector": "local",
                       "responseTypes": ["code"]},
            "expiry": {"idTokens": "10m", "deviceRequests": "5m"},
            "enablePasswordDB": True,
            "staticPasswords": [{"email": "alice@example.test", "hash": PASSWORD_HASH, "username": "alice",
                                 "userID": "1d5ad8a1-7c0a-4c6e-9d8e-a11ce0000001"}],
            # no redirectURIs: Dex then takes any loopback redirect of a public client
            "staticClients": [
                {"id": "cli", "name": "oauth2cli", "public": True},
                {"id": "kube", "name": "kubectl", "public": True},
                {"id": "ci", "name": "CI job", "secretEnv": "DEX_CI_SECRET",
                 "redirectURIs": ["http://127.0.0.1:5555/callback"]},
            ],
        }

    def start(self) -> Dex:
        program = binary()
        config = self.workdir / "dex.json"  # YAML is a superset of JSON: Dex reads it as is
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(self.config(), fh, indent=1)
        env = {**os.environ, "DEX_CI_SECRET": self._secrets["ci"]}
        with open(self.log, "w") as out:
            self._proc = subprocess.Popen([str(program), "serve", str(config)], env=env, stdout=out,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True, cwd=self.workdir)
        try:
            cache.wait_for(f"{self.issuer}/.well-known/openid-configuration", self._proc, self.log, timeout=60)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._proc is not None:
            cache.stop(self._proc)

    def log_events(self) -> list[dict]:
        """Dex's JSON log lines: what it says it did (logins, token grants, errors)."""
        events = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    events.append(json.loads(line))
                except ValueError:
                    pass
        return events

"""Ory Hydra v2, built once with `go install`-style `go get -tool` from the Go module proxy into the
peers cache, run as `hydra serve all --dev` with the in-memory store (DSN=memory) on two free
loopback ports (public, admin), and the login-and-consent app Hydra requires: ours, in
tests/peers/hydra_app.py, with pages the stand-in browser fills in like a person.

    hy = Hydra(workdir).start()
    hy.issuer                          # http://127.0.0.1:PUBLIC/
    hy.admin("POST", "/clients", json={...})   # Hydra's admin API
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import httpx

from tests.peers import cache
from tests.support.loopback_http import free_port
from tests.peers.hydra_app import LoginConsentApp

VERSION = os.environ.get("OAUTH2CLI_HYDRA_VERSION", "v2.3.0")
MODULE = "github.com/ory/hydra/v2"


def binary() -> Path:
    # the in-memory store is SQLite's: built in only with these tags (and cgo)
    return cache.go_build("hydra", MODULE, VERSION, MODULE, tags="sqlite,sqlite_omit_load_extension")


class Hydra:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.version = VERSION
        self.public_port, self.admin_port = free_port(), free_port()
        self.issuer = f"http://127.0.0.1:{self.public_port}/"
        self.admin_url = f"http://127.0.0.1:{self.admin_port}/admin"
        self.log = workdir / "hydra.log"
        self.app: LoginConsentApp | None = None
        self._proc: subprocess.Popen | None = None

    def start(self) -> Hydra:
        program = binary()
        self.app = LoginConsentApp(f"http://127.0.0.1:{self.admin_port}").start()
        env = {
            **os.environ,
            "DSN": "memory",
            "SECRETS_SYSTEM": secrets.token_urlsafe(32),
            "URLS_SELF_ISSUER": self.issuer,
            "URLS_SELF_PUBLIC": self.issuer,
            "URLS_LOGIN": f"{self.app.base}/login",
            "URLS_CONSENT": f"{self.app.base}/consent",
            "URLS_LOGOUT": f"{self.app.base}/logout",
            "URLS_POST_LOGOUT_REDIRECT": f"{self.app.base}/logged-out",
            "SERVE_PUBLIC_HOST": "127.0.0.1",
            "SERVE_PUBLIC_PORT": str(self.public_port),
            "SERVE_ADMIN_HOST": "127.0.0.1",
            "SERVE_ADMIN_PORT": str(self.admin_port),
            "OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED": "true",
            # enabled is not announced: discovery names the endpoint only when told its URL
            "WEBFINGER_OIDC_DISCOVERY_CLIENT_REGISTRATION_URL": f"{self.issuer}oauth2/register",
            "OAUTH2_GRANT_JWT_IAT_OPTIONAL": "true",
            "LOG_LEVEL": "debug",
            "LOG_LEAK_SENSITIVE_VALUES": "false",
        }
        with open(self.log, "w") as out:
            self._proc = subprocess.Popen([str(program), "serve", "all", "--dev"], env=env, stdout=out,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True, cwd=self.workdir)
        try:
            cache.wait_for(f"{self.issuer}.well-known/openid-configuration", self._proc, self.log, timeout=60)
            cache.wait_for(f"http://127.0.0.1:{self.admin_port}/health/ready", self._proc, self.log, timeout=30)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._proc is not None:
            cache.stop(self._proc)
        if self.app is not None:
            self.app.stop()

    def admin(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.admin_url}{path}", timeout=30, **kwargs)

    def create_client(self, **fields) -> dict:
        """A client made through the admin API; its answer (with client_secret, if any)."""
        resp = self.admin("POST", "/clients", json=fields)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def introspect(self, token: str) -> dict:
        """What Hydra's admin port says of a token (RFC 7662, no client authentication there)."""
        return self.admin("POST", "/oauth2/introspect", data={"token": token}).json()

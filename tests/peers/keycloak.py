"""Keycloak from Maven Central (org.keycloak:keycloak-quarkus-dist, the server's zip), fetched once
per version with `mvn dependency:copy` into the peers cache and unpacked there; each session
runs a copy of it (`kc.sh start-dev` rewrites its own lib/quarkus) in development mode with the
in-memory embedded database, on a free loopback port, and imports tests/peers/keycloak-realm.json
through the admin API. The bootstrap admin's password is made per session and passed in the
environment only.

    kc = Keycloak(workdir).start()
    kc.issuer                       # http://127.0.0.1:PORT/realms/peers
    kc.admin("GET", "/clients")     # the realm's admin API, as the bootstrap admin
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import zipfile
from pathlib import Path

import httpx

from tests.peers import cache
from tests.support.loopback_http import free_port

VERSION = os.environ.get("OAUTH2CLI_KEYCLOAK_VERSION", "26.7.3")
REALM = "peers"
REALM_FILE = Path(__file__).with_name("keycloak-realm.json")
INSTALL = "needs Java >= 17 (Debian: openjdk-17-jre-headless) and Maven (Debian: maven) to fetch and run Keycloak"


def java_home() -> str | None:
    """The newest JDK >= 21 under /usr/lib/jvm (Keycloak's preferred runtime), else $JAVA_HOME, else
    None (then `java` on PATH)."""
    best: tuple[int, str] | None = None
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        for home in jvm.iterdir():
            release = home / "release"
            if not (home / "bin" / "java").exists() or not release.is_file():
                continue
            found = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
            if found and int(found.group(1)) >= 21 and (best is None or int(found.group(1)) > best[0]):
                best = (int(found.group(1)), str(home))
    return best[1] if best else os.environ.get("JAVA_HOME")


def distribution() -> Path:
    """ROOT/keycloak-VERSION, the unpacked server, fetched and unpacked once."""
    home = cache.root() / f"keycloak-{VERSION}"
    if (home / "bin" / "kc.sh").is_file():
        return home
    mvn = shutil.which("mvn")
    if not mvn or not (java_home() or shutil.which("java")):
        raise cache.Missing(INSTALL)
    with cache.locked("keycloak"):
        if (home / "bin" / "kc.sh").is_file():
            return home
        downloads = cache.root() / "downloads"
        archive = downloads / f"keycloak-quarkus-dist-{VERSION}.zip"
        log = cache.root() / f"keycloak-{VERSION}.log"
        if not archive.is_file():
            try:
                cache.run_logged([mvn, "-B", "dependency:copy",
                                  f"-Dartifact=org.keycloak:keycloak-quarkus-dist:{VERSION}:zip",
                                  f"-DoutputDirectory={downloads}"], log, timeout=900)
            except cache.PrepareFailed:
                if cache.refused(log):
                    raise cache.Missing(f"Maven could not fetch org.keycloak:keycloak-quarkus-dist:{VERSION} "
                                        f"(refused or unreachable; see {log})") from None
                raise
        partial = cache.root() / f"keycloak-{VERSION}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(partial)
        (top,) = partial.iterdir()  # keycloak-VERSION/
        for script in (top / "bin").glob("*.sh"):
            script.chmod(0o755)
        top.rename(home)
        partial.rmdir()
    return home


class Keycloak:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base}/realms/{REALM}"
        self.log = workdir / "keycloak.log"
        self.version = VERSION
        self._admin_password = secrets.token_urlsafe(24)
        self._proc: subprocess.Popen | None = None
        self._token: str | None = None

    def attach_state(self) -> dict:
        return {"workdir": str(self.workdir), "port": self.port, "admin_password": self._admin_password}

    @classmethod
    def attached(cls, state: dict) -> Keycloak:
        """The server `python -m tests.peers.serve keycloak DIR` keeps running."""
        server = cls(Path(state["workdir"]))
        server.port, server._admin_password = state["port"], state["admin_password"]
        server.base = f"http://127.0.0.1:{server.port}"
        server.issuer = f"{server.base}/realms/{REALM}"
        return server

    def start(self) -> Keycloak:
        home = self.workdir / "keycloak"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(distribution(), home, symlinks=True)
        env = {**os.environ, "KC_BOOTSTRAP_ADMIN_USERNAME": "admin",
               "KC_BOOTSTRAP_ADMIN_PASSWORD": self._admin_password}
        if java_home():
            env["JAVA_HOME"] = java_home()
        env.setdefault("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m")
        argv = [str(home / "bin" / "kc.sh"), "start-dev", "--db=dev-mem", f"--http-port={self.port}",
                "--http-host=127.0.0.1", "--hostname-strict=false",
                "--log-level=INFO,org.keycloak.events:DEBUG"]
        with open(self.log, "w") as out:
            self._proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            cache.wait_for(f"{self.base}/realms/master/.well-known/openid-configuration", self._proc,
                           self.log, timeout=900)
            self._import_realm()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._proc is not None:
            cache.stop(self._proc)
            # the session's copy of the server (~200 MB); its log stays beside it
            shutil.rmtree(self.workdir / "keycloak", ignore_errors=True)

    # -- the admin API ------------------------------------------------------------------------

    def _admin_token(self) -> str:
        resp = httpx.post(f"{self.base}/realms/master/protocol/openid-connect/token", data={
            "grant_type": "password", "client_id": "admin-cli", "username": "admin",
            "password": self._admin_password})
        resp.raise_for_status()
        return resp.json()["access_token"]

    def admin(self, method: str, path: str, **kwargs) -> httpx.Response:
        """A request to /admin/realms/peers{path}, retried once with a new admin token."""
        for attempt in (0, 1):
            if self._token is None or attempt:
                self._token = self._admin_token()
            resp = httpx.request(method, f"{self.base}/admin/realms/{REALM}{path}", timeout=30,
                                 headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
            if resp.status_code != 401:
                return resp
        return resp

    def _import_realm(self) -> None:
        self._token = self._admin_token()
        resp = httpx.post(f"{self.base}/admin/realms", json=json.loads(REALM_FILE.read_text()), timeout=60,
                          headers={"Authorization": f"Bearer {self._token}"})
        if resp.status_code != 201:
            raise cache.PrepareFailed(f"importing {REALM_FILE.name}: {resp.status_code} {resp.text[:500]}")

    def client(self, client_id: str) -> dict:
        (found,) = self.admin("GET", "/clients", params={"clientId": client_id}).json()
        return found

    def update_client(self, client_id: str, **changes) -> None:
        body = self.client(client_id)
        attributes = changes.pop("attributes", {})
        body.update(changes)
        body.setdefault("attributes", {}).update(attributes)
        resp = self.admin("PUT", f"/clients/{body['id']}", json=body)
        assert resp.status_code == 204, resp.text

    def new_secret(self, client_id: str) -> str:
        """A fresh client secret, made by Keycloak (never written to a file by the suite)."""
        uuid = self.client(client_id)["id"]
        resp = self.admin("POST", f"/clients/{uuid}/client-secret")
        resp.raise_for_status()
        return resp.json()["value"]

    def ci_secret(self) -> str:
        """The secret of the confidential client `ci`, made once per session."""
        if not hasattr(self, "_ci_secret"):
            self._ci_secret = self.new_secret("ci")
        return self._ci_secret

    def set_realm(self, **changes) -> None:
        body = self.admin("GET", "").json()
        body.update(changes)
        resp = self.admin("PUT", "", json=body)
        assert resp.status_code == 204, resp.text

    def sessions(self, client_id: str) -> list[dict]:
        """The user sessions Keycloak holds for the client, online and offline (offline_access):
        what a login, refresh or logout left."""
        uuid = self.client(client_id)["id"]
        return (self.admin("GET", f"/clients/{uuid}/user-sessions").json()
                + self.admin("GET", f"/clients/{uuid}/offline-sessions").json())

    def events(self, **params) -> list[dict]:
        return self.admin("GET", "/events", params=params).json()

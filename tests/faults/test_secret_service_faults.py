"""A real Secret Service (gnome-keyring on a private D-Bus bus of this test, so locking or
killing it touches nothing else) that is locked, or whose daemon was killed: the refresh is
refused before it is sent, in one line, and once the keyring is back the login works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults.conftest import add_profile, one_line, wait_until_expired
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.login import code_flow_tokens

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
PASSWORD = "oauth2cli-fault-test"
# No <servicedir>: a killed gnome-keyring is not started again behind the test's back.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir={tmp}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
"""


class PrivateSecretService:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "keyring-home"
        self.runtime = root / "runtime"
        self.home.mkdir(parents=True)
        self.runtime.mkdir(mode=0o700)
        config = root / "bus.conf"
        config.write_text(BUS_CONFIG.format(tmp=root))
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", str(config), "--nofork", "--print-address=1"],
                                    stdout=subprocess.PIPE, text=True)
        self.address = self.bus.stdout.readline().strip()
        self.daemon: subprocess.Popen | None = None
        self.start()

    def env(self) -> dict[str, str]:
        return {"DBUS_SESSION_BUS_ADDRESS": self.address, "XDG_RUNTIME_DIR": str(self.runtime)}

    def start(self) -> None:
        """gnome-keyring, its login collection unlocked with the test's password."""
        env = {**os.environ, **self.env(), "HOME": str(self.home)}
        self.daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=env)
        self.daemon.stdin.write(PASSWORD.encode())
        self.daemon.stdin.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with self.collection() as collection:
                    if not collection.is_locked():
                        return
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.05)
        raise RuntimeError("gnome-keyring did not come up on the private bus")

    def kill(self) -> None:
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGKILL)
            self.daemon.wait(10)

    def collection(self):
        import contextlib

        import secretstorage
        from jeepney.io.blocking import open_dbus_connection

        @contextlib.contextmanager
        def opened():
            connection = open_dbus_connection(self.address)
            try:
                yield secretstorage.get_default_collection(connection)
            finally:
                connection.close()

        return opened()

    def entry(self, username: str) -> bytes | None:
        with self.collection() as collection:
            for item in collection.search_items({"service": "oauth2cli", "username": username}):
                return item.get_secret()
        return None

    def stop(self) -> None:
        self.kill()
        if self.bus.poll() is None:
            self.bus.terminate()
            self.bus.wait(10)


def _reason() -> str | None:
    missing = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]
    return f"{' and '.join(missing)} not installed (Debian: dbus, gnome-keyring)" if missing else None


@pytest.fixture
def secret_service(tmp_path, monkeypatch):
    reason = _reason()
    if reason:
        pytest.skip(reason)
    service = PrivateSecretService(tmp_path / "ss")
    try:
        for name, value in service.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE)
        monkeypatch.setenv("OAUTH2CLI_STORE", "keyring")
        yield service
    finally:
        service.stop()


def logged_in(provider, proxy, name: str):
    """A real login's tokens saved in the private Secret Service through the store API."""
    from keyring.backends.SecretService import Keyring

    from oauth2cli.core.tokens import token_set_from_json
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store
    from oauth2cli.store.secrets import KeyringStore

    add_profile(provider, proxy, name)
    answer = code_flow_tokens(provider, "short-public")
    tokens = token_set_from_json(answer, answer["obtained_at"])
    Store(Deps(environ=dict(os.environ)), secrets=KeyringStore(Keyring())).save_tokens(name, tokens)
    return tokens


@pytest.mark.parametrize("fault", ["locked", "daemon killed"])
def test_an_unusable_secret_service_refuses_the_refresh_before_sending_it(provider, proxy, secret_service, fault):
    old = logged_in(provider, proxy, "ss")
    before = secret_service.entry("ss:tokens")
    assert before is not None
    wait_until_expired(old)
    if fault == "locked":
        with secret_service.collection() as collection:
            collection.lock()
    else:
        secret_service.kill()

    result = run_cli("token", "ss")

    line = one_line(result)
    assert result.code == 1 and result.stdout == "", result
    assert line.startswith("oauth2: error: no usable keyring: "), line
    assert ("KeyringLocked" in line) if fault == "locked" else ("Secret Service daemon is neither running" in line), line
    assert "unlock the keyring (or start its daemon)" in line, line
    assert proxy.requests_to("/token") == 0

    # The keyring back (restarted and unlocked): the entry is as it was, and the login works.
    secret_service.kill()
    secret_service.start()
    assert secret_service.entry("ss:tokens") == before
    again = run_cli("token", "ss")
    assert again.code == 0 and again.stdout.strip(), again
    assert_no_traceback(again)
    assert secret_service.entry("ss:tokens") != before

"""A service-account profile on a real Secret Service (gnome-keyring under scripts/test): the
private key is an entry of the keyring, and no byte of it is on disk — not in config.toml, not
in a fallback file under XDG_DATA_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.test_keyring_secret_service import REASON, REQUIRED, SECRET_SERVICE
from tests.support.cli import assert_no_traceback, run_cli

pytestmark = [pytest.mark.keyring, pytest.mark.skipif(REASON is not None and not REQUIRED, reason=REASON or "")]


@pytest.fixture
def secret_service(monkeypatch):
    if REASON is not None:
        pytest.fail(f"scripts/test started gnome-keyring, yet: {REASON}")
    from keyring.backends.SecretService import Keyring

    from oauth2cli.store.secrets import KINDS, SERVICE

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE)
    monkeypatch.setenv("OAUTH2CLI_STORE", "keyring")
    backend = Keyring()
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", backend, raising=False)  # this process too
    yield backend
    from tests.ci.conftest import store

    store().delete_secrets("sa-real")
    for kind in KINDS:
        try:
            backend.delete_password(SERVICE, f"sa-real:{kind}")
        except Exception:
            pass


def _files_under(*roots: str) -> list[Path]:
    return [p for root in roots for p in Path(root).rglob("*") if p.is_file()]


def test_the_key_lives_in_the_keyring_and_nowhere_on_disk(provider, tmp_path, secret_service):
    from oauth2cli.store.secrets import SERVICE

    sa = provider.trust.service_account_file(tmp_path, provider.endpoint("token"))
    added = run_cli("profile", "add", "sa-real", "--service-account", str(sa))
    assert added.code == 0, added
    assert_no_traceback(added)
    pem = provider.trust.sa_key.as_pem(private=True).decode()
    from tests.ci.conftest import store

    assert store().secrets.kind == "keyring"
    assert store().secrets.get("sa-real", "private_key") == pem  # through the store (it splits big values)
    assert secret_service.get_password(SERVICE, "sa-real:private_key")  # an entry of the real keyring
    sa.unlink()
    body = [line.encode() for line in pem.splitlines() if line and not line.startswith("-----")]
    for path in _files_under(os.environ["XDG_CONFIG_HOME"], os.environ["XDG_DATA_HOME"], os.environ["XDG_STATE_HOME"]):
        data = path.read_bytes()
        assert b"PRIVATE KEY" not in data and not any(line in data for line in body), path

    result = run_cli("token", "sa-real")
    assert result.code == 0, result
    assert provider.introspect(result.stdout.strip())["active"] is True

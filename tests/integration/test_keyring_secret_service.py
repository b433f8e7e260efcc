"""A real Secret Service (gnome-keyring in a private D-Bus session, see scripts/test):
secrets and a token set round-trip through it, and nothing lands on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import run_cli

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


def _secret_service_reason() -> str | None:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus (run the suite with scripts/test, which starts gnome-keyring)"
    try:
        from keyring.backends.SecretService import Keyring

        from oauth2cli.store.secrets import with_timeout

        with_timeout(lambda: Keyring().get_password("oauth2cli-test", "probe"), 5, "probing")
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"no unlocked Secret Service on the session bus: {type(exc).__name__}: {exc}"
    return None


REASON = _secret_service_reason()
# Inside scripts/test's keyring session a missing Secret Service is a failure, not a skip.
REQUIRED = os.environ.get("OAUTH2CLI_TEST_SESSION") == "keyring"
pytestmark = [pytest.mark.keyring, pytest.mark.skipif(REASON is not None and not REQUIRED, reason=REASON or "")]


@pytest.fixture(autouse=True)
def _required() -> None:
    if REASON is not None:
        pytest.fail(f"scripts/test started gnome-keyring, yet: {REASON}")


@pytest.fixture
def secret_service(monkeypatch):
    """The real backend for subprocesses (PYTHON_KEYRING_BACKEND) and for this process."""
    from keyring.backends.SecretService import Keyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE)
    backend = Keyring()
    yield backend
    from oauth2cli.store.secrets import KINDS, SERVICE

    for profile in ("real", "moved"):
        for kind in KINDS:
            try:
                backend.delete_password(SERVICE, f"{profile}:{kind}")
            except Exception:
                pass


def files_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_token_set_round_trips_through_the_secret_service_and_not_the_disk(secret_service, isolate, tmp_path):
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store
    from oauth2cli.store.secrets import SERVICE, KeyringStore

    added = run_cli("profile", "add", "real", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c",
                    env={"OAUTH2_CLIENT_SECRET": "real-client-secret"})
    assert added.code == 0, added
    assert "warning" not in added.stderr
    assert secret_service.get_password(SERVICE, "real:client_secret") == "real-client-secret"

    # A token set far over Windows' 2,560 bytes, as a long id_token makes it.
    tokens = TokenSet("real-access-token", expires_at=4_000_000_000.0, refresh_token="real-refresh-token",
                      scope="openid", id_token="eyJ" + "x" * 6000)
    store = Store(Deps(environ=dict(os.environ)), secrets=KeyringStore(secret_service))
    store.save_tokens("real", tokens)
    header = secret_service.get_password(SERVICE, "real:tokens")
    assert header.startswith("oauth2cli-chunked:v1:")

    # Another process reads it back through the real keyring.
    printed = run_cli("token", "real")
    assert (printed.code, printed.stdout) == (0, "real-access-token\n"), printed
    shown = json.loads(run_cli("profile", "show", "real", "--json").stdout)
    assert shown["tokens"]["source"].startswith("keyring (keyring.backends.SecretService")
    status = run_cli("status")
    assert "secrets and tokens: keyring (keyring.backends.SecretService.Keyring)" in status.stderr

    # Nothing secret was written to disk: not in config.toml, not in a file store.
    for path, data in files_under(isolate).items():
        for secret in (b"real-access-token", b"real-refresh-token", b"real-client-secret", b"xxxxxxxxxx"):
            assert secret not in data, f"{secret!r} found in {path}"
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli" / "secrets").exists()

    # Removing the profile removes every entry, chunks included.
    chunk_names = [f"real:tokens#{header.split(':')[2]}.{i}" for i in range(int(header.split(":")[3]))]
    assert all(secret_service.get_password(SERVICE, n) for n in chunk_names)
    removed = run_cli("profile", "remove", "real")
    assert removed.code == 0, removed
    for name in ["real:tokens", "real:client_secret", *chunk_names]:
        assert secret_service.get_password(SERVICE, name) is None, name


def test_rename_moves_entries_in_the_secret_service(secret_service):
    from oauth2cli.store.secrets import SERVICE

    assert run_cli("profile", "add", "real", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c",
                   env={"OAUTH2_CLIENT_SECRET": "s"}).code == 0
    assert run_cli("profile", "rename", "real", "moved").code == 0
    assert secret_service.get_password(SERVICE, "moved:client_secret") == "s"
    assert secret_service.get_password(SERVICE, "real:client_secret") is None


def test_a_cached_token_is_read_from_the_secret_service_without_keyring(monkeypatch, secret_service, isolate):
    """The fast path of `oauth2 token PROFILE` reads the entry keyring wrote, with secretstorage
    alone, once keyring's detection has chosen the Secret Service (remembered in the cache)."""
    import subprocess
    import sys
    import time

    from oauth2cli.core.tokens import TokenSet

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")  # let keyring detect, and the memo remember it
    monkeypatch.setenv("OAUTH2CLI_STORE", "keyring")
    config = isolate / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.real]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    # A token set long enough to be chunked, written through keyring by the full path's store, in a
    # process of its own: in this one, tests' keyring classes would make keyring pick its chainer.
    tokens = TokenSet("direct-" + "x" * 3000, expires_at=time.time() + 3600)
    save = ("import json, sys\nfrom oauth2cli.core.tokens import TokenSet\nfrom oauth2cli.deps import Deps\n"
            "Deps().store.save_tokens('real', TokenSet.from_dict(json.loads(sys.argv[1])))")
    subprocess.run([sys.executable, "-c", save, json.dumps(tokens.to_dict())], check=True, timeout=30)
    memo = isolate / "cache" / "oauth2cli" / "keyring-backend"
    assert memo.read_text().splitlines()[0] == SECRET_SERVICE

    probe = ("import sys, oauth2cli.entry\ntry:\n    oauth2cli.entry.main(['token', 'real'])\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write('KEYRING=' + str('keyring' in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    assert proc.stdout == tokens.access_token + "\n", proc.stderr
    assert proc.stderr.endswith("KEYRING=False"), proc.stderr

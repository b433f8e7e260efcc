"""No usable keyring: auto falls back to an announced 0600 file store; keyring refuses."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tests.support.cli import assert_no_traceback, run_cli

FAIL = "keyring.backends.fail.Keyring"
NULL = "keyring.backends.null.Keyring"
HUNG = "tests.store.hung_backend.HungKeyring"
ADD = ("profile", "add", "ci", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c")


def secrets_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli" / "secrets"


@pytest.mark.parametrize("backend", [FAIL, NULL], ids=["fail", "null"])
def test_auto_falls_back_to_a_private_file_and_says_so_once(backend):
    env = {"PYTHON_KEYRING_BACKEND": backend, "OAUTH2_CLIENT_SECRET": "s3cret"}
    first = run_cli(*ADD, env=env)
    assert first.code == 0, first
    warnings = [line for line in first.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "no usable keyring" in warnings[0] and str(secrets_dir()) in warnings[0]
    assert stat.S_IMODE(secrets_dir().stat().st_mode) == 0o700
    secret_file = secrets_dir() / "ci.json"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert "s3cret" in secret_file.read_text()
    assert not Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"]).exists()

    again = run_cli("profile", "show", "ci", env={"PYTHON_KEYRING_BACKEND": backend})
    assert again.code == 0, again
    assert "warning" not in again.stderr  # announced once; `status` keeps showing it
    assert "client_secret = ********    [file (" in again.stdout
    status = run_cli("status", env={"PYTHON_KEYRING_BACKEND": backend})
    assert f"secrets and tokens: file ({secrets_dir()}) — no usable keyring" in status.stderr


@pytest.mark.parametrize("how", ["flag", "env"])
def test_keyring_choice_fails_instead_of_falling_back(how):
    env = {"PYTHON_KEYRING_BACKEND": FAIL, "OAUTH2_CLIENT_SECRET": "s3cret"}
    argv = ADD
    if how == "flag":
        argv = ("--store", "keyring", *ADD)
    else:
        env["OAUTH2CLI_STORE"] = "keyring"
    result = run_cli(*argv, env=env)
    assert result.code == 1, result
    assert_no_traceback(result)
    assert result.stderr.strip().splitlines() == [
        "oauth2: error: no usable keyring: no keyring backend is available; "
        "--store keyring (or OAUTH2CLI_STORE=keyring) does not fall back to a file"]
    assert not (secrets_dir() / "ci.json").exists()


def test_file_choice_skips_the_keyring():
    result = run_cli("--store", "file", *ADD, env={"OAUTH2_CLIENT_SECRET": "s3cret"})
    assert result.code == 0, result
    assert "warning" not in result.stderr
    assert (secrets_dir() / "ci.json").exists()
    assert not Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"]).exists()


def test_a_hung_keyring_does_not_hang_the_tool():
    started = time.monotonic()
    result = run_cli(*ADD, env={"PYTHON_KEYRING_BACKEND": HUNG, "OAUTH2_CLIENT_SECRET": "s3cret"}, timeout=30)
    elapsed = time.monotonic() - started
    assert result.code == 0, result
    assert "the keyring did not answer within 5 s" in result.stderr
    assert elapsed < 15
    strict = run_cli("--store", "keyring", "status", env={"PYTHON_KEYRING_BACKEND": HUNG}, timeout=30)
    assert strict.code == 1 and "did not answer" in strict.stderr, strict


def test_secrets_from_the_fallback_stay_readable_once_a_keyring_appears():
    from tests.support.memkeyring import FileBackedTestKeyring

    made = run_cli(*ADD, "--grant", "client_credentials",
                   env={"PYTHON_KEYRING_BACKEND": FAIL, "OAUTH2_CLIENT_SECRET": "s3cret"})
    assert made.code == 0, made
    # Now a keyring is there (the test keyring): the old secret is still found...
    shown = run_cli("profile", "show", "ci")
    assert "client_secret = ********" in shown.stdout, shown
    # ...and the next write moves it into the keyring and out of the file.
    stored = run_cli("profile", "secret", "ci", env={"OAUTH2_CLIENT_SECRET": "n3w"})
    assert stored.code == 0, stored
    entries = FileBackedTestKeyring(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"]).entries()["oauth2cli"]
    assert entries == {"ci:client_secret": "n3w"}
    assert not (secrets_dir() / "ci.json").exists()

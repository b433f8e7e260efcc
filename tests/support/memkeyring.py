"""A file-backed keyring backend: a test double for the OS keyring.

Select it with ``PYTHON_KEYRING_BACKEND=tests.support.memkeyring.FileBackedTestKeyring``
and point ``OAUTH2CLI_TEST_KEYRING_FILE`` at a JSON file; every process of one test
(the test itself and the CLI it runs) then sees the same entries. The file holds
``{service: {username: password}}`` and is rewritten atomically (temp file + rename)
under an exclusive lock, so concurrent processes do not lose each other's writes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

ENV_VAR = "OAUTH2CLI_TEST_KEYRING_FILE"

Entries = dict[str, dict[str, str]]


class FileBackedTestKeyring(KeyringBackend):
    """Keyring backend keeping its entries in the JSON file named by $OAUTH2CLI_TEST_KEYRING_FILE."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self._fixed_path = Path(path) if path is not None else None

    @property
    def path(self) -> Path:
        if self._fixed_path is not None:
            return self._fixed_path
        value = os.environ.get(ENV_VAR)
        if not value:
            raise KeyringError(f"{ENV_VAR} is not set: FileBackedTestKeyring has nowhere to keep entries")
        return Path(value)

    # -- storage -----------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Path]:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = path.with_name(path.name + ".lock")
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield path
            return
        with open(lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield path
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _read(path: Path) -> Entries:
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        if not text.strip():
            return {}
        data = json.loads(text)
        if not isinstance(data, dict):
            raise KeyringError(f"{path} does not hold a JSON object")
        return data

    @staticmethod
    def _write(path: Path, entries: Entries) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entries, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def entries(self) -> Entries:
        """Everything stored (for assertions in tests)."""
        with self._locked() as path:
            return self._read(path)

    # -- KeyringBackend ----------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        with self._locked() as path:
            return self._read(path).get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._locked() as path:
            entries = self._read(path)
            entries.setdefault(service, {})[username] = password
            self._write(path, entries)

    def delete_password(self, service: str, username: str) -> None:
        with self._locked() as path:
            entries = self._read(path)
            users = entries.get(service, {})
            if username not in users:
                raise PasswordDeleteError(f"no password for {username!r} in {service!r}")
            del users[username]
            if not users:
                del entries[service]
            self._write(path, entries)

"""Secrets and tokens: the OS keyring, or an announced 0600 file store when there is none.

Entries are keyed by (profile, kind); kinds are "client_secret", "tokens", "dpop_key",
"private_key", "key_passphrase", "registration_access_token". The pieces live beside this module, by idea:
store.keyring_backend (finding a keyring), store.keyring_store (entries and chunks in it),
store.filestore (the 0600 file fallback); this module chooses between them, moves entries
from the file into a keyring that has appeared, and keeps the old names importable.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from oauth2cli.core.errors import StoreError

KINDS = ("client_secret", "tokens", "private_key", "key_passphrase", "dpop_key", "registration_access_token")

# Re-exported: these names were first defined here, and code and tests import them from here.
from oauth2cli.store.filestore import FileStore  # noqa: E402
from oauth2cli.store.keyring_backend import (  # noqa: E402
    CALL_TIMEOUT,
    RESOLVE_TIMEOUT,
    SERVICE,
    _memo_key,
    _memo_path,
    _remember_backend,
    _remembered_backend,
    resolve_backend,
    unusable_reason,
    with_timeout,
)
from oauth2cli.store.keyring_store import CHUNK_CHARS, _CHUNKED, KeyringStore, entry_name  # noqa: E402

__all__ = [
    "CALL_TIMEOUT", "CHUNK_CHARS", "KINDS", "RESOLVE_TIMEOUT", "SERVICE", "FileStore", "KeyringStore",
    "MigratingStore", "SecretStore", "_CHUNKED", "_memo_key", "_memo_path", "_remember_backend",
    "_remembered_backend", "announced_marker", "entry_name", "open_secrets", "resolve_backend",
    "unusable_reason", "with_timeout",
]


class SecretStore(Protocol):
    name: str
    kind: str  # "keyring" or "file"

    def get(self, profile: str, kind: str) -> str | None: ...
    def set(self, profile: str, kind: str, value: str) -> None: ...
    def delete(self, profile: str, kind: str) -> None: ...


class MigratingStore:
    """A keyring that has appeared after secrets went to the file fallback (auto only):
    read the keyring first, then the file; every write moves that entry into the keyring."""

    kind = "keyring"

    def __init__(self, keyring_store: KeyringStore, file_store: FileStore) -> None:
        self.keyring = keyring_store
        self.file = file_store
        self.name = f"{keyring_store.name}, moving entries from {file_store.name}"

    def get(self, profile: str, kind: str) -> str | None:
        value = self.keyring.get(profile, kind)
        return value if value is not None else self.file.get(profile, kind)

    def set(self, profile: str, kind: str, value: str, reserved: None = None) -> None:
        self.keyring.set(profile, kind, value)
        try:
            self.file.delete(profile, kind)
        except StoreError:
            pass  # the keyring's entry is read first: the file's old copy is shadowed, not used

    def delete(self, profile: str, kind: str) -> None:
        self.keyring.delete(profile, kind)
        self.file.delete(profile, kind)

    def reserve(self, profile: str, kind: str) -> None:
        return self.keyring.reserve(profile, kind)

    def repair(self, profile: str, kind: str, stamp: str, force: bool = False) -> str | None:
        return self.keyring.repair(profile, kind, stamp, force)


def announced_marker(directory: Path) -> Path:
    return directory / ".announced"


def open_secrets(choice: str, data_dir: Path, warn: Callable[[str], None]) -> SecretStore:
    """The secret store for --store/OAUTH2CLI_STORE `choice` (auto, keyring or file)."""
    if choice not in ("auto", "keyring", "file"):
        raise StoreError(f"unknown store {choice!r} (OAUTH2CLI_STORE or --store): use auto, keyring or file")
    file_store = FileStore(data_dir / "secrets")
    if choice == "file":
        return file_store
    backend, reason = resolve_backend()
    if backend is not None:
        keyring_store = KeyringStore(backend)
        if choice == "auto" and file_store.profiles():
            return MigratingStore(keyring_store, file_store)
        return keyring_store
    if choice == "keyring":
        broken = (reason or "").startswith(("the keyring is not usable", "the keyring did not answer"))
        raise StoreError(f"no usable keyring: {reason}",
                         hint=("unlock the keyring (or start its daemon) and run the command again; " if broken else "")
                         + "--store keyring (or OAUTH2CLI_STORE=keyring) does not fall back to a file")
    marker = announced_marker(file_store.directory)
    if not marker.exists():
        # Said once, the first time secrets land in the file; `oauth2 status` shows it every time.
        warn(f"no usable keyring ({reason}); secrets and tokens are stored in {file_store.directory} "
             "(mode 0600) instead")
        try:
            from oauth2cli.store.paths import private_dir

            private_dir(file_store.directory)
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        except OSError:
            pass
    file_store.fallback_reason = reason
    return file_store

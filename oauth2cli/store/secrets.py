"""Secrets and tokens: the OS keyring, or an announced 0600 file store when there is none.

Entries are keyed by (profile, kind); kinds are "client_secret", "tokens", "dpop_key",
"private_key", "key_passphrase".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from oauth2cli.core.errors import StoreError

SERVICE = "oauth2cli"


class SecretStore(Protocol):
    name: str

    def get(self, profile: str, kind: str) -> str | None: ...
    def set(self, profile: str, kind: str, value: str) -> None: ...
    def delete(self, profile: str, kind: str) -> None: ...


def entry_name(profile: str, kind: str) -> str:
    return f"{profile}:{kind}"


class KeyringStore:
    def __init__(self, backend) -> None:
        self.backend = backend
        self.name = f"keyring ({type(backend).__module__}.{type(backend).__name__})"

    def get(self, profile: str, kind: str) -> str | None:
        try:
            return self.backend.get_password(SERVICE, entry_name(profile, kind))
        except Exception as exc:
            raise StoreError(f"cannot read from the keyring: {exc}") from None

    def set(self, profile: str, kind: str, value: str) -> None:
        try:
            self.backend.set_password(SERVICE, entry_name(profile, kind), value)
        except Exception as exc:
            raise StoreError(f"cannot write to the keyring: {exc}") from None

    def delete(self, profile: str, kind: str) -> None:
        import keyring.errors

        try:
            self.backend.delete_password(SERVICE, entry_name(profile, kind))
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as exc:
            raise StoreError(f"cannot delete from the keyring: {exc}") from None


class FileStore:
    """One JSON file per profile under $XDG_DATA_HOME/oauth2cli/secrets/, mode 0600."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = f"file ({directory})"

    def _path(self, profile: str) -> Path:
        return self.directory / f"{profile}.json"

    def _read(self, profile: str) -> dict[str, str]:
        try:
            data = json.loads(self._path(profile).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read the secret file {self._path(profile)}: {exc}") from None
        return data if isinstance(data, dict) else {}

    def _write(self, profile: str, data: dict[str, str]) -> None:
        from oauth2cli.store.paths import atomic_write, private_dir

        private_dir(self.directory)
        if data:
            atomic_write(self._path(profile), json.dumps(data).encode("utf-8"))
        else:
            self._path(profile).unlink(missing_ok=True)

    def get(self, profile: str, kind: str) -> str | None:
        return self._read(profile).get(kind)

    def set(self, profile: str, kind: str, value: str) -> None:
        data = self._read(profile)
        data[kind] = value
        self._write(profile, data)

    def delete(self, profile: str, kind: str) -> None:
        data = self._read(profile)
        if data.pop(kind, None) is not None:
            self._write(profile, data)

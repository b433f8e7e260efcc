"""The file store: one JSON file per profile under $XDG_DATA_HOME/oauth2cli/secrets/, for
machines without a usable keyring (directory 0700, files 0600, written atomically).

Every refusal of the file system is a StoreError naming the file (store.errors). A file that
does not parse is "damaged": named with what to do, and moved aside by repair() (login, logout
and profile remove call it), never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from oauth2cli.core.errors import StoreError
from oauth2cli.store import documents
from oauth2cli.store.errors import write_error

# Room kept for a token answer before the request that produces it is sent (store.paths.Reservation).
RESERVE_BYTES = 16384


class DamagedEntry(StoreError):
    """A stored entry that cannot be read back; repair() moves it aside."""

    def __init__(self, message: str, profile: str) -> None:
        super().__init__(message, hint=f"log in again with `oauth2 login {profile}`, or forget it with "
                                       f"`oauth2 logout {profile}` (either keeps a copy of the damaged entry)")
        self.profile = profile


def stored_name(profile: str) -> str:
    return documents.stored_name(profile, os.environ)


def _damage(raw: bytes) -> str:
    """What is wrong with a secret file that is not JSON, in json's own words."""
    if not raw.strip():
        return "is empty"
    try:
        json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        return f"is damaged ({type(exc).__name__}: {str(exc)[:100]})"
    return "is damaged"


class FileStore:
    """One JSON file per profile under $XDG_DATA_HOME/oauth2cli/secrets/, directory 0700, files 0600."""

    kind = "file"
    fallback_reason: str | None = None  # set when auto fell back to this store

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = f"file ({directory})"

    def _path(self, profile: str) -> Path:
        return self.directory / f"{stored_name(profile)}.json"

    def _read(self, profile: str) -> dict[str, str]:
        path = self._path(profile)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StoreError(f"cannot read the secret file {path}: {exc.strerror or exc}",
                             hint=f"check the permissions of {path}") from None
        from oauth2cli.store.documents import NotEntries, parse_entries  # the lean reads parse it so too

        try:
            return parse_entries(raw)
        except NotEntries:
            raise DamagedEntry(f"the secret file {path} is damaged (not a JSON object of strings)", profile) from None
        except (ValueError, RecursionError):
            raise DamagedEntry(f"the secret file {path} {_damage(raw)}", profile) from None

    def _encode(self, data: dict[str, str]) -> bytes:
        return json.dumps(data, indent=1).encode("utf-8")

    def _write(self, profile: str, data: dict[str, str], reserved=None) -> None:
        from oauth2cli.store.paths import atomic_write

        path = self._path(profile)
        if reserved is not None:
            try:
                reserved.commit(self._encode(data))
            except OSError as exc:
                raise write_error(exc, path, "write the secret file") from None
        elif data:
            atomic_write(path, self._encode(data), mode=0o600, what="write the secret file")
        else:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise write_error(exc, path, "remove the secret file") from None

    def profiles(self) -> list[str]:
        try:
            return sorted(p.stem for p in self.directory.glob("*.json"))
        except OSError:
            return []

    @contextlib.contextmanager
    def _updating(self, profile: str) -> Iterator[None]:
        """Serialize read-modify-write of one profile's file between processes (POSIX)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: writes stay atomic, updates may race
            yield
            return
        from oauth2cli.store.lock import LOCK_FLAGS
        from oauth2cli.store.paths import private_dir

        lock = self.directory / f".{stored_name(profile)}.lock"
        try:
            private_dir(self.directory)
            fd = os.open(lock, LOCK_FLAGS, 0o600)
        except OSError as exc:
            raise write_error(exc, lock, "open the lock file") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def get(self, profile: str, kind: str) -> str | None:
        return self._read(profile).get(kind)

    def set(self, profile: str, kind: str, value: str, reserved=None) -> None:
        with self._updating(profile):
            data = self._read(profile)
            data[kind] = value
            self._write(profile, data, reserved)

    def delete(self, profile: str, kind: str) -> None:
        if not self._path(profile).exists():
            return
        with self._updating(profile):
            data = self._read(profile)
            if data.pop(kind, None) is not None:
                self._write(profile, data)

    def reserve(self, profile: str, kind: str):
        """Prove the file can take a new value of `kind`: a temp file beside it holding room for
        the whole file plus an answer (store.paths.Reservation; set(..., reserved=) uses it)."""
        from oauth2cli.store.paths import Reservation, sweep_stale

        path = self._path(profile)
        sweep_stale(path)  # the reservations of killed runs would fill a small disk in the end
        try:
            current = path.stat().st_size
        except OSError:
            current = 0
        try:
            return Reservation(path, max(RESERVE_BYTES, 2 * current))
        except OSError as exc:
            raise write_error(exc, path, "write the secret file") from None

    def repair(self, profile: str, stamp: str, drop: str | None = None) -> Path | None:
        """Move a damaged file aside (NAME.json.damaged-STAMP, 0600); the path, or None when it reads.
        With `drop`, a file that reads is copied aside and loses that entry (its value is damaged)."""
        path = self._path(profile)
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        try:
            self._read(profile)
        except DamagedEntry:
            pass
        else:
            if drop is None or not path.exists():
                return None
            from oauth2cli.store.paths import atomic_write

            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise write_error(exc, path, "read the secret file") from None
            atomic_write(aside, raw, mode=0o600, what="keep a copy of the damaged secret file as")
            self.delete(profile, drop)
            return aside
        try:
            os.chmod(path, 0o600)
            os.replace(path, aside)
        except OSError as exc:
            raise write_error(exc, path, "move aside the damaged secret file") from None
        return aside

"""Secrets and tokens: the OS keyring, or an announced 0600 file store when there is none.

Entries are keyed by (profile, kind); kinds are "client_secret", "tokens", "dpop_key",
"private_key", "key_passphrase", "registration_access_token". In the keyring, service "oauth2cli" and username
"PROFILE:KIND"; a value too long for Windows' credential store (2,560 bytes of UTF-16)
is split into chunks, written before the entry that names them, so that a reader sees the
old value or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from oauth2cli.core.errors import StoreError

SERVICE = "oauth2cli"
KINDS = ("client_secret", "tokens", "private_key", "key_passphrase", "dpop_key", "registration_access_token")
# Windows' CRED_MAX_CREDENTIAL_BLOB_SIZE is 5 * 512 bytes and keyring stores UTF-16: 1,280
# characters. Stay well under it, and chunk anything longer.
CHUNK_CHARS = 1000
_CHUNKED = "oauth2cli-chunked:v1:"
# How long a keyring may take to answer before we call it hung.
RESOLVE_TIMEOUT = 5.0
CALL_TIMEOUT = 20.0

T = TypeVar("T")


class SecretStore(Protocol):
    name: str
    kind: str  # "keyring" or "file"

    def get(self, profile: str, kind: str) -> str | None: ...
    def set(self, profile: str, kind: str, value: str) -> None: ...
    def delete(self, profile: str, kind: str) -> None: ...


def entry_name(profile: str, kind: str) -> str:
    return f"{profile}:{kind}"


def with_timeout(fn: Callable[[], T], seconds: float, what: str) -> T:
    """Run `fn` in a daemon thread; a keyring that does not answer must not hang the tool."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="oauth2cli-keyring", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise StoreError(f"the keyring did not answer within {seconds:g} s ({what})",
                         hint="unlock it, or use --store file")
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- choosing a keyring backend ------------------------------------------------

def unusable_reason(backend: Any) -> str | None:
    """Why this keyring backend does not count as a keyring, or None when it does."""
    module = type(backend).__module__
    name = f"{module}.{type(backend).__name__}"
    if module.startswith("keyring.backends.fail"):
        return "no keyring backend is available"
    if module.startswith("keyring.backends.null"):
        return "the null keyring is selected"
    if module.startswith("keyrings.alt"):
        # keyrings.alt's file backends are plaintext or keep the key beside the data.
        return f"{name} is not a secure keyring"
    if module.startswith("keyring.backends.chainer"):
        usable = [b for b in getattr(backend, "backends", []) if unusable_reason(b) is None]
        return None if usable else "no keyring backend is available"
    return None


# keyring's backend detection scans every installed package's entry points (tens of ms on
# each run); the class it chose is remembered under $XDG_CACHE_HOME and loaded directly.
def _memo_path() -> Path:
    from oauth2cli.store.paths import cache_dir

    return cache_dir() / "keyring-backend"


def _memo_key() -> str | None:
    """What the remembered choice depends on; None when keyring is told what to use anyway."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None  # keyring loads that one directly, without detection
    try:
        from keyring.util import platform_

        rc = Path(platform_.config_root()) / "keyringrc.cfg"
        stamp = str(rc.stat().st_mtime_ns) if rc.exists() else "-"
    except Exception:
        return None
    return f"keyringrc={stamp}"


def _remembered_backend() -> Any | None:
    key = _memo_key()
    if key is None:
        return None
    try:
        name, stored_key = _memo_path().read_text(encoding="utf-8").split("\n")[:2]
    except (OSError, ValueError):
        return None
    if stored_key != key:
        return None
    try:
        import keyring
        import keyring.core

        backend = keyring.core.load_keyring(name)
        keyring.set_keyring(backend)
        return backend
    except Exception:
        return None


def _remember_backend(backend: Any) -> None:
    key = _memo_key()
    cls = type(backend)
    if key is None or cls.__module__.startswith("keyring.backends.chainer"):
        return  # a chainer re-detects its members when loaded: nothing to save
    try:
        from oauth2cli.store.paths import atomic_write

        atomic_write(_memo_path(), f"{cls.__module__}.{cls.__name__}\n{key}\n".encode("utf-8"))
    except OSError:
        pass


def resolve_backend(timeout: float = RESOLVE_TIMEOUT) -> tuple[Any | None, str | None]:
    """(backend, None) for a usable keyring, else (None, why not). Probed once, with a timeout."""

    def probe() -> tuple[Any | None, str | None]:
        remembered = _remembered_backend()
        if remembered is not None:
            try:
                remembered.get_password(SERVICE, "__probe__")
                return remembered, None
            except Exception:
                pass  # the session changed (no D-Bus now, say): look again below

        import keyring

        backend = keyring.get_keyring()
        reason = unusable_reason(backend)
        if reason:
            return None, reason
        # One read: a locked Secret Service or a missing D-Bus shows up here, not mid-write.
        backend.get_password(SERVICE, "__probe__")
        _remember_backend(backend)
        return backend, None

    try:
        return with_timeout(probe, timeout, "looking for the keyring")
    except StoreError as exc:
        return None, exc.message
    except Exception as exc:  # keyring raises many kinds: D-Bus, locked, no backend
        return None, f"the keyring is not usable: {type(exc).__name__}: {str(exc)[:200]}"


class KeyringStore:
    kind = "keyring"

    def __init__(self, backend: Any, timeout: float = CALL_TIMEOUT) -> None:
        self.backend = backend
        self.timeout = timeout
        self.name = f"keyring ({type(backend).__module__}.{type(backend).__name__})"

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return with_timeout(fn, self.timeout, what)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot {what} the keyring: {type(exc).__name__}: {str(exc)[:200]}") from None

    def _get(self, username: str) -> str | None:
        return self._call("read from", lambda: self.backend.get_password(SERVICE, username))

    def _set(self, username: str, value: str) -> None:
        self._call("write to", lambda: self.backend.set_password(SERVICE, username, value))

    def _delete(self, username: str) -> None:
        import keyring.errors

        def delete() -> None:
            try:
                self.backend.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                pass

        self._call("delete from", delete)

    @staticmethod
    def _chunk_names(username: str, header: str | None) -> list[str]:
        if not header or not header.startswith(_CHUNKED):
            return []
        generation, _, count = header[len(_CHUNKED):].partition(":")
        try:
            n = int(count)
        except ValueError:
            return []
        return [f"{username}#{generation}.{i}" for i in range(n)]

    def get(self, profile: str, kind: str) -> str | None:
        username = entry_name(profile, kind)
        for _attempt in range(3):
            header = self._get(username)
            if header is None or not header.startswith(_CHUNKED):
                return header
            parts = [self._get(name) for name in self._chunk_names(username, header)]
            if all(p is not None for p in parts):
                return "".join(parts)  # type: ignore[arg-type]
            # Another process replaced the value between our reads; read the new header.
        raise StoreError(f"the keyring entry {SERVICE}/{username} is incomplete (its chunks are missing)")

    def set(self, profile: str, kind: str, value: str) -> None:
        username = entry_name(profile, kind)
        old = self._chunk_names(username, self._get(username))
        if len(value) <= CHUNK_CHARS and not value.startswith(_CHUNKED):
            self._set(username, value)
        else:
            import secrets as _random  # here: the hmac/hashlib it pulls in is not needed to read

            generation = _random.token_hex(4)
            pieces = [value[i:i + CHUNK_CHARS] for i in range(0, len(value), CHUNK_CHARS)]
            for i, piece in enumerate(pieces):
                self._set(f"{username}#{generation}.{i}", piece)
            # The header last: until it is written, readers still see the old value.
            self._set(username, f"{_CHUNKED}{generation}:{len(pieces)}")
        for name in old:
            self._delete(name)

    def delete(self, profile: str, kind: str) -> None:
        username = entry_name(profile, kind)
        old = self._chunk_names(username, self._get(username))
        self._delete(username)
        for name in old:
            self._delete(name)


class FileStore:
    """One JSON file per profile under $XDG_DATA_HOME/oauth2cli/secrets/, directory 0700, files 0600."""

    kind = "file"
    fallback_reason: str | None = None  # set when auto fell back to this store

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = f"file ({directory})"

    def _path(self, profile: str) -> Path:
        return self.directory / f"{profile}.json"

    def _read(self, profile: str) -> dict[str, str]:
        path = self._path(profile)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read the secret file {path}: {exc}") from None
        if not isinstance(data, dict):
            raise StoreError(f"the secret file {path} does not hold a JSON object")
        return data

    def _write(self, profile: str, data: dict[str, str]) -> None:
        from oauth2cli.store.paths import atomic_write, private_dir

        private_dir(self.directory)
        if data:
            atomic_write(self._path(profile), json.dumps(data, indent=1).encode("utf-8"), mode=0o600)
        else:
            self._path(profile).unlink(missing_ok=True)

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
        from oauth2cli.store.paths import private_dir

        private_dir(self.directory)
        fd = os.open(self.directory / f".{profile}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def get(self, profile: str, kind: str) -> str | None:
        return self._read(profile).get(kind)

    def set(self, profile: str, kind: str, value: str) -> None:
        with self._updating(profile):
            data = self._read(profile)
            data[kind] = value
            self._write(profile, data)

    def delete(self, profile: str, kind: str) -> None:
        if not self._path(profile).exists():
            return
        with self._updating(profile):
            data = self._read(profile)
            if data.pop(kind, None) is not None:
                self._write(profile, data)


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

    def set(self, profile: str, kind: str, value: str) -> None:
        self.keyring.set(profile, kind, value)
        self.file.delete(profile, kind)

    def delete(self, profile: str, kind: str) -> None:
        self.keyring.delete(profile, kind)
        self.file.delete(profile, kind)


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
        raise StoreError(f"no usable keyring: {reason}",
                         hint="--store keyring (or OAUTH2CLI_STORE=keyring) does not fall back to a file")
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

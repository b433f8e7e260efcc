"""Secrets in the OS keyring: service "oauth2cli", username "PROFILE:KIND".

A value too long for Windows' credential store (2,560 bytes of UTF-16) is split into chunks,
written before the entry that names them, so that a reader sees the old value or the new one,
never half of each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from oauth2cli.core.errors import StoreError
from oauth2cli.store.keyring_backend import CALL_TIMEOUT, SERVICE, with_timeout

# Windows' CRED_MAX_CREDENTIAL_BLOB_SIZE is 5 * 512 bytes and keyring stores UTF-16: 1,280
# characters. Stay well under it, and chunk anything longer.
CHUNK_CHARS = 1000
_CHUNKED = "oauth2cli-chunked:v1:"

T = TypeVar("T")


def entry_name(profile: str, kind: str) -> str:
    return f"{profile}:{kind}"


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
            raise StoreError(f"cannot {what} the keyring {self.name}: {type(exc).__name__}: {str(exc)[:200]}",
                             hint="unlock the keyring (or start its daemon) and run the command again, "
                                  "or use --store file") from None

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
        from oauth2cli.store.filestore import DamagedEntry

        raise DamagedEntry(f"the keyring entry {SERVICE}/{username} is damaged (its chunks are missing)", profile)

    def set(self, profile: str, kind: str, value: str, reserved: None = None) -> None:
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



    def reserve(self, profile: str, kind: str) -> None:
        """Prove the keyring takes a write of this entry now (unlocked, daemon alive): the entry
        written again with its own value, or a probe entry beside it written and deleted."""
        username = entry_name(profile, kind)
        header = self._get(username)
        if header is not None:
            self._set(username, header)
        else:
            probe = f"{username}#probe"
            self._set(probe, "probe")
            self._delete(probe)
        return None

    def repair(self, profile: str, kind: str, stamp: str, force: bool = False) -> str | None:
        """Move a damaged entry aside (PROFILE:KIND.damaged-STAMP); its name, or None when it reads.
        With `force`, the entry is moved even though it reads (its content is what is damaged)."""
        from oauth2cli.store.filestore import DamagedEntry

        username = entry_name(profile, kind)
        if not force:
            try:
                self.get(profile, kind)
                return None
            except DamagedEntry:
                pass
        header = self._get(username)
        if header is None:
            return None
        aside = f"{username}.damaged-{stamp}"
        if force:
            self.set(profile, f"{kind}.damaged-{stamp}", self.get(profile, kind) or header)
        else:
            self._set(aside, header)
        self.delete(profile, kind)
        return f"{SERVICE}/{aside}"

"""A per-profile file lock under $XDG_STATE_HOME/oauth2cli/locks/, held around every refresh.

flock(2) on POSIX, msvcrt.locking on Windows; either way the operating system drops the
lock when its holder dies, so a killed process never leaves a profile locked.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from oauth2cli.core.errors import StoreError

DEFAULT_WAIT = 60.0


def lock_path(state_dir: Path, profile: str) -> Path:
    return state_dir / "locks" / f"{profile}.lock"


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def profile_lock(state_dir: Path, profile: str, *, wait: float = DEFAULT_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> Iterator[Path]:
    """Hold the profile's lock; StoreError after `wait` seconds of someone else holding it."""
    from oauth2cli.store.errors import write_error
    from oauth2cli.store.paths import private_dir

    path = lock_path(state_dir, profile)
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise write_error(exc, path, "open the lock file") from None
    try:
        deadline = clock() + wait
        delay = 0.005
        while not _try_lock(fd):
            if clock() >= deadline:
                raise StoreError(f"profile {profile!r} is locked by another oauth2 process (waited {wait:g} s)",
                                 hint=f"if none is running, remove {path}")
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        try:
            yield path
        finally:
            _unlock(fd)
    finally:
        os.close(fd)

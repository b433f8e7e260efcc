"""The per-profile lock under $XDG_STATE_HOME/oauth2cli/locks/, held around every refresh, for
code that has a store: oauth2cli/profile_lock.py holds it (one implementation, which the fast
paths use without the store package), and this gives it pathlib's paths.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from oauth2cli.profile_lock import DEFAULT_WAIT, ProfileLock, lock_file

__all__ = ["DEFAULT_WAIT", "lock_path", "profile_lock"]


def lock_path(state_dir: Path, profile: str) -> Path:
    return Path(lock_file(state_dir, profile))


@contextlib.contextmanager
def profile_lock(state_dir: Path, profile: str, *, wait: float = DEFAULT_WAIT,
                 clock: Callable[[], float] | None = None) -> Iterator[Path]:
    """Hold the profile's lock, re-entrant within a thread; StoreError after `wait` seconds of
    someone else holding it, or in the store's words when the lock file cannot be made or opened.
    A `clock` given makes the wait poll against it (for tests)."""
    from oauth2cli.store.errors import write_error
    from oauth2cli.store.paths import private_dir

    path = lock_path(state_dir, profile)
    lock = ProfileLock(state_dir, profile, wait, clock, prepared=True)
    try:
        private_dir(path.parent)
        held = lock.__enter__()
    except OSError as exc:
        raise write_error(exc, path, "open the lock file") from None
    try:
        yield Path(held)
    finally:
        lock.__exit__(None, None, None)

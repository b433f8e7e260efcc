"""The per-profile lock, held around every refresh: flock(2) on
$XDG_STATE_HOME/oauth2cli/locks/PROFILE.lock (msvcrt.locking on Windows). Either way the
operating system drops it when its holder dies, so a killed process never leaves a profile locked.

This is the one implementation of that lock: Store.lock (profile_lock, which first makes the
folders private and words an OSError as the store does) and the lean view's "stale: take the
lock, look again" step (store/view.settle) both take it here. It imports nothing Python's
start-up has not loaded but fcntl, because when 20 processes race on an expired token, 19 of
them only wait here and then print the one refresh.

Re-entrant within a thread: flock belongs to an open file, so taking it again through a second
open would wait for ourselves. The full path, run by a lean path inside this lock, takes it again
through Store.lock and gets it at once.

A waiter wakes when the holder releases: in the main thread it blocks in flock, bounded by a
one-shot ITIMER_REAL whose SIGALRM interrupts the wait; the timer is stopped and the previous
handler restored before the wait returns. Where no timer can be used (another thread, a timer
already set, Windows) the wait polls, 5 ms doubling to 50 ms.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs ~5 ms to import; the lean paths do without it
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = ["DEFAULT_WAIT", "ProfileLock", "lock_file", "lock_path", "profile_lock"]

DEFAULT_WAIT = 60.0
# (device, inode, thread) of each lock file held by this process -> the path it was taken as.
_HELD: dict[tuple[int, int, int], str] = {}


def lock_file(state_dir: str | os.PathLike[str], profile: str) -> str:
    """STATE_DIR/locks/PROFILE.lock; STATE_DIR is store.xdg.state_dir (store.paths.state_dir as a Path)."""
    from oauth2cli.store.documents import checked_name
    from oauth2cli.store.xdg import config_file

    return os.path.join(os.fspath(state_dir), "locks", f"{checked_name(profile, config_file(os.environ))}.lock")


def lock_path(state_dir: Path, profile: str) -> Path:
    """lock_file as a Path."""
    from pathlib import Path

    return Path(lock_file(state_dir, profile))


class profile_lock:  # noqa: N801 - used as a function: `with profile_lock(state_dir, name) as path:`
    """Store.lock's way in: hold the profile's lock (ProfileLock), its folders made private first;
    the lock file's Path while held. StoreError after `wait` seconds of someone else holding it, or
    in the store's words when the lock file cannot be made or opened. A `clock` given makes the
    wait poll against it (for tests)."""

    def __init__(self, state_dir: Path, profile: str, *, wait: float = DEFAULT_WAIT,
                 clock: Callable[[], float] | None = None) -> None:
        self.path = lock_path(state_dir, profile)
        self.lock = ProfileLock(state_dir, profile, wait, clock, prepared=True)

    def __enter__(self) -> Path:
        from pathlib import Path

        from oauth2cli.store.errors import write_error
        from oauth2cli.store.paths import private_dir

        try:
            private_dir(self.path.parent)
            held = self.lock.__enter__()
        except OSError as exc:
            raise write_error(exc, self.path, "open the lock file") from None
        return Path(held)

    def __exit__(self, *exc_info: object) -> None:
        self.lock.__exit__(None, None, None)


class ProfileLock:
    """`with ProfileLock(state_dir, profile) as path:` holds the profile's lock; StoreError
    ("profile 'x' is locked by another oauth2 process") after `wait` seconds of another holder."""

    def __init__(self, state_dir: str | os.PathLike[str], profile: str, wait: float = DEFAULT_WAIT,
                 clock: Callable[[], float] | None = None, *, prepared: bool = False) -> None:
        self.path = lock_file(state_dir, profile)
        self.profile = profile
        self.wait = wait
        self.clock = clock  # for the polling wait; time.monotonic when None
        self.prepared = prepared  # the store made the folders private (store/lock.py)
        self._fd: int | None = None
        self._key: tuple[int, int, int] | None = None

    def __enter__(self) -> str:
        import _thread

        fd = _open(self.path, self.prepared)
        try:
            st = os.fstat(fd)
            key = (st.st_dev, st.st_ino, _thread.get_ident())
            if key in _HELD:  # ours already: closing this second descriptor keeps the lock
                os.close(fd)
                return _HELD[key]
            if not _acquire(fd, self.wait, self.clock):
                from oauth2cli.core.errors import StoreError

                raise StoreError(f"profile {self.profile!r} is locked by another oauth2 process (waited {self.wait:g} s)",
                                 hint=f"if none is running, remove {self.path}")
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._key = fd, key
        _HELD[key] = self.path
        return self.path

    def __exit__(self, *exc_info: object) -> None:
        fd, key = self._fd, self._key
        if fd is None or key is None:
            return  # re-entered: the outer holder releases
        self._fd = self._key = None
        del _HELD[key]
        try:
            _unlock(fd)
        finally:
            os.close(fd)


class Unprepared(OSError):
    """The lock's folders are missing or open to others: the store makes them (store/lock.py),
    so a lean path that meets this hands the run to the full path."""


def _open(path: str, prepared: bool) -> int:
    """The lock file, made 0600; its folders are the store's to make private (store.paths.private_dir)
    unless they already are. OSError is the caller's to say (store.errors.write_error)."""
    folder = os.path.dirname(path)
    if not prepared and not (_private(folder) and _private(os.path.dirname(folder))):
        raise Unprepared(f"the lock folder {folder} is missing or open to others")
    return os.open(path, LOCK_FLAGS, 0o600)


# A lock file lives on between runs (no O_EXCL), but is never opened through a symlink.
LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)


def _private(folder: str) -> bool:
    """A folder that private_dir would leave as it is: it exists, and only its owner may enter."""
    import stat

    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) and not mode & 0o077


def _acquire(fd: int, wait: float, clock: Callable[[], float] | None) -> bool:
    """Lock `fd`, waiting up to `wait` seconds for another holder: True when it is ours."""
    if _try_lock(fd):
        return True
    woken = _woken(fd, wait) if clock is None else None
    return woken if woken is not None else _poll(fd, wait, clock)


class _Rang(Exception):
    """The wait's timer rang: raised by its SIGALRM handler, inside the blocking flock."""


def _woken(fd: int, wait: float) -> bool | None:
    """Block in flock until the lock is ours (True) or `wait` seconds have passed (False); None
    when this thread cannot use a timer, and the caller polls instead."""
    if os.name == "nt" or not wait > 0:
        return None
    import _signal  # what the signal module wraps; signal itself would import enum (~4 ms)
    import fcntl

    if not _can_ring(_signal):
        return None
    armed = True

    def ring(signum: int, frame: object) -> None:
        if armed:
            raise _Rang

    try:
        previous = _signal.signal(_signal.SIGALRM, ring)
    except ValueError:  # not the main thread of the main interpreter
        return None
    try:
        try:
            _signal.setitimer(_signal.ITIMER_REAL, wait)
            fcntl.flock(fd, fcntl.LOCK_EX)
        finally:
            armed = False  # a ring still pending is now a no-op
    except _Rang:
        pass
    finally:
        _signal.setitimer(_signal.ITIMER_REAL, 0)  # one-shot, and stopped before its handler goes
        _put_back(_signal, previous)
    # Ours when flock returned, also when the timer rang just as it did (locking a file we hold
    # again succeeds), or when the holder let go just now.
    return _try_lock(fd)


def _put_back(_signal, previous: object) -> None:
    """SIGALRM's previous handler. signal() first runs the handlers of signals already received: a
    pending ring is now harmless, but another handler may raise (KeyboardInterrupt) before the
    handler is set; it has run then, so a second call sets it, and the exception goes on."""
    try:
        _signal.signal(_signal.SIGALRM, previous)
    except BaseException:
        _signal.signal(_signal.SIGALRM, previous)
        raise


def _can_ring(_signal) -> bool:
    """Whether a SIGALRM of our own would reach this thread's flock, and its handler go back after."""
    if not hasattr(_signal, "setitimer") or _signal.getitimer(_signal.ITIMER_REAL) != (0.0, 0.0):
        return False  # no timer here, or someone else's alarm is set: leave it alone
    if _signal.getsignal(_signal.SIGALRM) is None:
        return False  # a handler installed outside Python, which signal() could not put back
    if hasattr(_signal, "pthread_sigmask") and _signal.SIGALRM in _signal.pthread_sigmask(_signal.SIG_BLOCK, []):
        return False  # blocked here: it would never interrupt the wait
    import _thread
    import sys

    # The timer's signal goes to the process: Linux gives it to the main thread (the thread group's
    # leader, the only one that may set a handler) when that thread does not block it; elsewhere
    # any thread may take it, so the timer is used only while Python has started no other.
    return sys.platform.startswith("linux") or _thread._count() == 0


def _poll(fd: int, wait: float, clock: Callable[[], float] | None) -> bool:
    import time

    clock = clock or time.monotonic
    deadline = clock() + wait
    delay = 0.005
    while not _try_lock(fd):
        if clock() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    return True


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

"""Where oauth2cli keeps its files, following the XDG base directory variables, and how it
writes them: atomically, fsynced, and with every OSError turned into one StoreError line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from oauth2cli.store import xdg
from oauth2cli.store.errors import write_error

APP = xdg.APP


# The places are store/xdg.py's (one implementation, as strings); these give them as Paths.
def config_file(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(xdg.config_file(environ))


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(xdg.data_dir(environ))


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(xdg.state_dir(environ))


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(xdg.cache_dir(environ))


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) mode 0700, so no other user can even list our files.

    Folders made here get 0700. An existing folder of ours (up to the `oauth2cli` folder) that
    others can still enter loses its group and other bits, and nothing else (a 0555 folder is
    not made writable); that chmod may fail (a read-only mount, a folder owned by someone else)
    without harm, since every file in it is 0600. A folder already private is left alone. A folder someone chose
    (OAUTH2CLI_CONFIG=/shared/x.toml, or ".") is never touched. OSError: the folder cannot be made.
    """
    missing = []
    folder = path
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    ours: list[Path] = []
    if APP in path.parts:
        for folder in (path, *path.parents):
            ours.append(folder)
            if folder.name == APP:
                break
    for folder in dict.fromkeys([*missing, *ours]):  # every folder made here (~/.config too), and ours
        created = folder in missing
        try:
            if created:
                os.chmod(folder, 0o700)
                continue
            mode = os.stat(folder).st_mode & 0o777
            if mode & 0o077:
                # Closed to others, but never opened further: a 0555 folder stays unwritable.
                os.chmod(folder, mode & 0o700)
        except OSError:
            if created:
                raise
    return path


def _fsync_dir(directory: Path) -> None:
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class Reservation:
    """A temp file beside `path`, written (`size` bytes) and fsynced before it is needed.

    Made before a request whose answer must be kept: when it cannot be made, nothing is sent.
    commit() overwrites it in place and renames it over `path`, so that write needs no new
    space on file systems that allocate on write (ext4, xfs, tmpfs); a copy-on-write file
    system may still refuse it. OSError from the constructor and from commit().
    """

    def __init__(self, path: Path, size: int, mode: int = 0o600) -> None:
        import tempfile

        self.path = path
        self.size = size
        self.fd: int | None = None
        private_dir(path.parent) if mode == 0o600 else path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(path)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.fd = fd
        try:
            _hold(fd)  # while this process lives, sweep_stale() leaves the file alone
            if hasattr(os, "fchmod"):  # not on Windows before 3.13, where mkstemp's file is private anyway
                os.fchmod(fd, mode)
            block = b"\0" * min(size, 65536)
            written = 0
            while written < size:
                written += os.write(fd, block[: size - written])
            os.fsync(fd)
        except BaseException:
            self.release()
            raise

    def commit(self, data: bytes) -> None:
        """Replace `path` with `data`: a crash leaves the old file or the new one, never half of one."""
        fd = self.fd
        if fd is None:
            raise RuntimeError("this reservation was used already")
        try:
            view = memoryview(data)
            offset = 0
            while offset < len(view):
                offset += os.pwrite(fd, view[offset:], offset)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
            os.close(fd)
            self.fd = None
            os.replace(self.tmp, self.path)
        except BaseException:
            self.release()
            raise
        _fsync_dir(self.path.parent)

    def release(self) -> None:
        """Give the space back (unused, or after a failed commit)."""
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is not None:
            self.release()


def _hold(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


STALE_AFTER = 2.0  # seconds: younger temp files may be another run's, between mkstemp and flock


def sweep_stale(path: Path) -> None:
    """Remove the temp files in `path`'s folder left by runs that died (SIGKILL, power cut) before
    renaming them (they can hold tokens): their flock died with them. Best effort: a file in use
    or unreadable is left. Every write calls it, so a killed run's files go with the next one."""
    try:
        import fcntl
        import time

        candidates = list(path.parent.glob(".*.tmp"))
    except (ImportError, OSError):
        return
    for tmp in candidates:
        try:
            if time.time() - tmp.stat().st_mtime < STALE_AFTER:
                continue
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(tmp)
        except OSError:
            pass
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o600, what: str = "write") -> None:
    """Replace `path` with `data` (temp file, fsync, rename). StoreError naming the path, the
    reason and what to do when the file system refuses; the old file is then unchanged."""
    try:
        Reservation(path, 0, mode).commit(data)
    except OSError as exc:
        raise write_error(exc, path, what) from None

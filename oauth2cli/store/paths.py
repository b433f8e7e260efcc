"""Where oauth2cli keeps its files, following the XDG base directory variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP = "oauth2cli"


def _base(environ: Mapping[str, str], var: str, default: str) -> Path:
    value = environ.get(var)
    # XDG: a relative path in these variables is invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path(environ.get("HOME") or os.path.expanduser("~")) / default


def config_file(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("OAUTH2CLI_CONFIG"):
        return Path(environ["OAUTH2CLI_CONFIG"])
    return _base(environ, "XDG_CONFIG_HOME", ".config") / APP / "config.toml"


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return _base(environ, "XDG_DATA_HOME", ".local/share") / APP


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return _base(environ, "XDG_STATE_HOME", ".local/state") / APP


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return _base(environ, "XDG_CACHE_HOME", ".cache") / APP


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) mode 0700: the last component and every one of ours above it
    (up to and including the `oauth2cli` folder), so no other user can even list our files."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if APP in path.parts:
        ours = [path]
        for parent in path.parents:
            ours.append(parent)
            if parent.name == APP:
                break
    else:
        # A folder someone chose (OAUTH2CLI_CONFIG=/shared/x.toml, or "."): not ours to close;
        # the file itself is 0600. Only a folder we have just made is made private.
        ours = [] if existed else [path]
    for folder in ours:
        os.chmod(folder, 0o700)
    return path


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data`: a crash leaves the old file or the new one, never half of one."""
    import tempfile

    private_dir(path.parent) if mode == 0o600 else path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # not on Windows before 3.13, where mkstemp's file is private anyway
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass

"""One clear line for a file system that refuses a write: the path, the reason, what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from oauth2cli.core.errors import StoreError


def hint_for(exc: OSError, path: Path | str | None) -> str:
    where = Path(path).parent if path is not None else None
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"free some space on the file system of {where}, then run the command again"
    if code == errno.EROFS:
        return (f"{where} is on a read-only file system: make it writable, or point XDG_DATA_HOME, "
                "XDG_STATE_HOME or XDG_CONFIG_HOME at a writable folder")
    if code in (errno.EACCES, errno.EPERM):
        user = _user()
        return f"make {where} writable for {user}" if user else f"make {where} writable for this user"
    return f"check {where}, then run the command again"


def _user() -> str | None:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):
        return None


def write_error(exc: OSError, path: Path | str | None, what: str = "write") -> StoreError:
    """`cannot write PATH: No space left on device; free some space ...` (exit 1)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    target = exc.filename if path is None and exc.filename else path
    return StoreError(f"cannot {what} {target}: {reason}", hint=hint_for(exc, target))

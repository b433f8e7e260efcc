"""Finding a usable keyring backend, once per run and with a timeout, and calling it with one.

keyring's own detection scans every installed package's entry points; the class it chose is
remembered under $XDG_CACHE_HOME and loaded directly next time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from oauth2cli.core.errors import StoreError

SERVICE = "oauth2cli"
# How long a keyring may take to answer before we call it hung.
RESOLVE_TIMEOUT = 5.0
CALL_TIMEOUT = 20.0

T = TypeVar("T")


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
    except (OSError, StoreError):
        pass  # only costs a detection next time


def resolve_backend(timeout: float = RESOLVE_TIMEOUT) -> tuple[Any | None, str | None]:
    """(backend, None) for a usable keyring, else (None, why not). Probed once, with a timeout."""

    def probe() -> tuple[Any | None, str | None]:
        remembered = _remembered_backend()
        if remembered is not None and unusable_reason(remembered) is None:  # the same rule as a lookup
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



"""Reading one entry from the Secret Service without importing keyring, for the fast path of
`oauth2 token PROFILE` (oauth2cli/store/view.py).

keyring costs about 60 ms to import, most of it not the Secret Service at all. When the
backend keyring chose before (remembered by store.secrets) is its SecretService backend and
nothing could have changed that choice, the entry is read with secretstorage directly: the
same collection, the same attributes keyring's backend uses, one D-Bus connection. Anything
unusual returns None, and the full path reads through keyring as always.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


def _keyringrc(environ: Mapping[str, str]) -> Path:
    # keyring.util.platform_._config_root_Linux, without importing keyring
    root = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".config")
    return Path(root) / "python_keyring" / "keyringrc.cfg"


def remembered_secret_service(environ: Mapping[str, str], memo: Path) -> bool:
    """True when the remembered choice is keyring's SecretService and still stands."""
    if not sys.platform.startswith("linux") or environ.get("PYTHON_KEYRING_BACKEND"):
        return False
    try:
        name, key = memo.read_text(encoding="utf-8").split("\n")[:2]
    except (OSError, ValueError):
        return False
    # "keyringrc=-": chosen by detection with no keyringrc.cfg, and there is still none.
    return name == SECRET_SERVICE and key == "keyringrc=-" and not _keyringrc(environ).exists()


class DirectSecretService:
    """get_password as keyring's SecretService backend answers it (default scheme)."""

    def __init__(self) -> None:
        import secretstorage

        self._connection = secretstorage.dbus_init()
        self._collection = secretstorage.get_default_collection(self._connection)
        if self._collection.is_locked():
            raise RuntimeError("the collection is locked")  # the full path asks to unlock it

    def get_password(self, service: str, username: str) -> str | None:
        for item in self._collection.search_items({"username": username, "service": service}):
            if item.is_locked():
                raise RuntimeError("the item is locked")
            return item.get_secret().decode("utf-8")
        return None

    def close(self) -> None:
        self._connection.close()


def direct_store(environ: Mapping[str, str], choice: str | None = None) -> Any | None:
    """A read-only KeyringStore on DirectSecretService, or None when keyring must decide."""
    from oauth2cli.store.secrets import KeyringStore, _memo_path

    choice = choice or environ.get("OAUTH2CLI_STORE") or "auto"
    if choice not in ("auto", "keyring") or not remembered_secret_service(environ, _memo_path()):
        return None
    if choice == "auto":
        from oauth2cli.store import paths
        from oauth2cli.store.secrets import FileStore

        if FileStore(paths.data_dir(environ) / "secrets").profiles():
            return None  # secrets still being moved from the file store: the full path knows how
    try:
        return KeyringStore(DirectSecretService())
    except Exception:
        return None

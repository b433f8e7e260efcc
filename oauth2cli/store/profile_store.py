"""The Store of one run: profiles in config.toml (store.config), secrets and tokens in the
keyring or an announced file store (store.secrets), and the per-profile lock (store.lock).
Imported as `oauth2cli.store.Store`; the lean reads of a profile are store/view.py's."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, Protocol

from oauth2cli.store import paths

if TYPE_CHECKING:
    from pathlib import Path

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.store.config import ConfigFile
    from oauth2cli.store.secrets import SecretStore


class Context(Protocol):
    """What the store needs of a run (oauth2cli.deps.Deps is one); the store imports nothing above it."""

    environ: Mapping[str, str]
    store_choice: str | None
    stderr: IO[str]
    clock: Callable[[], float]


from oauth2cli.store import SAVED_AT  # noqa: E402


class Store:
    """What commands use: profiles, secrets and token sets of one run."""

    def __init__(self, deps: Context, secrets: SecretStore | None = None) -> None:
        self.deps = deps
        self._secrets = secrets
        self._config: ConfigFile | None = None
        self._saved_at: dict[str, float | None] = {}

    # -- profiles ---------------------------------------------------------
    @property
    def config_path(self) -> Path:
        return paths.config_file(self.deps.environ)

    @property
    def config(self) -> ConfigFile:
        if self._config is None:
            from oauth2cli.store import xdg
            from oauth2cli.store.config import load

            environ = self.deps.environ
            self._config = load(self.config_path, xdg.config_memo(environ), xdg.config_file(environ))
        return self._config

    def profile(self, name: str) -> dict:
        """The profile's keys as written in config.toml; ConfigError naming the known ones if unknown."""
        return self.config.get(name)

    def has_profile(self, name: str) -> bool:
        return name in self.config.profiles

    def save_profile(self, name: str, values: dict) -> None:
        """Create or update a profile; a value of None removes that key."""
        from oauth2cli.store.config import check_name, set_profile

        self.config  # refuse to edit a file we cannot read (it is never overwritten)
        set_profile(self.config_path, check_name(name), values)
        self._config = None

    def remove_profile(self, name: str) -> None:
        from oauth2cli.store.config import remove_profile

        self.profile(name)
        self.repair(name)
        self.delete_secrets(name)
        remove_profile(self.config_path, name)
        self._config = None

    def rename_profile(self, old: str, new: str) -> None:
        from oauth2cli.core.errors import ConfigError
        from oauth2cli.store.config import check_name, rename_profile
        from oauth2cli.store.secrets import KINDS

        self.profile(old)
        check_name(new)
        if self.has_profile(new):
            raise ConfigError(f"profile {new!r} exists already")
        with self.lock(old):
            for kind in KINDS:
                value = self.secrets.get(old, kind)
                if value is not None:
                    self.secrets.set(new, kind, value)
            rename_profile(self.config_path, old, new)
            self._config = None
            for kind in KINDS:
                self.secrets.delete(old, kind)

    def set_default(self, name: str | None) -> None:
        from oauth2cli.store.config import set_default

        if name is not None:
            self.profile(name)
        else:
            self.config
        set_default(self.config_path, name)
        self._config = None

    @property
    def default_profile(self) -> str | None:
        return self.config.default

    # -- secrets ----------------------------------------------------------
    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            from oauth2cli.store.secrets import open_secrets

            choice = self.deps.store_choice or self.deps.environ.get("OAUTH2CLI_STORE") or "auto"

            def warn(message: str) -> None:
                self.deps.stderr.write(f"oauth2: warning: {message}\n")
                self.deps.stderr.flush()

            self._secrets = open_secrets(choice, paths.data_dir(self.deps.environ), warn)
        return self._secrets

    def delete_secrets(self, profile: str) -> None:
        """Every secret and token of the profile."""
        from oauth2cli.store.secrets import KINDS

        for kind in KINDS:
            self.secrets.delete(profile, kind)

    def load_tokens(self, profile: str) -> TokenSet | None:
        from oauth2cli.core.tokens import TokenSet

        raw = self.secrets.get(profile, "tokens")
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            saved_at = data.pop(SAVED_AT, None) if isinstance(data, dict) else None
            self._saved_at[profile] = float(saved_at) if isinstance(saved_at, (int, float)) else None
            return TokenSet.from_dict(data)
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            from oauth2cli.store.filestore import DamagedEntry

            raise DamagedEntry(f"the stored tokens of profile {profile!r} are damaged ({str(exc)[:100]})",
                               profile) from None

    def prepare_tokens(self, profile: str) -> Any:
        """Prove the store can take a new token set for `profile`, before a request that retires
        the old one: StoreError when it cannot (nothing has been sent). The reservation goes to
        save_tokens(reserved=); release() it when unused."""
        reserve = getattr(self.secrets, "reserve", None)
        return reserve(profile, "tokens") if reserve is not None else None

    def save_tokens(self, profile: str, tokens: TokenSet, reserved: Any = None) -> None:
        data = {**tokens.to_dict(), SAVED_AT: round(self.deps.clock(), 3)}
        value = json.dumps(data, separators=(",", ":"))
        if reserved is not None:
            self.secrets.set(profile, "tokens", value, reserved=reserved)
        else:
            self.secrets.set(profile, "tokens", value)

    def repair(self, profile: str) -> list[str]:
        """Move the damaged entries of `profile` aside (a secret file that does not parse:
        NAME.json.damaged-TIME, 0600; a keyring entry: PROFILE:KIND.damaged-TIME), saying so on
        stderr. For login, logout and profile remove; other profiles are not read."""
        import time

        from oauth2cli.store.filestore import DamagedEntry, FileStore
        from oauth2cli.store.secrets import KINDS

        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.deps.clock()))
        secrets = self.secrets
        files = [s for s in (secrets, getattr(secrets, "file", None)) if isinstance(s, FileStore)]
        moved = [str(p) for f in files if (p := f.repair(profile, stamp)) is not None]
        if not isinstance(secrets, FileStore) and hasattr(secrets, "repair"):
            moved += [name for kind in KINDS if (name := secrets.repair(profile, kind, stamp)) is not None]
        try:
            self.load_tokens(profile)
        except DamagedEntry:
            if isinstance(secrets, FileStore):
                aside = secrets.repair(profile, stamp, drop="tokens")
            else:
                aside = secrets.repair(profile, "tokens", stamp, force=True)
            moved.append(str(aside))
        for name in moved:
            self.deps.stderr.write(f"oauth2: warning: the damaged store entry of profile {profile!r} was "
                                   f"moved aside to {name}\n")
            self.deps.stderr.flush()
        return moved

    def saved_at(self, profile: str) -> float | None:
        """When the token set last read for `profile` was saved (so its lifetime is known)."""
        return self._saved_at.get(profile)

    def delete_tokens(self, profile: str) -> None:
        self.secrets.delete(profile, "tokens")

    # -- the per-profile lock -------------------------------------------------
    @contextlib.contextmanager
    def lock(self, profile: str, wait: float | None = None) -> Iterator[Path]:
        """Hold the profile's file lock (store/lock.py). Re-entrant within a thread,
        whoever took it first (a fast path in entry.py takes it before the full path runs)."""
        from oauth2cli.store.lock import DEFAULT_WAIT, profile_lock

        with profile_lock(paths.state_dir(self.deps.environ), profile,
                          wait=DEFAULT_WAIT if wait is None else wait) as path:
            yield path


def open_store(deps: Context) -> Store:
    return Store(deps)


class lean_context:  # noqa: N801 - a plain record, named for what it is
    """The Context of a run that has no Deps (store/view.py reading through the store)."""

    __slots__ = ("environ", "store_choice", "stderr", "clock")

    def __init__(self, environ: Mapping[str, str]) -> None:
        import sys
        import time

        self.environ, self.store_choice, self.stderr, self.clock = environ, None, sys.stderr, time.time

"""The fast path of `oauth2 token PROFILE` (and of the helpers that print a fresh token): a
fresh stored token, found without building the run's settings. CI calls `oauth2 token` before
every step; this path reads config.toml and one secret-store entry, and nothing else. Anything
unusual returns None and the full path decides (and reports errors with its own words).

`fresh_token` is the leanest form, for oauth2cli/entry.py: with the file store it imports no
pathlib, typing, json or store package (and tomllib only when config.toml has changed), so a
cached token costs little more than Python's own start. `fresh_stored_token(deps, ...)` is the same answer for code that has a
Deps (and may have replaced its store).
"""

from __future__ import annotations

import os
import sys

from oauth2cli.core.expiry import DEFAULT_LEEWAY, effective_leeway, needs_refresh
from oauth2cli.core.jsonlite import loads  # noqa: F401 (json without its import; also for tests)

TYPE_CHECKING = False  # typing costs ~5 ms to import; this path does without it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from oauth2cli.deps import Deps

    Hit = tuple[str, str, float] | None | bool

# oauth2cli.store.SAVED_AT, not imported (the store package loads pathlib and typing);
# tests/cli/test_startup.py keeps the two equal, and the paths below equal store.paths'.
SAVED_AT = "oauth2cli_saved_at"


def _base(environ: Mapping[str, str], var: str, default: str) -> str:
    value = environ.get(var)
    if value and os.path.isabs(value):  # XDG: a relative path is invalid and ignored
        return value
    return os.path.join(environ.get("HOME") or os.path.expanduser("~"), default)


def config_file(environ: Mapping[str, str]) -> str:
    """oauth2cli.store.paths.config_file, as a string and without pathlib."""
    if environ.get("OAUTH2CLI_CONFIG"):
        return environ["OAUTH2CLI_CONFIG"]
    return os.path.join(_base(environ, "XDG_CONFIG_HOME", ".config"), "oauth2cli", "config.toml")


def secrets_dir(environ: Mapping[str, str]) -> str:
    """oauth2cli.store.paths.data_dir(environ) / "secrets", the file store's folder."""
    return os.path.join(_base(environ, "XDG_DATA_HOME", ".local/share"), "oauth2cli", "secrets")


def state_dir(environ: Mapping[str, str]) -> str:
    """oauth2cli.store.paths.state_dir, where the profile locks are (oauth2cli/profile_lock.py)."""
    return os.path.join(_base(environ, "XDG_STATE_HOME", ".local/state"), "oauth2cli")


def config_memo(environ: Mapping[str, str]) -> str:
    """Where config.toml's parsed form is remembered: oauth2cli.store.paths.cache_dir / "config.json"."""
    return os.path.join(_base(environ, "XDG_CACHE_HOME", ".cache"), "oauth2cli", "config.json")


# A file changed less than this long ago is parsed but not remembered: a second change within
# the file system's timestamp granularity could keep the same stamp (git's "racy clean" rule).
SETTLED_NS = 2_000_000_000


def read_config(environ: Mapping[str, str], now_ns: int | None = None) -> dict | None:
    """config.toml as parsed TOML; {} when there is none; None when it cannot be read or parsed.

    tomllib (with typing, datetime and a dozen regular expressions) costs more to import than the
    rest of this path, so the parsed document is remembered as JSON under $XDG_CACHE_HOME, keyed by
    the file's path, size, inode and change times: any change to the file is a new key."""
    return read_toml(config_file(environ), config_memo(environ), now_ns)


def read_toml(path: str, memo: str, now_ns: int | None = None) -> dict | None:
    """A TOML file parsed, or remembered in `memo` as read_config does; {} when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return {}
    except OSError:
        return None
    stamp = [path, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
    try:
        with open(memo, encoding="utf-8") as f:
            saved = loads(f.read())
        if saved.get("stamp") == stamp and isinstance(saved.get("config"), dict):
            return saved["config"]
    except (OSError, ValueError, AttributeError):
        pass
    config = _parse_toml(path)
    now_ns = time_ns() if now_ns is None else now_ns
    if config is not None and now_ns - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
        _remember(memo, {"stamp": stamp, "config": config})
    return config


def time_ns() -> int:
    import time

    return time.time_ns()


def _parse_toml(path: str) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, ValueError, RecursionError):
        return None


def _remember(memo: str, document: dict) -> None:
    """Write the memo atomically (0600, folder 0700); a value JSON cannot hold (a TOML date) or
    a write that fails leaves no memo, and the next run parses config.toml again."""
    import json

    try:
        text = json.dumps(document)
    except (TypeError, ValueError):
        return
    tmp = f"{memo}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(memo), mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, memo)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _profile(environ: Mapping[str, str], name: str) -> dict | None:
    config = read_config(environ)
    profiles = config.get("profiles") if config else None
    profile = profiles.get(name) if isinstance(profiles, dict) else None
    return profile if isinstance(profile, dict) else None


def fresh_stored_token(deps: Deps, name: str, min_ttl: float | None) -> Hit:
    """(access_token, token_type, expires_at) when the stored token is fresh enough to print as is;
    False when a token is stored but stale (worth waiting for the profile's lock and looking again);
    None when the full path must decide."""
    return _lookup(deps.environ, name, min_ttl, deps.clock, lambda: _secrets_of(deps).get(name, "tokens"))


def fresh_token(environ: Mapping[str, str], name: str, min_ttl: float | None, clock: Callable[[], float]) -> Hit:
    """fresh_stored_token for a run that has no Deps yet: the file store is read directly."""
    return _lookup(environ, name, min_ttl, clock, _reader(environ, name))


def stored_tokens(environ: Mapping[str, str], name: str) -> dict | None:
    """The profile's stored token set (its JSON object, as saved), read as fresh_token reads it;
    None when there is none or it cannot be read (the full path names the fault)."""
    try:
        raw = _reader(environ, name)()
        data = loads(raw) if raw else None
    except Exception:  # noqa: BLE001
        return None
    return data if isinstance(data, dict) else None


def _reader(environ: Mapping[str, str], name: str) -> Callable[[], str | None]:
    if (environ.get("OAUTH2CLI_STORE") or "auto") == "file":
        return lambda: _file_entry(environ, name, "tokens")

    def through_the_store() -> str | None:
        from oauth2cli.deps import Deps

        return _secrets_of(Deps(environ=environ)).get(name, "tokens")

    return through_the_store


def _file_entry(environ: Mapping[str, str], name: str, kind: str) -> str | None:
    """FileStore.get(name, kind) without the store package; errors go to the caller (and so to
    the full path, which names them)."""
    try:
        with open(os.path.join(secrets_dir(environ), f"{name}.json"), encoding="utf-8") as f:
            data = loads(f.read())
    except FileNotFoundError:
        return None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data.get(kind)


def _secrets_of(deps: Deps):
    from oauth2cli.store.direct import direct_store

    direct = direct_store(deps.environ, deps.store_choice)
    if direct is None:
        return deps.store.secrets
    return _Closing(direct)


class _Closing:
    """One read from a direct Secret Service store, closing its D-Bus connection after."""

    def __init__(self, store) -> None:
        self.store = store

    def get(self, name: str, kind: str) -> str | None:
        try:
            return self.store.get(name, kind)
        finally:
            self.store.backend.close()


def _lookup(environ: Mapping[str, str], name: str, min_ttl: float | None, clock: Callable[[], float],
            read: Callable[[], str | None]) -> Hit:
    profile = _profile(environ, name)
    if profile is None:
        return None
    leeway = profile.get("leeway", DEFAULT_LEEWAY)
    if isinstance(leeway, bool) or not isinstance(leeway, (int, float)) or leeway < 0:
        return None
    try:
        raw = read()
        data = loads(raw) if raw else None
    except Exception:  # the full path reports store problems properly
        return None
    if not isinstance(data, dict):
        return None
    access_token, token_type = data.get("access_token"), data.get("token_type", "Bearer")
    expires_at, saved_at = data.get("expires_at"), data.get(SAVED_AT)
    if not isinstance(access_token, str) or not access_token or not isinstance(token_type, str):
        return None
    if not isinstance(expires_at, (int, float)) or isinstance(expires_at, bool):
        return None  # unknown expiry: the full path knows what that means for this profile
    saved_at = saved_at if isinstance(saved_at, (int, float)) and not isinstance(saved_at, bool) else None
    if needs_refresh(expires_at, clock(), effective_leeway(float(leeway), expires_at, saved_at, min_ttl)):
        return False
    return access_token, token_type, float(expires_at)

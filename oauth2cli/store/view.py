"""One lean view of a profile, for every command: config.toml's parsed form (remembered,
store/memo.py), a profile with its preset's settings layered under it and the `{param}`
placeholders filled (store/presets.py), its stored token set (the file store read directly;
another store through store/direct.py or the Store), whether that token is fresh by the one
leeway rule (core/expiry.py), and the "stale: take the profile's lock, look again" step.

CI calls `oauth2 token P` before every step, git and kubectl their helpers on every fetch and
call: with the file store and the memo warm, this imports nothing Python's own start has not
loaded (no pathlib, typing, json, tomllib, keyring, click) but the core's jsonlite and expiry.
Anything unusual is None ("the full path decides"): it reads the same file the same way, and
says what is wrong in its own words.
"""

from __future__ import annotations

import os

from oauth2cli.core.expiry import DEFAULT_LEEWAY, stale
from oauth2cli.core.jsonlite import loads
from oauth2cli.store import SAVED_AT, xdg
from oauth2cli.store.documents import NotEntries, config_problem, parse_entries, stored_name  # noqa: F401 (their readers' names)
from oauth2cli.store.memo import read_toml_or_none

TYPE_CHECKING = False  # typing costs ~5 ms to import; this path does without it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from oauth2cli.store.profile_store import Store

    Hit = tuple[str, str, float] | None | bool


def read_config(environ: Mapping[str, str], now_ns: int | None = None) -> dict | None:
    """config.toml as parsed TOML, remembered (store/memo.py); {} when there is none; None when it
    cannot be read or parsed, or its shape is wrong (config_problem)."""
    config = read_toml_or_none(xdg.config_file(environ), xdg.config_memo(environ), now_ns)
    return None if config is None or config_problem(config) else config


def profiles(environ: Mapping[str, str]) -> dict | None:
    """The [profiles] tables by name; None when config.toml cannot be read (the full path says why)."""
    config = read_config(environ)
    return None if config is None else config.get("profiles", {})


def settings(environ: Mapping[str, str], name: str, profile: dict | None = None) -> dict | None:
    """Profile `name` (or the table `profile` given) over its preset's settings, parameters filled,
    as the full path layers them (store/presets.layers); None when the full path must decide:
    no such profile, a preset that does not exist or cannot be read, a parameter missing, a
    setting the preset requires missing."""
    if profile is None:
        found = profiles(environ)
        profile = found.get(name) if found else None
    if not isinstance(profile, dict):
        return None
    preset = profile.get("preset")
    if preset is None:
        return dict(profile)
    from oauth2cli.store import presets

    try:
        document = presets.read_preset(preset, xdg.preset_memo(environ, preset)) if isinstance(preset, str) else None
        if document is None:
            return None
        values = presets.merge(*presets.layers(preset, document.get("settings", {}), presets.parameters_of(document),
                                               profile))
    except Exception:  # noqa: BLE001 - a parameter missing, a damaged file: the full path names it
        return None
    return None if presets.unmet(document.get("requires", ()), values) else values


def stored_tokens(environ: Mapping[str, str], name: str, store: Store | None = None) -> dict | None:
    """The profile's stored token set (its JSON object, as saved); None when there is none or it
    cannot be read (the full path names the fault). With a `store`, read through it (a test may
    have replaced it); without, the file store directly (OAUTH2CLI_STORE=file)."""
    record = token_record(environ, name, store)
    return record if isinstance(record, dict) else None


def token_record(environ: Mapping[str, str], name: str, store: Store | None = None) -> dict | bool | None:
    """stored_tokens(), telling "none stored" (False) from "cannot be read" (None: the full path
    names the fault), for the commands that list every profile's state (status)."""
    try:
        raw = _raw_tokens(environ, name, store)
        if raw is None:
            return False
        data = loads(raw)
    except Exception:  # noqa: BLE001
        return None
    return data if isinstance(data, dict) else None


def file_store_name(environ: Mapping[str, str]) -> str | None:
    """The file store's name as the Store gives it ("file (FOLDER)") when the environment chose it
    (OAUTH2CLI_STORE=file) and the folder's name is as the Store would write it; None: the Store says."""
    if environ.get("OAUTH2CLI_STORE") != "file":
        return None
    folder = shown_path(xdg.secrets_dir(environ))
    return None if folder is None else f"file ({folder})"


def shown_path(path: str) -> str | None:
    """An xdg.py path as the Store shows it (str of its pathlib.Path); None when pathlib would spell it
    otherwise (a ".", a doubled or trailing slash, a relative path): the Store then shows it."""
    clean = os.path.isabs(path) and path == os.path.normpath(path) and not path.startswith("//") and ".." not in path
    return path if clean else None


def fresh_token(environ: Mapping[str, str], name: str, min_ttl: float | None, clock: Callable[[], float],
                store: Store | None = None, values: dict | None = None) -> Hit:
    """(access_token, token_type, expires_at) when the stored token is fresh enough to use as is;
    False when a token is stored but stale (worth taking the profile's lock and looking again);
    None when the full path must decide. `values`: the profile's settings(), when read already."""
    values = settings(environ, name) if values is None else values
    if values is None:
        return None
    leeway = values.get("leeway", DEFAULT_LEEWAY)
    if isinstance(leeway, bool) or not isinstance(leeway, (int, float)) or leeway < 0:
        return None
    data = stored_tokens(environ, name, store)
    if data is None:
        return None
    access_token, token_type = data.get("access_token"), data.get("token_type", "Bearer")
    expires_at, saved_at = data.get("expires_at"), data.get(SAVED_AT)
    if not isinstance(access_token, str) or not access_token or not isinstance(token_type, str):
        return None
    if not _number(expires_at):
        return None  # unknown expiry: the full path knows what that means for this profile
    if stale(expires_at, saved_at if _number(saved_at) else None, clock(), float(leeway), min_ttl):
        return False
    return access_token, token_type, float(expires_at)


def settle(look: Callable[[], object], lock: Callable[[], object], full: Callable[[], object]) -> object:
    """The answer look() gives from a fresh stored token. When look() finds the token stale (False),
    the profile's `lock` is taken and look() asked again: of N processes racing on an expired
    token, one runs `full()` (the full path, which refreshes inside this same re-entrant lock) and
    the others answer from what it saved. Returns look()'s answer; None when look() cannot decide
    (nothing was run: the caller goes to the full path), also when the lock cannot be taken
    here; False when full() ran."""
    found = look()
    if found is False:
        held = lock()
        try:
            held.__enter__()
        except OSError:
            return None  # the lock's folder is not made yet (lean_lock): the full path makes it
        try:
            found = look()
            if not found:
                full()
                return False
        finally:
            held.__exit__(None, None, None)
    return found or None


def lean_lock(environ: Mapping[str, str], name: str):
    """The profile's lock as the lean paths take it (Store.lock is the same file, with
    its folders made private): an OSError when they are not yet, and the full path makes them."""
    from oauth2cli.store.lock import ProfileLock

    return ProfileLock(xdg.state_dir(environ), name)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _raw_tokens(environ: Mapping[str, str], name: str, store: Store | None) -> str | None:
    if store is None and (environ.get("OAUTH2CLI_STORE") or "auto") == "file":
        return file_entry(environ, name, "tokens")
    from oauth2cli.store.direct import direct_store

    direct = direct_store(environ, store.deps.store_choice if store is not None else None)
    if direct is not None:
        try:
            return direct.get(name, "tokens")
        finally:
            direct.backend.close()  # one read: the D-Bus connection goes now
    if store is None:
        from oauth2cli.store.profile_store import Store, lean_context

        store = Store(lean_context(environ))
    return store.secrets.get(name, "tokens")


def file_entry(environ: Mapping[str, str], name: str, kind: str) -> str | None:
    """FileStore.get(name, kind) without pathlib or json: the same file, parsed by the same
    parse_entries; errors go to the caller (and so to the full path, which names them)."""
    return file_entries(environ, name).get(kind)


def file_entries(environ: Mapping[str, str], name: str) -> dict:
    """Every entry the file store keeps for profile `name` (kind -> value; {} when it has no file),
    read as file_entry reads one."""
    try:
        with open(os.path.join(xdg.secrets_dir(environ), f"{stored_name(name, environ)}.json"), "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return {}
    return parse_entries(raw)

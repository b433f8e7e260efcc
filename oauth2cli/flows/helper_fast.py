"""The fast paths of `oauth2 git-credential get` and `oauth2 kube-credential PROFILE`: git and
kubectl run them on every fetch and every call, so a fresh stored token is answered before
click (or httpx, rich, keyring, joserfc) is imported, as `oauth2 token PROFILE` is
(flows/cached.py). Anything unusual goes to the full path, which gives the same answer or
says what is wrong.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

GIT, KUBE = "git-credential", "kube-credential"


def _plain(args: list[str]) -> tuple[str, str | None, str | None] | None:
    """(command, profile, kind) of exactly the calls served here, else None."""
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in os.environ):
        return None  # flags in disguise: the full path reads them
    if args[:1] == [GIT]:
        if args[1:] == ["get"]:
            return GIT, None, None
        if len(args) == 4 and args[1] in ("-p", "--profile") and args[3] == "get" and not args[2].startswith("-"):
            return GIT, args[2], None
        return None
    if args[:1] == [KUBE] and len(args) in (2, 3) and args[1] and not args[1].startswith("-"):
        kinds = {"--id-token": "id_token", "--access-token": "access_token"}
        if len(args) == 2:
            return KUBE, args[1], None
        if args[2] in kinds:
            return KUBE, args[1], kinds[args[2]]
    return None


def _load_toml(path) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _profiles(deps: Deps) -> dict | None:
    from oauth2cli.store import paths

    data = _load_toml(paths.config_file(deps.environ))
    profiles = data.get("profiles", {}) if data is not None else None
    return profiles if isinstance(profiles, dict) else None


def _layers(profile: dict) -> list[dict]:
    """The profile, then its preset's settings (for git_username and scope)."""
    preset = profile.get("preset")
    if not isinstance(preset, str) or not preset.replace("-", "").replace("_", "").isalnum():
        return [profile]
    from pathlib import Path

    data = _load_toml(Path(__file__).resolve().parent.parent / "providers" / f"{preset}.toml")
    settings = data.get("settings") if data else None
    return [profile, settings if isinstance(settings, dict) else {}]


def _stored_id_token(deps: Deps, name: str) -> str | None:
    """The stored id_token (validated when it was saved), read as flows/cached.py reads tokens."""
    import json

    from oauth2cli.store.direct import direct_store

    direct = direct_store(deps.environ, deps.store_choice)
    try:
        raw = (direct or deps.store.secrets).get(name, "tokens")
    finally:
        if direct is not None:
            direct.backend.close()
    data = json.loads(raw) if raw else None
    token = data.get("id_token") if isinstance(data, dict) else None
    return token if isinstance(token, str) and token else None


def _answer(deps: Deps, command: str, name: str, profile: dict, kind: str | None, hit) -> str | None:
    """The text to print for a fresh stored token `hit`, or None when the full path must decide."""
    access_token, token_type, expires_at = hit
    if command == GIT:
        if token_type != "Bearer":
            return None
        from oauth2cli.core.gitcred import format_answer, git_username

        return format_answer(git_username(*_layers(profile)), access_token, expires_at)
    from oauth2cli.core.kube import default_kind, exec_credential, id_token_expiry, parse_exec_info

    info = parse_exec_info(deps.environ.get("KUBERNETES_EXEC_INFO"))
    if kind is None:
        scope = next((layer["scope"] for layer in _layers(profile) if isinstance(layer.get("scope"), str)), None)
        kind = default_kind(scope)
    if kind == "access_token":
        return exec_credential(info.api_version, access_token, expires_at) if token_type == "Bearer" else None
    id_token = _stored_id_token(deps, name)
    if id_token is None:
        return None
    from oauth2cli.core.expiry import DEFAULT_LEEWAY
    from oauth2cli.core.kube import id_token_stale

    leeway = profile.get("leeway", DEFAULT_LEEWAY)
    if not isinstance(leeway, (int, float)) or id_token_stale(id_token, deps.clock(), float(leeway)):
        return None
    return exec_credential(info.api_version, id_token, id_token_expiry(id_token))


def _serve(args: list[str], full_path) -> bool:
    plain = _plain(args)
    if plain is None:
        return False
    command, name, kind = plain
    from oauth2cli.deps import Deps
    from oauth2cli.flows.cached import fresh_stored_token

    deps = Deps()
    if command == GIT:
        from oauth2cli.core.gitcred import parse_request
        from oauth2cli.flows.git_credential import PROTOCOLS, match_profile

        from oauth2cli.core.gitcred import MAX_INPUT

        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        # Whatever happens next, the full path must see the same input.
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
        request = parse_request(data)
        profiles = _profiles(deps)
        if profiles is None:
            return False
        if name is None:
            name = match_profile(profiles, request) if request.protocol in PROTOCOLS else None
            if name is None:
                return True  # not ours: nothing printed, git asks its next helper
        if request.protocol not in PROTOCOLS or request.username:
            return False
    else:
        profiles = _profiles(deps)
        if profiles is None:
            return False
    profile = profiles.get(name)
    if not isinstance(profile, dict):
        return False
    hit = fresh_stored_token(deps, name, None)
    if hit is False:
        # Stale: wait for the profile's lock and look again; one racer refreshes on the full path
        # (inside this same re-entrant lock) and the others answer from here.
        with deps.store.lock(name):
            hit = fresh_stored_token(deps, name, None)
            text = _answer(deps, command, name, profile, kind, hit) if hit else None
            if text is None:
                full_path(args)  # exits
    else:
        text = _answer(deps, command, name, profile, kind, hit) if hit else None
    if text is None:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def serve(args: list[str], full_path) -> bool:
    """True when the call was answered here; False sends it to the full path (click), which
    `full_path(args)` runs when the answer must come from it inside the profile's lock."""
    try:
        return _serve(args, full_path)
    except KeyboardInterrupt:
        sys.stderr.write("oauth2: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the full path says what is wrong, in its own words
        from oauth2cli.core.errors import StoreError

        if isinstance(exc, StoreError):  # e.g. the profile lock not released in time: no second wait
            sys.stderr.write(f"oauth2: error: {exc.message}" + (f"; {exc.hint}" if exc.hint else "") + "\n")
            sys.exit(1)
        return False

"""The fast paths of `oauth2 git-credential get` and `oauth2 kube-credential PROFILE`: git and
kubectl run them on every fetch and every call, so a fresh stored token is answered before
click (or httpx, rich, keyring, joserfc) is imported, as `oauth2 token PROFILE` is, and with
the same lean view of a profile (store/view.py: config.toml's remembered parse, the preset
layered with its parameters filled, the file store read directly): with the file store and a
fresh token this imports no typing, pathlib, json or enum, only core/gitcred.py or
core/kube.py on top of what `token` imports (and
urllib.parse when git's request must be matched against the profiles' `urls`). Anything
unusual goes to the full path, which gives the same answer or says what is wrong.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs ~5 ms to import; this path does without it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

GIT, KUBE = "git-credential", "kube-credential"


def _plain(args: list[str], environ: Mapping[str, str]) -> tuple[str, str | None, str | None] | None:
    """(command, profile, kind) of exactly the calls served here, else None."""
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in environ):
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


def _answer(environ: Mapping[str, str], command: str, name: str, settings: dict, kind: str | None,
            hit: tuple[str, str, float], now: float) -> str | None:
    """The text to print for a fresh stored token `hit`, or None when the full path must decide.
    `settings`: the profile over its preset (store/view.settings)."""
    access_token, token_type, expires_at = hit
    if command == GIT:
        if token_type != "Bearer":
            return None
        from oauth2cli.core.gitcred import format_answer, git_username

        return format_answer(git_username(settings), access_token, expires_at)
    from oauth2cli.core.kube import default_kind, exec_credential, id_token_expiry, id_token_stale, parse_exec_info

    info = parse_exec_info(environ.get("KUBERNETES_EXEC_INFO"))
    if kind is None:
        scope = settings.get("scope")
        kind = default_kind(scope if isinstance(scope, str) else None)
    if kind == "access_token":
        return exec_credential(info.api_version, access_token, expires_at) if token_type == "Bearer" else None
    from oauth2cli.store.view import stored_tokens

    stored = stored_tokens(environ, name)
    id_token = stored.get("id_token") if stored is not None else None
    if not isinstance(id_token, str) or not id_token:
        return None
    from oauth2cli.core.expiry import DEFAULT_LEEWAY

    leeway = settings.get("leeway", DEFAULT_LEEWAY)
    if not isinstance(leeway, (int, float)) or id_token_stale(id_token, now, float(leeway)):
        return None
    return exec_credential(info.api_version, id_token, id_token_expiry(id_token))


def _serve(args: list[str], full_path: Callable[[list[str]], None], environ: Mapping[str, str]) -> bool:
    plain = _plain(args, environ)
    if plain is None:
        return False
    command, name, kind = plain
    import time

    from oauth2cli.store import view

    if command == GIT:
        from oauth2cli.core.gitcred import MAX_INPUT, PROTOCOLS, match_profile, parse_request

        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        # Whatever happens next, the full path must see the same input.
        import io

        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
        request = parse_request(data)
    config = view.read_config(environ)
    if not config:
        return False  # no config.toml, or one that cannot be read: the full path says so
    profiles = config.get("profiles", {})
    if command == GIT:
        if name is None:
            name = match_profile(profiles, request) if request.protocol in PROTOCOLS else None
            if name is None:
                return True  # not ours: nothing printed, git asks its next helper
        if request.protocol not in PROTOCOLS or request.username:
            return False
    settings = view.settings(environ, name, profiles.get(name))
    if settings is None:
        return False

    def look() -> str | bool | None:
        hit = view.fresh_token(environ, name, None, time.time, values=settings)
        return _answer(environ, command, name, settings, kind, hit, time.time()) if hit else hit

    # Stale: wait for the profile's lock and look again, as `oauth2 token` does (store/view.settle).
    text = view.settle(look, lambda: view.lean_lock(environ, name), lambda: full_path(args))
    if not text:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def serve(args: list[str], full_path: Callable[[list[str]], None], environ: Mapping[str, str] | None = None) -> bool:
    """True when the call was answered here; False sends it to the full path (click), which
    `full_path(args)` runs when the answer must come from it inside the profile's lock.
    Interrupts, a closed pipe and store errors are handled as for every fast path (entry._fast)."""
    return _serve(args, full_path, os.environ if environ is None else environ)

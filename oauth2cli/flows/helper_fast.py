"""The fast paths of `oauth2 git-credential get` and `oauth2 kube-credential PROFILE`: git and
kubectl run them on every fetch and every call, so a fresh stored token is answered before
click (or httpx, rich, keyring, joserfc) is imported, as `oauth2 token PROFILE` is, and with
the same lean pieces (flows/cached.py: config.toml's remembered parse, the file store read
directly): with the file store and a fresh token this imports no typing, pathlib, json, enum
or store package, only core/gitcred.py or core/kube.py on top of what `token` imports (and
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
PROVIDERS = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "providers")


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


def _layers(environ: Mapping[str, str], profile: dict) -> list[dict]:
    """The profile, then its preset's settings (for git_username and scope). The preset file is
    read only when the profile does not say, and remembered as config.toml is (flows/cached.py)."""
    preset = profile.get("preset")
    if not isinstance(preset, str) or not preset.replace("-", "").replace("_", "").isalnum():
        return [profile]
    from oauth2cli.flows.cached import config_memo, read_toml

    memo = os.path.join(os.path.dirname(config_memo(environ)), f"preset-{preset}.json")
    data = read_toml(os.path.join(PROVIDERS, f"{preset}.toml"), memo)
    settings = data.get("settings") if data else None
    return [profile, settings if isinstance(settings, dict) else {}]


def _first(environ: Mapping[str, str], profile: dict, key: str) -> list[dict]:
    """The layers that matter for `key` (a string setting): the profile alone when it sets it."""
    value = profile.get(key)
    return [profile] if isinstance(value, str) and (value or key != "git_username") else _layers(environ, profile)


def _answer(environ: Mapping[str, str], command: str, name: str, profile: dict, kind: str | None,
            hit: tuple[str, str, float], now: float) -> str | None:
    """The text to print for a fresh stored token `hit`, or None when the full path must decide."""
    access_token, token_type, expires_at = hit
    if command == GIT:
        if token_type != "Bearer":
            return None
        from oauth2cli.core.gitcred import format_answer, git_username

        return format_answer(git_username(*_first(environ, profile, "git_username")), access_token, expires_at)
    from oauth2cli.core.kube import default_kind, exec_credential, id_token_expiry, id_token_stale, parse_exec_info

    info = parse_exec_info(environ.get("KUBERNETES_EXEC_INFO"))
    if kind is None:
        scope = next((layer["scope"] for layer in _first(environ, profile, "scope")
                      if isinstance(layer.get("scope"), str)), None)
        kind = default_kind(scope)
    if kind == "access_token":
        return exec_credential(info.api_version, access_token, expires_at) if token_type == "Bearer" else None
    from oauth2cli.flows.cached import stored_tokens

    stored = stored_tokens(environ, name)
    id_token = stored.get("id_token") if stored is not None else None
    if not isinstance(id_token, str) or not id_token:
        return None
    from oauth2cli.core.expiry import DEFAULT_LEEWAY

    leeway = profile.get("leeway", DEFAULT_LEEWAY)
    if not isinstance(leeway, (int, float)) or id_token_stale(id_token, now, float(leeway)):
        return None
    return exec_credential(info.api_version, id_token, id_token_expiry(id_token))


def _serve(args: list[str], full_path: Callable[[list[str]], None], environ: Mapping[str, str]) -> bool:
    plain = _plain(args, environ)
    if plain is None:
        return False
    command, name, kind = plain
    import time

    from oauth2cli.flows.cached import fresh_token, read_config

    if command == GIT:
        from oauth2cli.core.gitcred import MAX_INPUT, PROTOCOLS, match_profile, parse_request

        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        # Whatever happens next, the full path must see the same input.
        import io

        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
        request = parse_request(data)
    config = read_config(environ)
    profiles = config.get("profiles", {}) if config else None  # no config.toml: the full path says so
    if not isinstance(profiles, dict):
        return False
    if command == GIT:
        if name is None:
            name = match_profile(profiles, request) if request.protocol in PROTOCOLS else None
            if name is None:
                return True  # not ours: nothing printed, git asks its next helper
        if request.protocol not in PROTOCOLS or request.username:
            return False
    profile = profiles.get(name)
    if not isinstance(profile, dict):
        return False
    hit = fresh_token(environ, name, None, time.time)
    if hit is False:
        # Stale: wait for the profile's lock and look again, as entry._token does; one racer
        # refreshes on the full path (inside this same re-entrant lock) and the others answer
        # from here, with the lean lock and look too.
        from oauth2cli.flows.cached import state_dir
        from oauth2cli.profile_lock import ProfileLock

        with ProfileLock(state_dir(environ), name):
            hit = fresh_token(environ, name, None, time.time)
            text = _answer(environ, command, name, profile, kind, hit, time.time()) if hit else None
            if text is None:
                full_path(args)  # exits
    else:
        text = _answer(environ, command, name, profile, kind, hit, time.time()) if hit else None
    if text is None:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def serve(args: list[str], full_path: Callable[[list[str]], None], environ: Mapping[str, str] | None = None) -> bool:
    """True when the call was answered here; False sends it to the full path (click), which
    `full_path(args)` runs when the answer must come from it inside the profile's lock.
    Interrupts, a closed pipe and store errors are handled as for every fast path (entry._fast)."""
    return _serve(args, full_path, os.environ if environ is None else environ)

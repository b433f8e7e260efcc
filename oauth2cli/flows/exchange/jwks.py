"""A server's JWK Set: fetched from jwks_uri, cached under $XDG_CACHE_HOME/oauth2cli/jwks/
(public keys only, files 0600) for a TTL, and fetched once more when a kid is unknown."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from oauth2cli.core import jwks as core_jwks
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import HttpRequest, parse_json_object

if TYPE_CHECKING:
    from pathlib import Path

    from oauth2cli.deps import Deps
    from oauth2cli.transport.http import HttpClient


def cache_path(deps: Deps, uri: str) -> Path:
    from oauth2cli.store.paths import cache_dir

    name = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:32]
    return cache_dir(deps.environ) / "jwks" / f"{name}.json"


def _read_cache(deps: Deps, uri: str) -> core_jwks.JwkSet | None:
    try:
        cached = core_jwks.JwkSet.from_cache(cache_path(deps, uri).read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError, ProtocolError):
        return None  # missing or damaged: fetch again
    return cached if cached.uri == uri else None


def _write_cache(deps: Deps, jwks: core_jwks.JwkSet) -> None:
    from oauth2cli.core.errors import StoreError
    from oauth2cli.store.paths import atomic_write

    path = cache_path(deps, jwks.uri or "")
    try:
        atomic_write(path, jwks.to_json().encode("utf-8"), mode=0o600)
    except (OSError, StoreError) as exc:
        # A cache we cannot write (full, read-only) costs only a fetch next time: the command goes
        # on, and says so once, naming the folder (no store, login or token is at stake).
        reason = exc.message if isinstance(exc, StoreError) else (exc.strerror or str(exc))
        deps.stderr.write(f"oauth2: warning: cannot cache the server's signing keys in {path.parent}: {reason}; "
                          "they will be fetched again next time (check that folder's space and permissions)\n")
        deps.stderr.flush()


def fetch(uri: str, http: HttpClient, now: float) -> core_jwks.JwkSet:
    response = http.send(HttpRequest("GET", uri, headers=(("Accept", "application/jwk-set+json, application/json"),)))
    if response.status != 200:
        raise ProtocolError(f"cannot fetch the JWK Set at {uri}: {response.describe()}")
    data: Any = parse_json_object(response, f"JWK Set at {uri}")
    ttl = core_jwks.ttl_from_cache_control(response.header("Cache-Control"))
    return core_jwks.parse_jwks(data, uri=uri, fetched_at=now, ttl=ttl)


def load(uri: str, deps: Deps, http: HttpClient, *, refresh: bool = False) -> core_jwks.JwkSet:
    """The JWK Set at `uri`: from the cache while fresh, else fetched (and cached)."""
    return _load(uri, deps, http, refresh=refresh)[0]


def _load(uri: str, deps: Deps, http: HttpClient, *, refresh: bool) -> tuple[core_jwks.JwkSet, bool]:
    now = deps.clock()
    if not refresh:
        cached = _read_cache(deps, uri)
        if cached is not None and cached.fresh(now):
            return cached, True
    fetched = fetch(uri, http, now)
    _write_cache(deps, fetched)
    return fetched, False


def verify(token: str, header: dict[str, Any], uri: str, deps: Deps, http: HttpClient, *, what: str) -> None:
    """Verify an asymmetric JWS with the keys at `uri`. An unknown kid in a cached set fetches
    the set once more: the server may have rotated its keys since."""
    jwks, from_cache = _load(uri, deps, http, refresh=False)
    try:
        core_jwks.verify_with_jwks(token, header, jwks, what=what)
    except core_jwks.UnknownKey:
        if not from_cache:
            raise
        jwks, _ = _load(uri, deps, http, refresh=True)
        core_jwks.verify_with_jwks(token, header, jwks, what=what)

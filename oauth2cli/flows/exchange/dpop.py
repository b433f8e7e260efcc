"""A profile's DPoP key and the proofs made with it (RFC 9449).

The key pair (ES256, P-256) is generated once per profile and kept in the secret store as
kind "dpop_key" (a private JWK, ~190 bytes: well under Windows' credential size cap).
A run without a profile gets a key for that run only. Nonces a server hands out are
remembered per origin for the rest of the run (RFC 9449 §8.2, §9).
"""

from __future__ import annotations

import contextlib

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oauth2cli.core import dpop as core_dpop
from oauth2cli.core import jose
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest, HttpResponse
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.transport.http import HttpClient

KIND = "dpop_key"
ALG = "ES256"


class _RunState:
    """What one run remembers: loaded keys, and the last nonce each origin gave."""

    def __init__(self) -> None:
        self.keys: dict[str | None, object] = {}
        self.nonces: dict[str, str] = {}


def _state(deps: Deps) -> _RunState:
    state = getattr(deps, "_dpop_state", None)
    if state is None:
        state = _RunState()
        deps._dpop_state = state  # type: ignore[attr-defined]
    return state


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def generate_key():
    from joserfc.jwk import ECKey

    return ECKey.generate_key("P-256", private=True)


def key_for(settings: ClientSettings, deps: Deps):
    """The profile's DPoP key, created and stored on first use."""
    state = _state(deps)
    profile = settings.profile
    if profile in state.keys:
        return state.keys[profile]
    if profile is None:
        key = generate_key()
    else:
        import json

        raw = deps.store.secrets.get(profile, KIND)
        if not raw:
            # Two first runs at once must not each bind tokens to a key of their own: create under
            # the profile's lock (re-entrant, so a refresh already holding it is fine), then re-read.
            lock = getattr(deps.store, "lock", None)
            with lock(profile) if lock is not None else contextlib.nullcontext():
                raw = deps.store.secrets.get(profile, KIND)
                if not raw:
                    raw = json.dumps(generate_key().as_dict(private=True), separators=(",", ":"))
                    deps.store.secrets.set(profile, KIND, raw)
        key = jose.load_private_key(raw, source=f"the stored DPoP key of profile {profile!r}")
    state.keys[profile] = key
    return key


def proof(settings: ClientSettings, deps: Deps, method: str, url: str, *, access_token: str | None = None,
          nonce: str | None = None) -> str:
    """A fresh proof for one request; the origin's remembered nonce unless one is given."""
    key = key_for(settings, deps)
    if nonce is None:
        nonce = _state(deps).nonces.get(origin(url))
    return core_dpop.build_proof(key, method, url, now=deps.clock(), jti=jose.new_jti(), alg=ALG,
                                 access_token=access_token, nonce=nonce)


def remember_nonce(deps: Deps, url: str, headers) -> None:
    nonce = core_dpop.nonce_from(headers)
    if nonce:
        _state(deps).nonces[origin(url)] = nonce


def send_token_request(settings: ClientSettings, deps: Deps, http: HttpClient,
                       request: HttpRequest | Callable[[], HttpRequest]) -> HttpResponse:
    """Send a token request with a DPoP proof; once more with the server's nonce on use_dpop_nonce (§8).

    `request` may be a function that builds it: the retry then gets a freshly built request, so a
    client assertion in it has a new jti (RFC 7523 §3: the server refuses a replayed one).
    """
    build = request if callable(request) else (lambda: request)
    first = build()
    response = http.send(first.with_header("DPoP", proof(settings, deps, first.method, first.url)))
    remember_nonce(deps, first.url, response.headers)
    nonce = core_dpop.token_endpoint_wants_nonce(response.status, response.headers, response.body)
    if nonce:
        again = build()
        response = http.send(again.with_header("DPoP", proof(settings, deps, again.method, again.url, nonce=nonce)))
        remember_nonce(deps, again.url, response.headers)
    return response


def bare_header_refused() -> ConfigError:
    """What `oauth2 token --output header` says for a DPoP-bound token (RFC 9449 §7.1)."""
    return ConfigError("a DPoP-bound token needs a fresh proof with every request; a bare header is not enough",
                       hint="send requests with `oauth2 call URL`, which adds both")

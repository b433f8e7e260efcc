"""The helpers' answer from a fresh stored token, read through the store's lean view of a
profile (store/view.py) before anything a refresh or a login needs is imported: git and kubectl
run their helper on every fetch and every call. It is the first step of the one use case
(flows/helpers/git_credential.get, flows/helpers/kube.credential), not a path of its own: when the view cannot
decide (no config.toml, a preset it cannot read, a token that is missing, stale or DPoP-bound,
a username in git's request), the same use case goes on with the full settings; a stale token
is looked at again under the profile's lock (store/view.settle), so of N helpers racing on an
expired token one refreshes and the others print what it saved.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms to import; git runs this on every fetch
if TYPE_CHECKING:
    from collections.abc import Callable

    from oauth2cli.deps import Deps


def settled(deps: Deps, name: str, answer: Callable[[dict, tuple], str | None], full: Callable[[], str]) -> str | None:
    """answer(settings, hit) for profile `name`'s fresh stored token; full() run under the profile's
    lock when the token is stale (its result returned); None when the view cannot decide."""
    if deps.given_store() is not None:
        return None  # a store of the run's own (a test's, --store): the full settings read it
    from oauth2cli.store import view

    settings = view.settings(deps.environ, name)
    if settings is None:
        return None

    def look():
        hit = view.fresh_token(deps.environ, name, None, deps.clock, values=settings)
        return answer(settings, hit) if hit else hit

    ran: list[str] = []
    found = view.settle(look, lambda: view.lean_lock(deps.environ, name), lambda: ran.append(full()))
    return found or (ran[0] if ran else None)


def profiles(deps: Deps) -> dict | None:
    """config.toml's profiles as the view reads them; None when the full path must say why not."""
    if deps.given_store() is not None:
        return None
    from oauth2cli.store import view

    config = view.read_config(deps.environ)  # None when its shape is wrong too (documents.config_problem)
    if not config:
        return None
    return config.get("profiles", {})


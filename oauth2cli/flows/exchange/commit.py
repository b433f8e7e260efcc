"""The commit point of a token answer: a rotated refresh token exists in one place once the
server has answered, so the answer is treated like a database treats a commit.

    with commit.prepared(deps, profile, previous=stored, kind="refresh") as c:
        new = token_flow.refresh(...)     # exchange() hands the parsed answer to c.answer()
        ...id_token checks...
        c.final(new)

- prepared() proves the store can take the answer before anything is sent (the temp file of
  the atomic write is made and filled in the target folder; a keyring entry is written again):
  when it cannot, StoreError, and nothing has been sent.
- answer() is called by flows.exchange.token.exchange() and the device poll the moment an answer is
  parsed, before any id_token validation, discovery or JWKS fetch: under the profile's lock,
  the rotated refresh token is saved (fsynced) with the tokens it replaces; the unchecked
  access and id tokens wait in memory for final().
- final() saves the checked token set. A login whose checks fail (or that is interrupted)
  puts back the tokens that were there before; a refresh keeps its rotated refresh token.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from oauth2cli.core.errors import StoreError

if TYPE_CHECKING:
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

_ACTIVE: ContextVar[Commit | None] = ContextVar("oauth2cli_commit", default=None)


class Commit:
    def __init__(self, deps: Deps, profile: str, previous: TokenSet | None, kind: str) -> None:
        self.deps = deps
        self.profile = profile
        self.previous = previous
        self.kind = kind  # "refresh", "login" or "grant"
        self.reserved: Any = None
        self.saved: TokenSet | None = None  # what the store holds now, when we wrote it
        self.finished = False
        self._locks = contextlib.ExitStack()
        self._locked = False

    # -- before the request ---------------------------------------------------
    def prepare(self) -> None:
        try:
            prepare = getattr(self.deps.store, "prepare_tokens", None)  # a test's stand-in may have none
            self.reserved = prepare(self.profile) if prepare is not None else None
        except StoreError as exc:
            raise StoreError(f"{exc.message}; nothing was sent to the server, the stored tokens of "
                             f"profile {self.profile!r} are unchanged", hint=exc.hint) from None

    # -- the answer -------------------------------------------------------------
    def answer(self, tokens: TokenSet) -> None:
        """The parsed answer, unchecked: save what must not wait (the rotated refresh token)."""
        keep = self._provisional(tokens)
        if keep is not None:
            self._save(keep)

    def _provisional(self, tokens: TokenSet) -> TokenSet | None:
        previous = self.previous
        if self.kind == "refresh" and previous is not None:
            new = tokens.after_refresh(previous)
            if not new.id_token or new.id_token == previous.id_token:
                return new  # nothing left to check: the whole answer is final
            if tokens.refresh_token and tokens.refresh_token != previous.refresh_token:
                return replace(previous, refresh_token=tokens.refresh_token)
            return None  # the old refresh token still works: nothing is at stake
        if self.kind == "login" and tokens.refresh_token:
            # The code is spent: keep the grant, but not an id_token nobody has checked yet.
            return replace(tokens, id_token=None) if tokens.id_token else tokens
        return None

    def final(self, tokens: TokenSet) -> None:
        if self.saved is not tokens and self.saved != tokens:
            self._save(tokens)
        self.finished = True

    def _save(self, tokens: TokenSet) -> None:
        lock = getattr(self.deps.store, "lock", None)
        if lock is not None and not self._locked:
            self._locks.enter_context(lock(self.profile))  # re-entrant: a refresh holds it already
            self._locked = True
        reserved, self.reserved = self.reserved, None
        if reserved is not None:
            self.deps.store.save_tokens(self.profile, tokens, reserved=reserved)
        else:
            self.deps.store.save_tokens(self.profile, tokens)
        self.saved = tokens

    # -- afterwards ---------------------------------------------------------------
    def close(self, failed: bool) -> None:
        try:
            if failed and self.kind == "login" and self.saved is not None and not self.finished:
                # The login did not complete: what was there before is what stays.
                if self.previous is not None:
                    self.deps.store.save_tokens(self.profile, self.previous)
                else:
                    self.deps.store.delete_tokens(self.profile)
        finally:
            if self.reserved is not None:
                self.reserved.release()
                self.reserved = None
            self._locks.close()


def active() -> Commit | None:
    return _ACTIVE.get()


def on_answer(tokens: TokenSet) -> None:
    """Called where a token answer is parsed (flows.exchange.token.exchange, the device poll)."""
    current = _ACTIVE.get()
    if current is not None:
        current.answer(tokens)


@contextlib.contextmanager
def prepared(deps: Deps, profile: str | None, *, previous: TokenSet | None = None,
             kind: str = "refresh") -> Iterator[Commit | None]:
    """Prove the store can take the answer, then collect it (None: nothing is saved)."""
    if not profile:
        yield None
        return
    commit = Commit(deps, profile, previous, kind)
    commit.prepare()
    token = _ACTIVE.set(commit)
    failed = True
    try:
        yield commit
        failed = False
    finally:
        _ACTIVE.reset(token)
        commit.close(failed)

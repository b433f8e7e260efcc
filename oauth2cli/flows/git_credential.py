"""`oauth2 git-credential get|store|erase`: a profile's access token as git's password.

The profile is the one named with -p (what `oauth2 setup-git` writes), else the one whose
`urls` cover the URL git asks about. git sends no path unless credential.useHttpPath is set,
so without a path a profile matches on scheme, host and port alone. No match: nothing is
printed, and git asks its next helper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.gitcred import PROTOCOLS, CredentialRequest, covers, format_answer, git_username, match_profile  # noqa: F401

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.helper import HelperChoices

def profile_for(deps: Deps, request: CredentialRequest, explicit: str | None) -> str | None:
    if request.protocol not in PROTOCOLS:
        return None  # a token is an HTTP credential; git asks helpers about smtp and cert too
    if explicit:
        deps.store.profile(explicit)  # an unknown profile is an error, not silence
        return explicit
    return match_profile(deps.store.config.profiles, request)


def get(deps: Deps, request: CredentialRequest, explicit: str | None, choices: HelperChoices) -> str:
    """What `get` prints: username, password and its expiry, or "" to let git ask elsewhere."""
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.helper import helper_tokens

    profile = profile_for(deps, request, explicit)
    if profile is None:
        return ""
    settings = settings_flow.resolve({}, deps, profile)
    username = git_username({"git_username": settings.git_username})
    if request.username and request.username != username:
        return ""  # git asks for another user's credential (user@host in the URL): not ours
    tokens = helper_tokens(settings, deps, choices)
    if tokens.token_type == "DPoP":
        raise ConfigError(f"the token of profile {profile!r} is DPoP-bound; git can only send it as a password",
                          hint="use a profile without dpop for git")
    return format_answer(username, tokens.access_token, tokens.expires_at)


def erase(deps: Deps, request: CredentialRequest, explicit: str | None) -> None:
    """git was refused this password: mark the access token expired, so the next `get` refreshes.
    The refresh token stays; a password that is no longer the stored token changes nothing."""
    from dataclasses import replace

    profile = profile_for(deps, request, explicit)
    if profile is None:
        return
    with deps.store.lock(profile):
        stored = deps.store.load_tokens(profile)
        if stored is None or (request.password is not None and request.password != stored.access_token):
            return
        deps.store.save_tokens(profile, replace(stored, expires_at=deps.clock() - 1))
    deps.stderr.write(f"oauth2: {request.host} refused the access token of profile {profile!r}; "
                      "the next request gets a new one\n")
    deps.stderr.flush()

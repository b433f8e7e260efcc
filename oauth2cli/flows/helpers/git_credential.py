"""`oauth2 git-credential get|store|erase`: a profile's access token as git's password.

The profile is the one named with -p (what `oauth2 setup-git` writes), else the one whose
`urls` cover the URL git asks about. git sends no path unless credential.useHttpPath is set,
so without a path a profile matches on scheme, host and port alone. No match: nothing is
printed, and git asks its next helper.
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.gitcred import PROTOCOLS, CredentialRequest, covers, format_answer, git_username, match_profile  # noqa: F401

TYPE_CHECKING = False  # typing costs ~5 ms to import; git runs this on every fetch
if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.helpers.helper import HelperChoices

def plain_http_ok(host: str) -> bool:
    """Plain http only to this machine (host[:port] as git sends it)."""
    from oauth2cli.core.origins import is_loopback_host

    name = host.rpartition("]")[0] + "]" if host.startswith("[") else host.partition(":")[0]
    return is_loopback_host(name)


def profile_for(deps: Deps, request: CredentialRequest, explicit: str | None) -> str | None:
    if request.protocol not in PROTOCOLS:
        return None  # a token is an HTTP credential; git asks helpers about smtp and cert too
    if explicit:
        deps.store.profile(explicit)  # an unknown profile is an error, not silence
        return explicit
    return match_profile(deps.store.config.profiles, request)


def get(deps: Deps, request: CredentialRequest, explicit: str | None, choices: HelperChoices) -> str:
    """What `get` prints: username, password and its expiry, or "" to let git ask elsewhere."""
    if request.protocol not in PROTOCOLS:
        return ""  # a token is an HTTP credential; git asks helpers about smtp and cert too
    if request.protocol == "http" and not plain_http_ok(request.host):
        if profile_for(deps, request, explicit) is None:
            return ""  # not ours anyway
        deps.stderr.write(f"oauth2: not answering for http://{request.host}: a token goes over https only "
                          "(plain http to loopback hosts alone)\n")
        deps.stderr.flush()
        return ""  # RFC 6750 §5.3; git goes on to its next helper
    quick = _from_view(deps, request, explicit, choices)
    return _get(deps, request, explicit, choices) if quick is None else quick


def _from_view(deps: Deps, request: CredentialRequest, explicit: str | None, choices: HelperChoices) -> str | None:
    """The answer from a fresh stored token, read through the store's lean view (flows/helpers/helper_view.py);
    None when only the full settings can say."""
    from oauth2cli.flows.helpers import helper_view

    profiles = helper_view.profiles(deps)
    if profiles is None or request.username:
        return None  # no config.toml to read, or a username to check against the profile's
    name = explicit
    if name is None:
        name = match_profile(profiles, request)
        if name is None:
            return ""  # not ours: nothing printed, git asks its next helper
    elif name not in profiles:
        return None  # the full path names the unknown profile

    def answer(settings: dict, hit: tuple) -> str | None:
        access_token, token_type, expires_at = hit
        return format_answer(git_username(settings), access_token, expires_at) if token_type == "Bearer" else None

    return helper_view.settled(deps, name, answer, lambda: _get(deps, request, name, choices))


def _get(deps: Deps, request: CredentialRequest, explicit: str | None, choices: HelperChoices) -> str:
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.helpers.helper import helper_tokens

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

"""Which profile a URL belongs to, and where a profile's token may go (RFC 6454 origins)."""

from __future__ import annotations

from urllib.parse import urlsplit

from oauth2cli.core.origins import _origin, normalize, profile_urls, same_origin, within  # noqa: F401 (re-exported)
from oauth2cli.core.origins import choose_profile as core_choose
from oauth2cli.core.origins import token_may_go as rule

TYPE_CHECKING = False  # `oauth2 call` reads token_may_go on every run: no typing, no core.settings
if TYPE_CHECKING:
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps


def choose_profile(deps: Deps, url: str, explicit: str | None) -> str | None:
    """-p, else the profile whose `urls` claim `url`; None when none does (no token goes)."""
    if explicit:
        return explicit
    return core_choose(deps.store.config.profiles, url, explicit)


def token_may_go(settings: ClientSettings, url: str, asked: str) -> bool:
    """core.origins.token_may_go (the one rule) for these settings' `urls`."""
    return rule(settings.urls, url, asked)


def answered_urls(deps: Deps, profile: str) -> tuple[str, ...]:
    """Base URLs the token answer itself named: Salesforce's instance_url, where the org's API is."""
    tokens = deps.store.load_tokens(profile)
    url = tokens.extra.get("instance_url") if tokens is not None else None
    if not isinstance(url, str):
        return ()
    from oauth2cli.core.http import is_loopback_host

    parts = urlsplit(url)
    # https only (plain http just to loopback, as for every token the tool sends)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(parts.hostname)):
        return (url,)
    return ()

"""Which profile a URL belongs to, and where a profile's token may go (RFC 6454 origins)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.origins import _origin, profile_urls, same_origin, within  # noqa: F401 (re-exported)
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def choose_profile(deps: Deps, url: str, explicit: str | None) -> str:
    """-p, else the profile whose `urls` best match, else the config's default."""
    if explicit:
        return explicit
    config = deps.store.config
    matches: list[tuple[int, str]] = []
    for name, values in config.profiles.items():
        for base in profile_urls(values):
            if within(url, base):
                matches.append((len(base.rstrip("/")), name))
    if matches:
        matches.sort(reverse=True)
        best = [name for length, name in matches if length == matches[0][0]]
        if len(set(best)) > 1:
            raise ConfigError(f"profiles {', '.join(sorted(set(best)))} all claim {url}", hint="choose one with -p PROFILE")
        return best[0]
    if config.default:
        return config.default
    raise ConfigError(
        f"no profile for {url}",
        hint="choose one with -p PROFILE, tie one to this API with `oauth2 profile set NAME urls URL`, "
             "or set a default with `oauth2 profile default NAME`",
    )


def token_may_go(settings: ClientSettings, url: str) -> bool:
    return not settings.urls or any(within(url, base) for base in settings.urls)


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

"""`oauth2 call` without a profile: a token fetched for this one run (client_credentials, a JWT
bearer assertion, or a token exchange of a CI job's OIDC token), kept in memory only.

Nothing is written to config.toml or the secret store. The token goes where a profile's would:
only to the URL's origin (flows/call/call.py drops it on a redirect to any other).
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.flows.call.call import Call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps

class AdHocCall(Call):
    """A Call whose token comes from a new grant, not from the store."""

    _adhoc_token = None

    def _current_token(self):
        if self._adhoc_token is None:
            self._adhoc_token = fresh_token(self.settings, self.deps)
        return self._adhoc_token

    def _refresh(self, stale):
        # The resource said the token is invalid: one new grant, as a profile would refresh.
        self._adhoc_token = fresh_token(self.settings, self.deps)
        self.refreshes += 1
        return self._adhoc_token


def fresh_token(settings: ClientSettings, deps: Deps):
    """A new token for a run without a profile (`call`, and `exec` at merge): nothing is stored."""
    from oauth2cli.flows.grants import grant_flows

    return grant_flows.run(settings.grant, settings, deps)


def ad_hoc_token(options: Mapping[str, Any], deps: Deps):
    """The settings and a new token from ad-hoc options (flags and OAUTH2_* variables), grant implied."""
    from oauth2cli.flows import settings as settings_flow

    settings = settings_flow.resolve({**options, "grant": ad_hoc_grant(options)}, deps, None)
    return settings, fresh_token(settings, deps)


def wants_ad_hoc(options: Mapping[str, Any]) -> bool:
    """Any of the settings that only an ad-hoc call has (flags or OAUTH2_* variables)."""
    from oauth2cli.core.grants import source_options

    keys = ("grant", "client_id", "issuer", "token_url", *source_options())
    return any(options.get(k) for k in keys)


def ad_hoc_grant(options: Mapping[str, Any]) -> str:
    """--grant, else the one a token source implies, else client_credentials: a grant without a person."""
    from oauth2cli.core import grants

    grant = grants.short_name(options.get("grant") or grants.implied_by(options) or "client_credentials")
    if not grants.is_userless(grant):
        userless = grants.userless_names()
        raise ConfigError(f"`oauth2 call` without a profile cannot use the {grant} grant",
                          hint=f"use --grant {', '.join(userless[:-1])} or {userless[-1]}, or log in to a profile "
                               "and give -p PROFILE")
    return grant


def origin_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/"


def ad_hoc_settings(options: Mapping[str, Any], url: str, deps: Deps, save_as: str | None) -> ClientSettings:
    """The settings of an ad-hoc call; with save_as, first a profile of them (its urls: URL's origin)."""
    from oauth2cli.flows import settings as settings_flow

    grant = ad_hoc_grant(options)
    values = {**options, "grant": grant}
    if save_as:
        from oauth2cli.flows.profiles.profiles import add_profile

        add_profile(save_as, {**values, "url": (origin_of(url),)}, deps)
        deps.stderr.write(f"oauth2: saved profile {save_as!r} to {deps.store.config_path}; "
                          f"next time: oauth2 call -p {save_as} URL\n")
        deps.stderr.flush()
        return settings_flow.resolve({}, deps, save_as)
    return settings_flow.resolve(values, deps, None)


def call_for(settings, deps, **kwargs) -> Call:
    """The profile's Call, or, without a profile, one whose token is a new grant (AdHocCall)."""
    if settings.profile:
        return Call(settings, deps, **kwargs)
    return AdHocCall(settings, deps, **kwargs)

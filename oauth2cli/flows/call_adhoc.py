"""`oauth2 call` without a profile: a token fetched for this one run (client_credentials, a JWT
bearer assertion, or a token exchange of a CI job's OIDC token), kept in memory only.

Nothing is written to config.toml or the secret store. The token goes where a profile's would:
only to the URL's origin (flows/call.py drops it on a redirect to any other).
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.flows.call import Call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps

AD_HOC_GRANTS = ("client_credentials", "jwt-bearer", "token-exchange")


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


def call_settings(opts, url: str, deps: Deps):
    """The run's settings: ad hoc (flags and OAUTH2_* variables), or the chosen profile's (its
    lean view, flows/call_profile.py, when that is exact; else ClientSettings)."""
    options = {k: v for k, v in opts.ad_hoc.items() if k != "save_as" and v not in (None, (), "")}
    save_as = opts.ad_hoc.get("save_as")
    if not opts.profile and (wants_ad_hoc(options) or save_as):
        transport = {"cacert": opts.cacert, "insecure": opts.insecure or None, "allow_http": opts.allow_http or None}
        return ad_hoc_settings({**options, **transport}, url, deps, save_as)
    if save_as:
        raise ConfigError("--save-as makes a new profile: it cannot go with -p")
    from oauth2cli.flows import call_profile

    profile = opts.profile or _claimed_profile(deps, url)
    if profile is None and not opts.print_curl:
        from oauth2cli.flows import resource_login  # issue #20: a resource that names its server (RFC 9728)

        if resource_login.unclaimed(deps, url):
            profile = resource_login.for_call(url, deps)
    if profile is None:
        from oauth2cli.flows.call import choose_profile

        profile = choose_profile(deps, url, None)
    view = call_profile.lean(deps, profile)
    if view is not None:
        view.allow_http = view.allow_http or opts.allow_http
        return view
    return call_profile.full_settings(deps, profile, opts.allow_http)


def _claimed_profile(deps: Deps, url: str) -> str | None:
    """The profile whose `urls` claim `url`, or the default one, read from config.toml's remembered
    parse (core.origins.choose_profile, the one rule); None when that read cannot decide."""
    from oauth2cli.core.origins import choose_profile
    from oauth2cli.flows.cached import read_config

    config = read_config(deps.environ)
    profiles = config.get("profiles") if config else None
    default = config.get("default") if config else None
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        return None
    if not (default is None or isinstance(default, str)):
        return None
    try:
        return choose_profile(profiles, default, url, None)
    except ConfigError:
        return None  # no profile, or a tie: the store's read says so (or RFC 9728 set-up starts)


def call_for(settings: ClientSettings, deps: Deps, **kwargs: Any) -> Call:
    return (Call if settings.profile else AdHocCall)(settings, deps, **kwargs)


def fresh_token(settings: ClientSettings, deps: Deps):
    """A new token for a run without a profile (`call`, and `exec` at merge): nothing is stored."""
    from oauth2cli.flows.session import _fresh_grant

    return _fresh_grant(settings, deps)


def ad_hoc_token(options: Mapping[str, Any], deps: Deps):
    """The settings and a new token from ad-hoc options (flags and OAUTH2_* variables), grant implied."""
    from oauth2cli.flows import settings as settings_flow

    settings = settings_flow.resolve({**options, "grant": ad_hoc_grant(options)}, deps, None)
    return settings, fresh_token(settings, deps)


def wants_ad_hoc(options: Mapping[str, Any]) -> bool:
    """Any of the settings that only an ad-hoc call has (flags or OAUTH2_* variables)."""
    keys = ("grant", "client_id", "issuer", "token_url", "assertion_source", "subject_token_source")
    return any(options.get(k) for k in keys)


def ad_hoc_grant(options: Mapping[str, Any]) -> str:
    grant = options.get("grant")
    if not grant:
        if options.get("assertion_source"):
            grant = "jwt-bearer"
        elif options.get("subject_token_source"):
            grant = "token-exchange"
        else:
            grant = "client_credentials"
    from oauth2cli.core.grants import short_name

    grant = short_name(grant)
    if grant not in AD_HOC_GRANTS:
        raise ConfigError(f"`oauth2 call` without a profile cannot use the {grant} grant",
                          hint="use --grant client_credentials, jwt-bearer or token-exchange, or log in to a profile "
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
        from oauth2cli.flows.profiles import add_profile

        add_profile(save_as, {**values, "url": (origin_of(url),)}, deps)
        deps.stderr.write(f"oauth2: saved profile {save_as!r} to {deps.store.config_path}; "
                          f"next time: oauth2 call -p {save_as} URL\n")
        deps.stderr.flush()
        return settings_flow.resolve({}, deps, save_as)
    return settings_flow.resolve(values, deps, None)

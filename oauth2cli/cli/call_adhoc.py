"""The options of `oauth2 call` without a profile (a CI job's one request), and the settings they make."""

from __future__ import annotations

from typing import Any



AD_HOC_NAMES = (
    "issuer", "token_url", "client_id", "client_secret_env", "client_secret_file", "auth_method", "private_key",
    "key_id", "grant", "scope", "audience", "resource", "params", "assertion_source", "subject_token_source",
    "subject_token_type", "save_as",
)



def pop_ad_hoc(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: kwargs.pop(name) for name in AD_HOC_NAMES if name in kwargs}


def call_settings(opts, url: str, deps):
    """The run's ClientSettings: ad hoc (flags and OAUTH2_* variables) or the chosen profile's."""
    from dataclasses import replace

    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows import call as flow
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.call_adhoc import ad_hoc_settings, wants_ad_hoc

    options = {k: v for k, v in opts.ad_hoc.items() if k != "save_as" and v not in (None, (), "")}
    save_as = opts.ad_hoc.get("save_as")
    if not opts.profile and (wants_ad_hoc(options) or save_as):
        transport = {"cacert": opts.cacert, "insecure": opts.insecure or None, "allow_http": opts.allow_http or None}
        return ad_hoc_settings({**options, **transport}, url, deps, save_as)
    if save_as:
        raise ConfigError("--save-as makes a new profile: it cannot go with -p")
    profile = None
    if not opts.profile and not opts.print_curl:
        from oauth2cli.flows import resource_login  # issue #20: a resource that names its server (RFC 9728)

        if resource_login.unclaimed(deps, url):
            profile = resource_login.for_call(url, deps)
    profile = profile or flow.choose_profile(deps, url, opts.profile)
    settings = settings_flow.resolve({}, deps, profile)
    # `urls` may be one string or a list in config.toml; a preset's urls hold when the profile has none
    settings = replace(settings, urls=tuple(flow.profile_urls(deps.store.profile(profile))) or settings.urls,
                       allow_http=settings.allow_http or opts.allow_http)
    if settings.urls:
        settings = replace(settings, urls=settings.urls + flow.answered_urls(deps, profile))
    return settings

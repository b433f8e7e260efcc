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


def call_settings(opts, url: str, deps):  # its old home
    from oauth2cli.flows.call_profile import call_settings as settings_of

    return settings_of(opts, url, deps)

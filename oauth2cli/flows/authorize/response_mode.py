"""Which response type and response mode a browser login uses, and so how the listener waits:
the query of a GET, the fragment (posted back by the listener's page), or a form POST
(OAuth 2.0 Form Post Response Mode); JARM wraps any of them in one signed `response` JWT."""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.jarm import MODES as JARM_MODES
from oauth2cli.core.jarm import where
from oauth2cli.core.settings import ClientSettings

RESPONSE_TYPES = ("code", "token", "code id_token", "code token", "code id_token token")
RESPONSE_MODES = ("query", "fragment", "form_post", *JARM_MODES)


def listener_mode(settings: ClientSettings) -> tuple[bool, bool, bool]:
    """(in the fragment, as a form POST, as JARM) for these settings; ConfigError for a bad pair."""
    response_type, mode = settings.response_type, settings.response_mode
    if response_type not in RESPONSE_TYPES:
        raise ConfigError(f"response type {response_type!r} is not supported",
                          hint="use " + ", ".join(repr(t) for t in RESPONSE_TYPES))
    if mode is not None and mode not in RESPONSE_MODES:
        raise ConfigError(f"response mode {mode!r} is not supported", hint="use " + ", ".join(RESPONSE_MODES))
    if response_type not in ("code", "token"):
        from oauth2cli.flows.authorize.hybrid import check_settings

        check_settings(settings)
    elif response_type == "token" and mode == "query":
        raise ConfigError("the implicit grant's token must not travel in the query string (response_mode query)")
    jarm = mode in JARM_MODES
    place = where(mode, response_type) if jarm else (mode or ("query" if response_type == "code" else "fragment"))
    return place == "fragment", place == "form_post", jarm

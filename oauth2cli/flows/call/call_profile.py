"""The settings `oauth2 call` sends with (call_settings): ad hoc, or the chosen profile's, read
the lean way when that is exact.

The call pipeline (flows/call/call.py, commands/call.py) reads a handful of settings: the profile's
name and `urls`, the timeout, --cacert/--insecure/--cert/--key, --allow-http, DPoP, step-up and
the compliance fixes. `lean(environ, name)` gives them from config.toml's remembered parse
(store/view.py: the profile over its preset, parameters filled), without the rest of the store package, keyring, dataclasses or typing, but only for a
profile whose every setting is in KNOWN: a key this view reads exactly, or one that cannot change
how a call with a fresh stored token is sent. Any other key (a new one included), a preset that
cannot be read, a value of another type: None, and the call reads core.settings.ClientSettings as every other
command does. An allow-list fails safe: a key added tomorrow makes the call slower, never wrong.

The view gives the full ClientSettings on demand (`full()`): to refresh a token, make a DPoP
proof, or log in again for a step-up. tests/call/test_call_profile.py checks that both read the
same values for the same profile.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from oauth2cli.deps import Deps

from oauth2cli.core.expiry import DEFAULT_TIMEOUT
from oauth2cli.flows.profile_keys import CALL_IDLE, CALL_READS

# The profile vocabulary says which keys the view reads and which a call with a fresh token can ignore.
KNOWN = frozenset(CALL_READS + CALL_IDLE)


class Fresh:
    """The stored token while it is fresh: what the auth flow reads of a core.tokens.TokenSet."""

    __slots__ = ("access_token", "token_type", "expires_at")

    def __init__(self, access_token: str, token_type: str, expires_at: float) -> None:
        self.access_token, self.token_type, self.expires_at = access_token, token_type, expires_at


class LeanSettings:
    """What the call reads of ClientSettings, for a profile whose keys are all KNOWN."""

    def __init__(self, deps: Deps, profile: str, values: dict) -> None:
        self.deps, self.profile, self.values = deps, profile, values
        self.urls = tuple(values["urls"])
        self.timeout = float(values.get("timeout", DEFAULT_TIMEOUT))
        self.step_up = bool(values.get("step_up", False))
        self.allow_http = bool(values.get("allow_http", False))
        self.cacert = self.cert = self.key = None
        self.insecure = self.dpop = self.fapi2 = False
        self.compliance_fixes: tuple[str, ...] = ()
        self._full = None

    def fresh_token(self) -> Fresh | None:
        """The stored token when it is fresh and Bearer (the file store read directly), else None."""
        import time

        from oauth2cli.store.view import fresh_token

        hit = fresh_token(self.deps.environ, self.profile, None, self.deps.clock or time.time, values=self.values)
        return Fresh(*hit) if hit and hit[1] == "Bearer" else None

    def full(self):
        """core.settings.ClientSettings of this profile, as every command reads it."""
        if self._full is None:
            self._full = full_settings(self.deps, self.profile, self.allow_http)
        return self._full


def call_settings(opts, url: str, deps: Deps):
    """The run's settings: ad hoc (flags and OAUTH2_* variables), or the chosen profile's (its
    lean view, flows/call/call_profile.py, when that is exact; else ClientSettings)."""
    options = {k: v for k, v in opts.ad_hoc.items() if k != "save_as" and v not in (None, (), "")}
    save_as = opts.ad_hoc.get("save_as")
    if options or save_as:  # flags (or OAUTH2_* variables) of a call without a profile
        from oauth2cli.core.errors import ConfigError
        from oauth2cli.flows.call.call_adhoc import ad_hoc_settings, wants_ad_hoc

        if not opts.profile and (wants_ad_hoc(options) or save_as) and not _document_client(options):
            transport = {"cacert": opts.cacert, "insecure": opts.insecure or None, "allow_http": opts.allow_http or None}
            return ad_hoc_settings({**options, **transport}, url, deps, save_as)
        if save_as:
            raise ConfigError("--save-as makes a new profile: it cannot go with -p")
    profile = opts.profile
    if profile is None:
        decided, profile = _claimed_profile(deps, url)
        if not decided:
            from oauth2cli.flows.origins import choose_profile

            profile = choose_profile(deps, url, None)
    if profile is None:
        return None  # no profile's urls claim the URL: it goes without a token (commands/call.py)
    return profile_settings(deps, profile, opts.allow_http)


def profile_settings(deps: Deps, profile: str, allow_http: bool = False):
    """The call's settings of `profile`: its lean view when that is exact, else ClientSettings."""
    view = lean(deps, profile)
    if view is not None:
        view.allow_http = view.allow_http or allow_http
        return view
    return full_settings(deps, profile, allow_http)


def _document_client(options: Mapping) -> bool:
    """`--client-id https://…` alone is a Client ID Metadata Document for zero-setup, not a CI client."""
    from oauth2cli.flows.profiles.client_choice import is_document_url

    return is_document_url(options.get("client_id")) and not any(
        options.get(k) for k in ("issuer", "token_url", "grant", "save_as"))


class Tokenless:
    """The settings of a call that sends no token: no profile claims its URL (README "Security")."""

    profile = None
    urls: tuple[str, ...] = ()
    cert = key = None
    step_up = dpop = fapi2 = False
    compliance_fixes: tuple[str, ...] = ()

    def __init__(self, opts) -> None:
        self.timeout = DEFAULT_TIMEOUT
        self.cacert, self.insecure, self.allow_http = opts.cacert, bool(opts.insecure), bool(opts.allow_http)


def _claimed_profile(deps: Deps, url: str) -> tuple[bool, str | None]:
    """(True, the profile whose `urls` claim `url`, or None when none does), read from config.toml's
    remembered parse (core.origins.choose_profile, the one rule); (False, None) when that read
    cannot decide (a tie, or a shape only the store reads)."""
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.core.origins import choose_profile
    from oauth2cli.store.view import read_config, settings

    config = read_config(deps.environ)
    profiles = config.get("profiles", {}) if config is not None else None
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        return False, None
    # A preset's urls (github's api.github.com) claim for a profile that names none itself.
    profiles = {name: (settings(deps.environ, name, values) or values) if "preset" in values and "urls" not in values
                else values for name, values in profiles.items()}
    try:
        return True, choose_profile(profiles, url, None)
    except ConfigError:
        return False, None  # a tie: the store's read says so


def lean(deps: Deps, name: str) -> LeanSettings | None:
    """The lean view of profile `name`, or None when only the full read is exact."""
    from oauth2cli.store.view import settings, stored_tokens

    profile = settings(deps.environ, name)  # over its preset, parameters filled
    if profile is None or not set(profile) <= KNOWN:
        return None
    urls = profile.get("urls", ())
    urls = [urls] if isinstance(urls, str) else urls
    if not isinstance(urls, (list, tuple)) or not all(isinstance(u, str) and u for u in urls):
        return None
    timeout = profile.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        return None
    if any(not isinstance(profile.get(k, False), bool) for k in ("step_up", "allow_http")):
        return None
    if urls:
        tokens = stored_tokens(deps.environ, name)
        if tokens is None or "instance_url" in tokens:
            return None  # a token answer that names its own API base (flows/origins.answered_urls)
    return LeanSettings(deps, name, {**profile, "urls": urls})


def full_settings(deps: Deps, profile: str, allow_http: bool = False):
    """ClientSettings of `profile` for a call: `urls` as config.toml says them (one string or a
    list; a preset's when the profile has none), with the base URLs its token answer named."""
    from dataclasses import replace

    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.origins import answered_urls, profile_urls

    settings = settings_flow.resolve({}, deps, profile)
    settings = replace(settings, urls=tuple(profile_urls(deps.store.profile(profile))) or settings.urls,
                       allow_http=settings.allow_http or allow_http)
    if settings.urls:
        settings = replace(settings, urls=settings.urls + answered_urls(deps, profile))
    return settings

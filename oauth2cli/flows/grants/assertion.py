"""The JWT bearer grant (RFC 7523 §2.1): sign a fresh assertion, exchange it for a token.

settings.assertion holds: iss, sub, aud, claims (dict), headers (dict), lifetime, alg,
service_account (path of a Google service-account JSON), scope_claim (bool: send the
scope as a claim, as Google expects, instead of a request parameter).
The signing key: settings.private_key (a path), else the profile's secret "private_key",
else the service account's private_key.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from oauth2cli.core import assertion as core
from oauth2cli.core import jose
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def read_service_account(path: str) -> core.ServiceAccount:
    from oauth2cli.flows.settings import read_text_file

    text = read_text_file(path, "service account")
    return core.parse_service_account(text, source=f"the service account file {path}")


def assertion_settings_from_service_account(path: str) -> dict[str, Any]:
    """Profile values (non-secret) for `oauth2 profile add NAME --service-account PATH`.

    The key itself is NOT in here: store service_account_key(path) with
    deps.store.secrets.set(profile, "private_key", ...).
    """
    account = read_service_account(path)
    values: dict[str, Any] = {
        "grant": "jwt-bearer",
        "endpoints": {"token_endpoint": account.token_uri},
        "assertion": {
            "iss": account.client_email,
            "sub": account.client_email,
            "aud": account.token_uri,
            "scope_claim": True,
        },
    }
    if account.private_key_id:
        values["key_id"] = account.private_key_id
    return values


def service_account_key(path: str) -> str:
    """The PEM private key of a service account file (for the secret store)."""
    return read_service_account(path).private_key


def signing_key(settings: ClientSettings, deps: Deps, account: core.ServiceAccount | None):
    if settings.private_key:
        return jose.load_private_key_file(settings.private_key)
    if settings.profile:
        stored = deps.store.secrets.get(settings.profile, "private_key")
        if stored:
            return jose.load_private_key(stored, source=f"the stored private key of profile {settings.profile!r}")
    if account is not None:
        return jose.load_private_key(account.private_key, source=f"the private_key of {account.source}")
    raise ConfigError("no key to sign the assertion with",
                      hint="give --private-key PATH or --service-account FILE.json")


def _resolved(settings: ClientSettings) -> tuple[ClientSettings, core.ServiceAccount | None]:
    """The settings with the service account's token_uri as the token endpoint (unless given)."""
    path = settings.assertion.get("service_account")
    account = read_service_account(path) if path else None
    if account and "token_endpoint" not in settings.endpoints:
        settings = dataclasses.replace(settings, endpoints={**settings.endpoints, "token_endpoint": account.token_uri})
    return settings, account


def _spec(settings: ClientSettings, token_endpoint: str | None, account: core.ServiceAccount | None) -> core.AssertionSpec:
    a = settings.assertion
    iss = a.get("iss") or (account.client_email if account else None) or settings.client.client_id or None
    if not iss:
        raise ConfigError("the assertion needs an issuer (iss)", hint="give --iss, --client-id or --service-account")
    sub = a.get("sub") or iss  # RFC 7523 §3 item 2: for a client acting for itself, sub is its id
    aud = a.get("aud")
    if not aud:
        aud = settings.issuer if settings.assertion_audience == "issuer" and settings.issuer else token_endpoint
    if not aud:
        raise ConfigError("the assertion needs an audience (aud)", hint="give --aud, --token-url or --issuer-url")
    claims = dict(a.get("claims") or {})
    if settings.scope and _scope_in_claim(settings, account):
        claims["scope"] = settings.scope
    return core.AssertionSpec(
        iss=iss, sub=sub, aud=tuple(aud) if isinstance(aud, list) else aud,
        lifetime=core.check_lifetime(a.get("lifetime", core.DEFAULT_LIFETIME)),
        claims=claims, headers=dict(a.get("headers") or {}), alg=a.get("alg"),
        kid=settings.key_id or (account.private_key_id if account else None),
    )


def _scope_in_claim(settings: ClientSettings, account: core.ServiceAccount | None) -> bool:
    return bool(settings.assertion.get("scope_claim", account is not None))


def _token_endpoint(settings: ClientSettings, deps: Deps, *, required: bool):
    from oauth2cli.flows.discovery import Endpoints

    endpoints = Endpoints(settings, deps)
    if required:
        return endpoints, endpoints.require("token_endpoint")
    explicit = settings.endpoints.get("token_endpoint")
    if explicit or settings.assertion.get("aud"):
        return endpoints, explicit
    return endpoints, endpoints.get("token_endpoint")


def sign_assertion(settings: ClientSettings, deps: Deps, *, token_endpoint: str | None = None,
                   account: core.ServiceAccount | None = None) -> str:
    """A newly signed assertion: fresh jti, iat and exp on every call."""
    if account is None and token_endpoint is None:
        settings, account = _resolved(settings)
        _, token_endpoint = _token_endpoint(settings, deps, required=False)
    spec = _spec(settings, token_endpoint, account)
    key = signing_key(settings, deps, account)
    claims = core.assertion_claims(spec, now=deps.clock(), jti=jose.new_jti())
    return jose.sign_jwt(claims, key, alg=spec.alg, headers=core.assertion_headers(spec))


def fetch_with_assertion(settings: ClientSettings, deps: Deps) -> TokenSet:
    """A token from the JWT bearer grant; called by the session for assertion profiles.

    The assertion is the one `assertion_source` gives (a CI job's OIDC token), else one signed now.
    """
    settings, account = _resolved(settings)
    endpoints, token_endpoint = _token_endpoint(settings, deps, required=True)
    if settings.assertion_source:
        from oauth2cli.flows.grants import token_sources

        assertion = token_sources.read(settings.assertion_source, settings, deps, "--assertion-source")
        scope = settings.scope
    else:
        assertion = sign_assertion(settings, deps, token_endpoint=token_endpoint, account=account)
        scope = None if _scope_in_claim(settings, account) else settings.scope
    return exchange_assertion(settings, deps, assertion, scope=scope, endpoints=endpoints)


def exchange_assertion(settings: ClientSettings, deps: Deps, assertion: str, *, scope: str | None,
                       endpoints=None) -> TokenSet:
    """RFC 7523 §2.1: the assertion at the token endpoint, with client authentication only if there is a client."""
    from oauth2cli.core.grants import jwt_bearer_form
    from oauth2cli.core.http import HttpRequest
    from oauth2cli.core.tokens import parse_token_response
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.discovery import Endpoints

    endpoints = endpoints or Endpoints(settings, deps)
    form = jwt_bearer_form(assertion, scope=scope, audience=settings.audience, resources=settings.resources,
                           extra=settings.params)
    if settings.client.client_id:
        return token_flow.exchange(settings, deps, form, endpoints)
    # RFC 7523 §3.1: client authentication is optional with this grant; the assertion is the credential.
    request = HttpRequest("POST", endpoints.require("token_endpoint"), form=form, headers=(
        ("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")))
    return parse_token_response(endpoints.http.send(request), now=deps.clock())

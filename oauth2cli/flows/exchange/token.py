"""Getting tokens from the token endpoint: every grant goes through exchange()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core import client_auth, grants
from oauth2cli.core.compliance import apply_request, apply_response
from oauth2cli.core.errors import ConfigError, ProtocolError, ServerError
from oauth2cli.core.http import FORM, JSON, HttpRequest, HttpResponse
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet, parse_token_response
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

PASSWORD_WARNING = ("oauth2: warning: the password grant is deprecated (RFC 9700 §2.4): it hands the user's "
                    "password to the client; use login (authorization code + PKCE) or the device flow where the server allows")


def token_request(token_endpoint: str, form: tuple[tuple[str, str], ...], settings: ClientSettings) -> HttpRequest:
    """The unauthenticated request; authenticate_request() adds the client's credentials."""
    return HttpRequest(
        "POST",
        token_endpoint,
        # Always ask for JSON: GitHub and others answer form-encoded otherwise.
        headers=(("Accept", JSON), ("Content-Type", FORM)),
        form=form,
    )


def authenticate_request(settings: ClientSettings, deps: Deps, request: HttpRequest, endpoints: Endpoints,
                         endpoint_url: str | None = None) -> HttpRequest:
    """`request` with the client authentication of `settings` (built-in or plug-in).

    Used for the token, revocation and introspection endpoints alike (RFC 7009 §2.1, RFC 7662 §2.1).
    """
    client = settings.client
    method = client.method
    if method in client_auth.TLS_METHODS and not settings.cert:
        raise ConfigError(f"{method} needs a client certificate: give --cert PATH and --key PATH (RFC 8705)")
    if method in client_auth.JWT_METHODS:
        assertion = client_assertion(settings, deps, endpoints, endpoint_url or request.url)
        return client_auth.authenticate(request, client, assertion=assertion)
    if method in client_auth.BUILTIN_METHODS:
        return client_auth.authenticate(request, client)
    from oauth2cli.flows.exchange import plugins

    result = plugins.client_auth_method(method)(request, client)
    if not isinstance(result, HttpRequest):
        raise ConfigError(f"client authentication plug-in {method!r} returned {type(result).__name__}, not an HttpRequest")
    return result


def client_assertion(settings: ClientSettings, deps: Deps, endpoints: Endpoints, endpoint_url: str) -> str:
    """A fresh client assertion (RFC 7523 §2.2): new jti, exp 60 s after iat."""
    from oauth2cli.core import jose

    client = settings.client
    if client.method == "client_secret_jwt":
        # OIDC Core §9: HMAC with the client secret.
        key, alg, kid = jose.secret_key(client_auth.need_secret(client)), "HS256", None
    else:
        # a path, else the key a registered client keeps in the secret store (issue #20)
        stored = None if settings.private_key or not settings.profile else \
            deps.store.secrets.get(settings.profile, "private_key")
        if stored:
            key = jose.load_private_key(stored, source=f"the private key of profile {settings.profile!r}")
        elif not settings.private_key:
            raise ConfigError("private_key_jwt needs a private key: give --private-key PATH (PEM or JWK)")
        else:
            key = jose.load_private_key_file(settings.private_key)
        alg = None
        if key.key_type == "RSA":
            meta = endpoints.metadata if settings.issuer else None
            supported = meta.document.get("token_endpoint_auth_signing_alg_values_supported") if meta else None
            alg = client_auth.rsa_alg(supported if isinstance(supported, list) else None)
        kid = settings.key_id or getattr(key, "kid", None)
    audience = client_auth.assertion_audience(
        settings.assertion_audience,
        token_endpoint=endpoints.get("token_endpoint"),
        issuer=(endpoints.metadata.issuer if settings.issuer and endpoints.metadata else None) or settings.issuer,
        called_url=endpoint_url,
    )
    claims = client_auth.assertion_claims(client.client_id, audience, deps.clock(), jose.new_jti())
    return client_auth.client_assertion(claims, key, alg=alg, kid=kid)


def compliance_fixes(settings: ClientSettings):
    if not settings.compliance_fixes:
        return ()
    from oauth2cli.flows.exchange import plugins

    return plugins.compliance_fixes(settings.compliance_fixes)


def exchange(settings: ClientSettings, deps: Deps, form: tuple[tuple[str, str], ...],
             endpoints: Endpoints | None = None) -> TokenSet:
    """The one place token requests are sent: fixes, client authentication, send, parse."""
    from oauth2cli.flows.exchange import commit

    sent: list[HttpRequest] = []
    raw, fixes, hook = _send_token_request(settings, deps, form, endpoints, sent)
    response = apply_response(fixes, hook, raw)
    now = deps.clock()
    try:
        tokens = parse_token_response(response, now=now)
    except ServerError as exc:
        if not exc.hint:
            from oauth2cli.core.advice import sent_credential, token_refusal

            request = sent[-1]
            exc.hint = token_refusal(exc.error, profile=settings.profile,
                                     sent=sent_credential(request.form, request.headers, request.url, bool(settings.cert)))
        raise
    except ProtocolError as exc:
        from oauth2cli.core.compliance import cure_for

        # A failure that a built-in fix would cure names it (tried on the answer as it came).
        cure = cure_for(raw, fixes, hook, lambda fixed: parse_token_response(fixed, now=now))
        if cure is None:
            raise
        raise ProtocolError(exc.message, hint=f"the compliance fix {cure!r} reads this answer: give "
                            f"--compliance-fix {cure} (profile key compliance_fixes)") from None
    if deps.verbose:
        from oauth2cli.core.token_answer import label_note

        note = label_note(response)
        if note:
            deps.stderr.write(f"oauth2: the token endpoint: {note}\n")
    commit.on_answer(tokens)  # the commit point: a rotated refresh token is saved before anything else
    return tokens


def send_token_request(settings: ClientSettings, deps: Deps, form: tuple[tuple[str, str], ...],
                       endpoints: Endpoints | None = None) -> HttpResponse:
    """Send a token request (fixes, client authentication, DPoP) and return the raw response.

    exchange() parses it; the device flow polls with it and reads authorization_pending itself.
    """
    raw, fixes, hook = _send_token_request(settings, deps, form, endpoints)
    return apply_response(fixes, hook, raw)


def _send_token_request(settings: ClientSettings, deps: Deps, form: tuple[tuple[str, str], ...],
                        endpoints: Endpoints | None, sent: list[HttpRequest] | None = None):
    """The answer as it came, with the fixes and the response hook that apply to it."""
    endpoints = endpoints or Endpoints(settings, deps)
    token_endpoint = endpoints.require("token_endpoint")
    kind = "refresh_token" if grants.grant_of_form(form) == "refresh_token" else "access_token"
    fixes = compliance_fixes(settings)

    def build() -> HttpRequest:
        request = apply_request(fixes, f"{kind}_request", token_request(token_endpoint, form, settings))
        request = authenticate_request(settings, deps, request, endpoints, token_endpoint)
        if sent is not None:
            sent.append(request)  # what was sent decides the hint of a refusal (core/advice)
        return request

    def send() -> HttpResponse:
        if settings.dpop:  # RFC 9449 §5: a proof on every token request, one retry with the server's nonce
            from oauth2cli.flows.exchange import dpop

            # Built again for the retry: a client assertion must not be replayed.
            return dpop.send_token_request(settings, deps, endpoints.http, build)
        return endpoints.http.send(build())

    from oauth2cli.flows.exchange.retry import send_with_retry

    return send_with_retry(send, deps), fixes, f"{kind}_response"


def _common(settings: ClientSettings) -> dict:
    return {"scope": settings.scope, "audience": settings.audience, "resources": settings.resources,
            "extra": settings.params + rar_pairs(settings)}


def rar_pairs(settings: ClientSettings) -> tuple[tuple[str, str], ...]:
    # RFC 9396 §6.1-6.2: authorization_details at the token endpoint (client credentials, refresh)
    return (("authorization_details", settings.authorization_details),) if settings.authorization_details else ()


def resource_pairs(settings: ClientSettings) -> tuple[tuple[str, str], ...]:
    """RFC 8707 §2.2 (and MCP: "in both authorization requests and token requests"): the profile's
    resources in every token request that has no scope of its own (refresh, device and CIBA polls)."""
    return tuple(("resource", r) for r in settings.resources)


def client_credentials(settings: ClientSettings, deps: Deps) -> TokenSet:
    # RFC 6749 §4.4
    return exchange(settings, deps, grants.client_credentials_form(**_common(settings)))


def password_grant(settings: ClientSettings, deps: Deps, username: str, password: str) -> TokenSet:
    """RFC 6749 §4.3, with the RFC 9700 §2.4 warning on stderr."""
    deps.stderr.write(PASSWORD_WARNING + "\n")
    deps.stderr.flush()
    return exchange(settings, deps, grants.password_form(username, password, **_common(settings)))


def refresh(settings: ClientSettings, deps: Deps, previous: TokenSet) -> TokenSet:
    """A refresh_token grant; the answer completed from `previous` (RFC 6749 §6)."""
    from oauth2cli.core.errors import LoginRequired

    if not previous.refresh_token:
        raise LoginRequired(
            "the stored token has expired and there is no refresh token",
            hint=f"log in again with `oauth2 login {settings.profile}`" if settings.profile else None,
        )
    from oauth2cli.core.tokens import refresh_token_expired

    if refresh_token_expired(previous, deps.clock()):
        # The server said when it would stop taking it (refresh_token_expires_in): do not send it.
        raise LoginRequired(
            "the refresh token has expired (the server gave it a refresh_token_expires_in)",
            hint=f"log in again with `oauth2 login {settings.profile}`" if settings.profile else None,
        )
    # RFC 9396 §6.2: details on a refresh narrow the grant; RFC 8707 §2.2: the resources go with every refresh
    form = grants.refresh_token_form(previous.refresh_token, scope=None,
                                     extra=settings.params + rar_pairs(settings) + resource_pairs(settings))
    return exchange(settings, deps, form).after_refresh(previous)


def authorization_code(settings: ClientSettings, deps: Deps, code: str, redirect_uri: str | None,
                       code_verifier: str | None, endpoints: Endpoints | None = None) -> TokenSet:
    # RFC 6749 §4.1.3
    form = grants.authorization_code_form(code, redirect_uri, code_verifier, resources=settings.resources,
                                          extra=settings.params)
    return exchange(settings, deps, form, endpoints)


def jwt_bearer(settings: ClientSettings, deps: Deps, assertion: str) -> TokenSet:
    # RFC 7523 §2.1
    return exchange(settings, deps, grants.jwt_bearer_form(assertion, **_common(settings)))


def token_exchange(settings: ClientSettings, deps: Deps, subject_token: str, subject_token_type: str, *,
                   actor_token: str | None = None, actor_token_type: str | None = None,
                   requested_token_type: str | None = None) -> TokenSet:
    # RFC 8693 §2.1
    form = grants.token_exchange_form(
        subject_token, subject_token_type, actor_token=actor_token, actor_token_type=actor_token_type,
        requested_token_type=requested_token_type, **_common(settings),
    )
    return exchange(settings, deps, form)

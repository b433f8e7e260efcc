"""--fapi2: the FAPI 2.0 Security Profile's client side, turned on at once and kept: PAR, PKCE S256,
a signed request object (Message Signing §5.3), DPoP-bound tokens, and the RFC 9207 `iss` check,
with the authorization code flow only. A weaker choice next to it is refused, not silently dropped."""

from __future__ import annotations

from dataclasses import replace

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.settings import ClientSettings

WEAK_AUTH = ("none", "client_secret_basic", "client_secret_post", "client_secret_jwt")


def apply(settings: ClientSettings, given: dict) -> ClientSettings:
    """`settings` made FAPI 2.0; ConfigError naming the first weaker choice among the `given` options."""

    def refuse(what: str, fix: str) -> ConfigError:
        return ConfigError(f"--fapi2 refuses {what} (FAPI 2.0 Security Profile)", hint=fix)

    if given.get("par") is False:
        raise refuse("--no-par: the request must be pushed (RFC 9126)", "leave out --no-par")
    if settings.pkce != "S256":
        raise refuse(f"PKCE {settings.pkce}: only S256 is allowed", "leave out --pkce/--no-pkce")
    if settings.response_type != "code":
        raise refuse(f"response type {settings.response_type!r}: only the code flow is allowed", "leave out --response-type")
    if given.get("request_object") is False:
        raise refuse("--no-request-object: the request is signed (FAPI 2.0 Message Signing)", "leave out --no-request-object")
    if settings.response_mode in ("query", "fragment", "form_post"):
        raise refuse(f"response_mode {settings.response_mode}", "leave it out, or use a JARM mode (jwt)")
    if settings.client.method in WEAK_AUTH:
        raise refuse(f"client authentication {settings.client.method}: use private_key_jwt or tls_client_auth",
                     "give --auth-method private_key_jwt --private-key PATH")
    if not settings.issuer:
        raise refuse("a login without --issuer: the iss of every answer must be checked", "give --issuer")
    return replace(settings, use_par=True, request_object=True, dpop=True)

"""The option table: the option groups several commands share, each declared once."""

from __future__ import annotations

from oauth2cli.core import grants
from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)


TRACE = (
    Opt('-v', '--verbose', count=True, expose_value=False, effect='add_verbose', help='Trace each HTTP exchange on stderr, secrets masked (-vv adds timing).'),
    Opt('--reveal-secrets', is_flag=True, expose_value=False, effect='reveal', help='Show secrets and tokens in the -v trace instead of masking them (prints a warning).'),
)


SERVER = (
    Opt('--issuer', envvar='OAUTH2_ISSUER', show_envvar=True, metavar='URL', help='Issuer to discover endpoints from (RFC 8414, then OpenID discovery).'),
    Opt('--token-url', envvar='OAUTH2_TOKEN_URL', show_envvar=True, metavar='URL', help='Token endpoint, instead of discovery.'),
    Opt('--authorization-url', envvar='OAUTH2_AUTHORIZATION_URL', show_envvar=True, metavar='URL', help='Authorization endpoint, instead of discovery.'),
    Opt('--device-authorization-url', envvar='OAUTH2_DEVICE_AUTHORIZATION_URL', show_envvar=True, metavar='URL', help='Device authorization endpoint, instead of discovery.'),
    Opt('--revocation-url', envvar='OAUTH2_REVOCATION_URL', show_envvar=True, metavar='URL', help='Revocation endpoint (RFC 7009), instead of discovery.'),
    Opt('--introspection-url', envvar='OAUTH2_INTROSPECTION_URL', show_envvar=True, metavar='URL', help='Introspection endpoint (RFC 7662), instead of discovery.'),
    Opt('--userinfo-url', envvar='OAUTH2_USERINFO_URL', show_envvar=True, metavar='URL', help='UserInfo endpoint, instead of discovery.'),
    Opt('--jwks-url', envvar='OAUTH2_JWKS_URL', show_envvar=True, metavar='URL', help='JWK Set of the issuer, instead of discovery.'),
)


CLIENT = (
    Opt('--client-id', envvar='OAUTH2_CLIENT_ID', show_envvar=True, help='The client identifier.'),
    Opt('--client-secret-env', metavar='VAR', help='Read the client secret from this environment variable (default OAUTH2_CLIENT_SECRET).'),
    Opt('--client-secret-file', metavar='PATH', type=Path(dir_okay=False), help='Read the client secret from this file (trailing newline ignored).'),
    Opt('--auth-method', envvar='OAUTH2_AUTH_METHOD', show_envvar=True, type=AUTH_METHOD, help='Client authentication at the token endpoint (default client_secret_basic with a secret, else none).'),
    Opt('--private-key', envvar='OAUTH2_PRIVATE_KEY', metavar='PATH', type=Path(dir_okay=False), help='PEM or JWK private key, for private_key_jwt.'),
    Opt('--key-id', metavar='KID', help='The kid to put in signed assertions.'),
    Opt('--assertion-audience', type=Choice(['token_endpoint', 'issuer']), help='The aud of client assertions: the token endpoint (RFC 7523, default) or the issuer.'),
    Opt('--basic-raw', is_flag=True, default=None, help='client_secret_basic without form-encoding id and secret first (for servers that want them raw).'),
    Opt('--compliance-fix', multiple=True, metavar='NAME[:ARG]', help='Work around a non-standard server (repeatable; applied in this order whatever the order given): form_token_response, error_in_200, expires, missing_token_type, token_type_bearer, query_param:KEY=VALUE, then plug-ins by name.'),
)


REQUEST = (
    Opt('--scope', envvar='OAUTH2_SCOPE', show_envvar=True, help='Space-separated scopes to ask for.'),
    Opt('--audience', envvar='OAUTH2_AUDIENCE', show_envvar=True, help='The audience parameter, for servers that take one.'),
    Opt('--resource', multiple=True, metavar='URI', help='RFC 8707 resource indicator (repeatable).'),
    Opt('-P', '--param', 'params', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help='Extra request parameter (repeatable).'),
    Opt('--authorization-details', metavar='JSON|@FILE', help='RFC 9396 rich authorization request: a JSON array of objects with a "type", or @FILE holding one.'),
)


TRANSPORT = (
    *TRACE,
    Opt('--timeout', envvar='OAUTH2_TIMEOUT', metavar='SECONDS', show_default='30', type=FloatRange(min=0.1), help='Give up on a server after this long.'),
    Opt('--cacert', metavar='PATH', type=Path(dir_okay=False), help='Trust these CA certificates (PEM).'),
    Opt('--insecure', is_flag=True, help='Skip TLS certificate verification (prints a warning).'),
    Opt('--cert', metavar='PATH', type=Path(dir_okay=False), help='Client certificate (PEM), for mutual TLS.'),
    Opt('--key', metavar='PATH', type=Path(dir_okay=False), help='Private key of --cert.'),
    Opt('--allow-http', is_flag=True, default=None, help='Allow plain http:// to hosts other than loopback (prints a warning; OAuth requires TLS).'),
)


ALL_CLIENT = (
    *SERVER,
    *CLIENT,
    *REQUEST,
    *TRANSPORT,
)


ENDPOINT_CLIENT = (
    *SERVER,
    *CLIENT,
    *TRANSPORT,
)


GRANT_OPT = Opt('--grant', metavar='GRANT', type=GRANT, help=grants.choices_text())  # the registry's names (core/grants.py)


TOKEN_SOURCES = (
    Opt('--assertion-source', envvar='OAUTH2_ASSERTION_SOURCE', show_envvar=True, metavar='SOURCE', help='jwt-bearer: take the assertion from SOURCE, read anew for every token: github-actions[:AUDIENCE], gitlab:VAR, kubernetes[:PATH], env:VAR or file:PATH.'),
    Opt('--subject-token-source', envvar='OAUTH2_SUBJECT_TOKEN_SOURCE', show_envvar=True, metavar='SOURCE', help='token-exchange: take the subject_token from SOURCE (as for --assertion-source).'),
    Opt('--subject-token-type', metavar='TYPE', help='token-exchange: access_token, refresh_token, id_token, jwt (the default with a source), saml1, saml2 or a URI.'),
)


GRANT_INPUTS = (
    Opt('--username', envvar='OAUTH2_USERNAME', help="password grant: the resource owner's name."),
    Opt('--password-env', metavar='VAR', help='password grant: read the password (default: a prompt on a terminal, else stdin) from this environment variable.'),
    Opt('--password-file', metavar='PATH', type=Path(dir_okay=False), help='password grant: read the password (default: a prompt on a terminal, else stdin) from this file.'),
    Opt('--refresh-token-env', metavar='VAR', help='refresh_token grant: read the refresh token (default: stdin) from this environment variable.'),
    Opt('--refresh-token-file', metavar='PATH', type=Path(dir_okay=False), help='refresh_token grant: read the refresh token (default: stdin) from this file.'),
    Opt('--code', metavar='CODE|-', help="authorization_code grant: the code ('-' reads stdin)."),
    Opt('--redirect-uri', metavar='URI', help='authorization_code grant: the redirect_uri of the authorization request.'),
    Opt('--code-verifier', metavar='VERIFIER', help='authorization_code grant: the PKCE code_verifier.'),
    Opt('--assertion-file', metavar='PATH|-', type=Path(dir_okay=False, allow_dash=True), help="jwt-bearer grant: a file holding the signed JWT ('-' for stdin)."),
    Opt('--subject-token', metavar='TOKEN|-', help="token-exchange: the subject token; '-' reads it from stdin (safer than argv)."),
    Opt('--subject-token-env', metavar='VAR', help='token-exchange: read the subject token from this environment variable.'),
    Opt('--subject-token-file', metavar='PATH', type=Path(dir_okay=False), help='token-exchange: read the subject token from this file.'),
    Opt('--actor-token', metavar='TOKEN|-', help="token-exchange: the actor token; '-' reads it from stdin (safer than argv)."),
    Opt('--actor-token-env', metavar='VAR', help='token-exchange: read the actor token from this environment variable.'),
    Opt('--actor-token-file', metavar='PATH', type=Path(dir_okay=False), help='token-exchange: read the actor token from this file.'),
    Opt('--actor-token-type', metavar='TYPE', help='token-exchange: the type of the actor token.'),
    Opt('--requested-token-type', metavar='TYPE', help='token-exchange: the type of token wanted.'),
)


AD_HOC_CALL = (
    Opt('--issuer', envvar='OAUTH2_ISSUER', show_envvar=True, metavar='URL', help='Without a profile: the issuer to discover the token endpoint from.'),
    Opt('--token-url', envvar='OAUTH2_TOKEN_URL', show_envvar=True, metavar='URL', help='Without a profile: the token endpoint, instead of discovery.'),
    Opt('--client-id', envvar='OAUTH2_CLIENT_ID', show_envvar=True, help='Without a profile: the client (its secret from OAUTH2_CLIENT_SECRET, --client-secret-env or --client-secret-file).'),
    Opt('--client-secret-env', metavar='VAR', help='Read the client secret from this environment variable.'),
    Opt('--client-secret-file', metavar='PATH', type=Path(dir_okay=False), help='Read the client secret from this file.'),
    Opt('--auth-method', type=AUTH_METHOD, help='Client authentication at the token endpoint.'),
    Opt('--private-key', metavar='PATH', type=Path(dir_okay=False), help='PEM or JWK key: signs the jwt-bearer assertion (iss: --client-id), or private_key_jwt.'),
    Opt('--key-id', metavar='KID', help='The kid to put in signed assertions.'),
    GRANT_OPT,
    Opt('--scope', envvar='OAUTH2_SCOPE', show_envvar=True, help='Without a profile: the scopes to ask for.'),
    Opt('--audience', envvar='OAUTH2_AUDIENCE', show_envvar=True, help='Without a profile: the audience request parameter.'),
    Opt('--resource', multiple=True, metavar='URI', help='RFC 8707 resource indicator (repeatable).'),
    Opt('-P', '--param', 'params', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help='Extra token request parameter (repeatable).'),
    *TOKEN_SOURCES,
    Opt('--save-as', metavar='NAME', help="Save these settings as profile NAME (its token may go only to URL's origin), and keep its token in the store."),
)


LOGIN_WAIT = (
    Opt('--device', 'method', is_flag=True, flag_value='device', default=None, help='If a login is needed, use the device flow (RFC 8628) instead of the browser.'),
    Opt('--browser-timeout', default=300, metavar='SECONDS', show_default=True, type=FloatRange(min=1), help='How long a login may take; other processes waiting for the same login wait as long.'),
)


LOGIN_PROFILE = (
    Opt('--redirect-uri', metavar='URL', help='The fixed loopback redirect URI the client is registered with (as for login).'),
    Opt('--pkce', type=Choice(['S256', 'plain']), help='PKCE method for logins (default S256).'),
    Opt('--no-pkce', is_flag=True, help='Send no PKCE at login, for servers that break on it.'),
    Opt('--par/--no-par', default=None, help='Push authorization requests first (RFC 9126).'),
    Opt('--response-type', type=Choice(['code', 'token', 'code id_token', 'code token', 'code id_token token']), help='code (default), a hybrid flow, or token for the deprecated implicit grant.'),
    Opt('--response-mode', metavar='MODE', type=Choice(['query', 'fragment', 'form_post', 'jwt', 'query.jwt', 'fragment.jwt', 'form_post.jwt']), help='How login answers come back: query, fragment, form_post, or JARM (jwt, query.jwt, ...).'),
    Opt('--request-object/--no-request-object', default=None, help='Send login requests as a signed JWT (RFC 9101).'),
    Opt('--fapi2', is_flag=True, default=None, help='FAPI 2.0 for every login: PAR, PKCE S256, JAR, DPoP and the iss check; weaker choices refused.'),
    Opt('--step-up', is_flag=True, default=None, help='`oauth2 call` logs in again when the resource asks for a stronger sign-in (RFC 9470).'),
    Opt('--login-method', type=Choice(['browser', 'device', 'manual', 'password']), help="How `oauth2 login` signs in when not told (login's --device, --manual, --password)."),
    Opt('--auth-param', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help="Extra authorization request parameter for every login (login's -P), e.g. prompt=consent."),
    Opt('--dpop/--no-dpop', default=None, help='Bind tokens to a DPoP key (RFC 9449).'),
    Opt('--url', multiple=True, metavar='URL', help="A base URL `oauth2 call` may send this profile's token to (repeatable)."),
)


ASSERTION_PROFILE = (
    Opt('--service-account', metavar='FILE.json', type=Path(dir_okay=False), help="A jwt-bearer profile from Google's service-account JSON as is: its private key goes to the secret store; client_email, private_key_id and token_uri to config.toml."),
    Opt('--iss', metavar='ISSUER', help="jwt-bearer: the assertion's iss (default: the service account)."),
    Opt('--sub', '--subject', metavar='SUBJECT', help="jwt-bearer: the assertion's sub, the user to act for (default: iss)."),
    Opt('--aud', multiple=True, metavar='AUDIENCE', help="jwt-bearer: the assertion's aud (repeatable; default: the token endpoint)."),
)


def names(options) -> tuple[str, ...]:
    """The names a use case finds these options under (the trace options feed Deps instead)."""
    return tuple(p.dest for p in options if p.kw.get("expose_value", True))


# The shared server, client, request and transport options: one ClientSettings layer over a profile.
COMMON = names(ALL_CLIENT)
TOKEN_SOURCE_NAMES = names(TOKEN_SOURCES)

"""Options shared by the commands that talk to a server (the ad-hoc flags of DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from oauth2cli.cli.params import GRANT, KEY_VALUE, AuthMethodType
from oauth2cli.core.grants import choices_text as grant_choices_text

# flag name -> RFC 8414 metadata name
ENDPOINT_FLAGS = {
    "token_url": "token_endpoint",
    "authorization_url": "authorization_endpoint",
    "device_authorization_url": "device_authorization_endpoint",
    "revocation_url": "revocation_endpoint",
    "introspection_url": "introspection_endpoint",
    "userinfo_url": "userinfo_endpoint",
    "jwks_url": "jwks_uri",
}


def _stack(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f

    return apply


def _endpoint(flag: str, env: str, what: str) -> Callable:
    return click.option(flag, envvar=env, show_envvar=True, metavar="URL", help=f"{what}, instead of discovery.")


server_options = _stack(
    click.option("--issuer", envvar="OAUTH2_ISSUER", show_envvar=True, metavar="URL",
                 help="Issuer to discover endpoints from (RFC 8414, then OpenID discovery)."),
    _endpoint("--token-url", "OAUTH2_TOKEN_URL", "Token endpoint"),
    _endpoint("--authorization-url", "OAUTH2_AUTHORIZATION_URL", "Authorization endpoint"),
    _endpoint("--device-authorization-url", "OAUTH2_DEVICE_AUTHORIZATION_URL", "Device authorization endpoint"),
    _endpoint("--revocation-url", "OAUTH2_REVOCATION_URL", "Revocation endpoint (RFC 7009)"),
    _endpoint("--introspection-url", "OAUTH2_INTROSPECTION_URL", "Introspection endpoint (RFC 7662)"),
    _endpoint("--userinfo-url", "OAUTH2_USERINFO_URL", "UserInfo endpoint"),
    _endpoint("--jwks-url", "OAUTH2_JWKS_URL", "JWK Set of the issuer"),
)

client_options = _stack(
    click.option("--client-id", envvar="OAUTH2_CLIENT_ID", show_envvar=True, help="The client identifier."),
    click.option("--client-secret-env", metavar="VAR",
                 help="Read the client secret from this environment variable (default OAUTH2_CLIENT_SECRET)."),
    click.option("--client-secret-file", metavar="PATH", type=click.Path(dir_okay=False),
                 help="Read the client secret from this file (trailing newline ignored)."),
    click.option("--auth-method", envvar="OAUTH2_AUTH_METHOD", show_envvar=True, type=AuthMethodType(),
                 help="Client authentication at the token endpoint (default client_secret_basic with a secret, else none)."),
    click.option("--private-key", envvar="OAUTH2_PRIVATE_KEY", metavar="PATH", type=click.Path(dir_okay=False),
                 help="PEM or JWK private key, for private_key_jwt."),
    click.option("--key-id", metavar="KID", help="The kid to put in signed assertions."),
    click.option("--assertion-audience", type=click.Choice(["token_endpoint", "issuer"]),
                 help="The aud of client assertions: the token endpoint (RFC 7523, default) or the issuer."),
    click.option("--basic-raw", is_flag=True, default=None,
                 help="client_secret_basic without form-encoding id and secret first (for servers that want them raw)."),
    click.option("--compliance-fix", multiple=True, metavar="NAME[:ARG]",
                 help="Work around a non-standard server (repeatable; applied in this order whatever the order "
                      "given): form_token_response, error_in_200, expires, missing_token_type, token_type_bearer, "
                      "query_param:KEY=VALUE, then plug-ins by name."),
)

request_options = _stack(
    click.option("--scope", envvar="OAUTH2_SCOPE", show_envvar=True, help="Space-separated scopes to ask for."),
    click.option("--audience", envvar="OAUTH2_AUDIENCE", show_envvar=True, help="The audience parameter, for servers that take one."),
    click.option("--resource", multiple=True, metavar="URI", help="RFC 8707 resource indicator (repeatable)."),
    click.option("-P", "--param", "params", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
                 help="Extra request parameter (repeatable)."),
    click.option("--authorization-details", metavar="JSON|@FILE",
                 help="RFC 9396 rich authorization request: a JSON array of objects with a \"type\", "
                      "or @FILE holding one."),
)

def _add_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    # A subcommand's -v adds to the root group's: `oauth2 -v token -v` traces with timing.
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of

        deps_of(ctx).verbose += value


def _reveal(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of

        deps = deps_of(ctx)
        if not deps.reveal_secrets:
            deps.reveal_secrets = True
            click.echo(REVEAL_WARNING, err=True)


REVEAL_WARNING = "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace"

# Every network command takes these (the root group has them too); they feed deps, not the command.
trace_options = _stack(
    click.option("-v", "--verbose", count=True, expose_value=False, callback=_add_verbose,
                 help="Trace each HTTP exchange on stderr, secrets masked (-vv adds timing)."),
    click.option("--reveal-secrets", is_flag=True, expose_value=False, callback=_reveal,
                 help="Show secrets and tokens in the -v trace instead of masking them (prints a warning)."),
)

transport_options = _stack(
    trace_options,
    click.option("--timeout", type=click.FloatRange(min=0.1), show_default="30", envvar="OAUTH2_TIMEOUT",
                 metavar="SECONDS", help="Give up on a server after this long."),
    click.option("--cacert", type=click.Path(dir_okay=False), metavar="PATH", help="Trust these CA certificates (PEM)."),
    click.option("--insecure", is_flag=True, help="Skip TLS certificate verification (prints a warning)."),
    click.option("--cert", type=click.Path(dir_okay=False), metavar="PATH", help="Client certificate (PEM), for mutual TLS."),
    click.option("--key", type=click.Path(dir_okay=False), metavar="PATH", help="Private key of --cert."),
    click.option("--allow-http", is_flag=True, default=None,
                 help="Allow plain http:// to hosts other than loopback (prints a warning; OAuth requires TLS)."),
)

grant_option = click.option(
    "--grant", "grant", type=GRANT, metavar="GRANT",
    help=grant_choices_text(),  # the registry's names (core/grants.py)
)

# The CI token sources (issue #17): `token`, `call`, `profile add` and `exec` take them alike.
token_source_options = _stack(
    click.option("--assertion-source", envvar="OAUTH2_ASSERTION_SOURCE", show_envvar=True, metavar="SOURCE",
                 help="jwt-bearer: take the assertion from SOURCE, read anew for every token: github-actions[:AUDIENCE], "
                      "gitlab:VAR, kubernetes[:PATH], env:VAR or file:PATH."),
    click.option("--subject-token-source", envvar="OAUTH2_SUBJECT_TOKEN_SOURCE", show_envvar=True, metavar="SOURCE",
                 help="token-exchange: take the subject_token from SOURCE (as for --assertion-source)."),
    click.option("--subject-token-type", metavar="TYPE",
                 help="token-exchange: access_token, refresh_token, id_token, jwt (the default with a source), "
                      "saml1, saml2 or a URI."),
)
TOKEN_SOURCE_NAMES = ("assertion_source", "subject_token_source", "subject_token_type")


def pop_token_sources(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The token source options, as ClientSettings fields (they merge over a profile like any flag)."""
    return {name: kwargs.pop(name) for name in TOKEN_SOURCE_NAMES if name in kwargs}


all_client_options = _stack(server_options, client_options, request_options, transport_options)
# revoke and introspect: no scope, audience, resource or -P
endpoint_client_options = _stack(server_options, client_options, transport_options)


def pop_common(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Split the shared options out of a command's keyword arguments."""
    names = {
        "issuer", *ENDPOINT_FLAGS, "client_id", "client_secret_env", "client_secret_file", "auth_method",
        "private_key", "key_id", "assertion_audience", "basic_raw", "compliance_fix", "scope", "audience", "resource",
        "params", "authorization_details", "timeout", "cacert", "insecure", "cert", "key", "allow_http",
    }
    return {name: kwargs.pop(name) for name in list(kwargs) if name in names}

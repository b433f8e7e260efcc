"""The options of `oauth2 call` without a profile (a CI job's one request), and the settings they make."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cli.options import _stack, grant_option, token_source_options
from oauth2cli.cli.params import KEY_VALUE, AuthMethodType

AD_HOC_NAMES = (
    "issuer", "token_url", "client_id", "client_secret_env", "client_secret_file", "auth_method", "private_key",
    "key_id", "grant", "scope", "audience", "resource", "params", "assertion_source", "subject_token_source",
    "subject_token_type", "save_as",
)

ad_hoc_options = _stack(
    click.option("--issuer", envvar="OAUTH2_ISSUER", show_envvar=True, metavar="URL",
                 help="Without a profile: the issuer to discover the token endpoint from."),
    click.option("--token-url", envvar="OAUTH2_TOKEN_URL", show_envvar=True, metavar="URL",
                 help="Without a profile: the token endpoint, instead of discovery."),
    click.option("--client-id", envvar="OAUTH2_CLIENT_ID", show_envvar=True,
                 help="Without a profile: the client (its secret from OAUTH2_CLIENT_SECRET, --client-secret-env "
                      "or --client-secret-file)."),
    click.option("--client-secret-env", metavar="VAR", help="Read the client secret from this environment variable."),
    click.option("--client-secret-file", metavar="PATH", type=click.Path(dir_okay=False),
                 help="Read the client secret from this file."),
    click.option("--auth-method", type=AuthMethodType(), help="Client authentication at the token endpoint."),
    click.option("--private-key", metavar="PATH", type=click.Path(dir_okay=False),
                 help="PEM or JWK key: signs the jwt-bearer assertion (iss: --client-id), or private_key_jwt."),
    click.option("--key-id", metavar="KID", help="The kid to put in signed assertions."),
    grant_option,
    click.option("--scope", envvar="OAUTH2_SCOPE", show_envvar=True, help="Without a profile: the scopes to ask for."),
    click.option("--audience", envvar="OAUTH2_AUDIENCE", show_envvar=True,
                 help="Without a profile: the audience request parameter."),
    click.option("--resource", multiple=True, metavar="URI", help="RFC 8707 resource indicator (repeatable)."),
    click.option("-P", "--param", "params", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
                 help="Extra token request parameter (repeatable)."),
    token_source_options,
    click.option("--save-as", metavar="NAME",
                 help="Save these settings as profile NAME (its token may go only to URL's origin), "
                      "and keep its token in the store."),
)


def pop_ad_hoc(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: kwargs.pop(name) for name in AD_HOC_NAMES if name in kwargs}


def call_settings(opts, url: str, deps):  # its old home
    from oauth2cli.flows.call_profile import call_settings as settings_of

    return settings_of(opts, url, deps)

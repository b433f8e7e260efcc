"""`oauth2 assertion`'s command line; the use case is oauth2cli/commands/assertion.py."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import client_options, pop_common, server_options, transport_options
from oauth2cli.cli.params import KEY_VALUE
from oauth2cli.commands.assertion import OUTPUTS, AssertionOptions, run


@click.command(short_help="Get a token with a signed JWT assertion (RFC 7523), e.g. a service account.")
@click.option("--service-account", type=click.Path(dir_okay=False), metavar="FILE.json",
              help="Google service-account JSON: client_email is iss and sub, private_key signs, private_key_id "
                   "is the kid, token_uri is the token endpoint and aud; --scope goes in a scope claim.")
@click.option("--iss", metavar="ISSUER", help="The assertion's iss (default: the service account, else --client-id). "
                                              "Not to be confused with --issuer, the server to discover.")
@click.option("--sub", "--subject", "sub", metavar="SUBJECT",
              help="The assertion's sub: the user to act for (domain-wide delegation); default: iss.")
@click.option("--aud", "--audience", "aud", multiple=True, metavar="AUDIENCE",
              help="The assertion's aud (repeatable; default: the token endpoint). Send an audience request "
                   "parameter with -P audience=... instead.")
@click.option("--claim", "claims", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="Extra claim (repeatable); a value that parses as JSON is JSON.")
@click.option("--header", "headers", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="Extra JWS header parameter (repeatable).")
@click.option("--alg", metavar="ALG", help="Signing algorithm (default from the key: RS256, ES256, EdDSA, ...).")
@click.option("--lifetime", type=click.IntRange(1, 3600), default=300, show_default=True, metavar="SECONDS",
              help="Seconds until the assertion expires (at most 3600).")
@click.option("--print-assertion", is_flag=True, help="Print the signed assertion instead of exchanging it.")
@click.option("-o", "--output", type=click.Choice(OUTPUTS), default="token", show_default=True,
              help="As for `oauth2 token`.")
@click.option("--scope", envvar="OAUTH2_SCOPE", show_envvar=True,
              help="Space-separated scopes (a scope claim with --service-account, else a request parameter).")
@click.option("--resource", multiple=True, metavar="URI", help="RFC 8707 resource indicator (repeatable).")
@click.option("-P", "--param", "params", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="Extra token request parameter (repeatable).")
@server_options
@client_options
@transport_options
def assertion(service_account, iss, sub, aud, claims, headers, alg, lifetime, print_assertion, output,
              **kwargs: Any) -> None:
    """Sign a JWT bearer assertion with a private key (Google's service-account JSON
    understood as is) and exchange it at the token endpoint (RFC 7523 §2.1).

    Every run signs a new assertion with a fresh jti, iat and exp. The assertion's
    claims are --iss, --sub and --aud; --issuer stays the server to discover endpoints
    from, as in every other command. Without --client-id no client authentication is
    sent: the assertion is the credential.

    \b
    Examples:
      $ oauth2 assertion --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
      $ oauth2 assertion --private-key key.pem --iss my-app --sub alice --token-url https://id.example.com/token
      $ oauth2 assertion --service-account sa.json --print-assertion | oauth2 decode -
    """
    opts = AssertionOptions(service_account=service_account, iss=iss, sub=sub, aud=aud, claims=claims,
                            headers=headers, alg=alg, lifetime=lifetime, print_assertion=print_assertion,
                            output=output, common=pop_common(kwargs))
    code = run(opts, render.deps_of())
    if code:
        raise SystemExit(code)

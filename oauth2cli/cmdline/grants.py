"""The option table: Get tokens: `token`, `refresh` and `assertion`."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import ALL_CLIENT, ENDPOINT_CLIENT, GRANT_OPT, TOKEN_SOURCES, GRANT_INPUTS


TOKEN = Command(
    'token',
    run='oauth2cli.commands.token:run_options',
    params=(
        Arg('profile', required=False, type=PROFILE),
        GRANT_OPT,
        Opt('-o', '--output', default='token', show_default=True, type=Choice(['token', 'json', 'header', 'env']), help='token: the access token alone; json: the token response; header: an Authorization header; env: shell export lines.'),
        Opt('--min-ttl', metavar='SECONDS', type=FloatRange(min=0), help="Refresh unless the token is valid for at least this long (default: the profile's leeway, 60 s, or half the token's lifetime when that is shorter). When the refresh fails for want of a server, a token valid for at least this long is printed, with a warning."),
        *GRANT_INPUTS,
        *TOKEN_SOURCES,
        *ALL_CLIENT,
    ),
    help="""Print an access token on stdout, and nothing else.

With a PROFILE, print its stored token, refreshing it first when it expires within
--min-ttl; with a PROFILE and --grant, run that grant and store the result. Without
a PROFILE, run a grant ad hoc from flags and OAUTH2_* variables (client_credentials by
default). Secrets (client secret, password, tokens) come from variables, files, stdin
or a prompt, never from the command line.

\b
Examples:
  $ export OAUTH2_CLIENT_SECRET=...
  $ oauth2 token --issuer https://id.example.com --client-id ci --grant client_credentials
  $ oauth2 token --issuer https://id.example.com --client-id ci --resource https://api.example.com
  $ curl -H "$(oauth2 token work --output header)" https://api.example.com/
  $ oauth2 token --token-url https://id.example.com/token --client-id app --grant password --username ann
  $ echo "$TOKEN" | oauth2 token --issuer ... --client-id sts --grant token-exchange \\
        --subject-token - --subject-token-type access_token --audience backend""",
)


REFRESH = Command(
    'refresh',
    run='oauth2cli.commands.refresh',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Opt('--refresh-token-env', metavar='VAR', help='Ad hoc: read the refresh token from this variable.'),
        Opt('--refresh-token-file', metavar='PATH', type=Path(dir_okay=False), help='Ad hoc: read the refresh token from this file (default: stdin).'),
        Opt('-o', '--output', type=Choice(['token', 'json', 'header', 'env']), help='Print the new token (as in `oauth2 token`); with a PROFILE the default is a note on stderr, ad hoc it is json.'),
        *ALL_CLIENT,
    ),
    help="""Exchange the stored refresh token of PROFILE for new tokens, even when the
access token is still valid, and save the result (a rotated refresh token too).

Without a PROFILE, refresh ad hoc: the refresh token comes from --refresh-token-env,
--refresh-token-file or stdin, and the new token response is printed as JSON.

\b
Examples:
  $ oauth2 refresh work
  $ oauth2 refresh --issuer https://id.example.com --client-id app < refresh_token.txt""",
)


ASSERTION = Command(
    'assertion',
    run='oauth2cli.commands.assertion:run_options',
    params=(
        Opt('--service-account', metavar='FILE.json', type=Path(dir_okay=False), help='Google service-account JSON: client_email is iss and sub, private_key signs, private_key_id is the kid, token_uri is the token endpoint and aud; --scope goes in a scope claim.'),
        Opt('--iss', metavar='ISSUER', help="The assertion's iss (default: the service account, else --client-id). Not to be confused with --issuer, the server to discover."),
        Opt('--sub', '--subject', metavar='SUBJECT', help="The assertion's sub: the user to act for (domain-wide delegation); default: iss."),
        Opt('--aud', '--audience', multiple=True, metavar='AUDIENCE', help="The assertion's aud (repeatable; default: the token endpoint). Send an audience request parameter with -P audience=... instead."),
        Opt('--claim', 'claims', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help='Extra claim (repeatable); a value that parses as JSON is JSON.'),
        Opt('--header', 'headers', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help='Extra JWS header parameter (repeatable).'),
        Opt('--alg', metavar='ALG', help='Signing algorithm (default from the key: RS256, ES256, EdDSA, ...).'),
        Opt('--lifetime', default=300, metavar='SECONDS', show_default=True, type=IntRange(min=1, max=3600), help='Seconds until the assertion expires (at most 3600).'),
        Opt('--print-assertion', is_flag=True, help='Print the signed assertion instead of exchanging it.'),
        Opt('-o', '--output', default='token', show_default=True, type=Choice(['token', 'json', 'header', 'env']), help='As for `oauth2 token`.'),
        Opt('--scope', envvar='OAUTH2_SCOPE', show_envvar=True, help='Space-separated scopes (a scope claim with --service-account, else a request parameter).'),
        Opt('--resource', multiple=True, metavar='URI', help='RFC 8707 resource indicator (repeatable).'),
        Opt('-P', '--param', 'params', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help='Extra token request parameter (repeatable).'),
        *ENDPOINT_CLIENT,
    ),
    help="""Sign a JWT bearer assertion with a private key (Google's service-account JSON
understood as is) and exchange it at the token endpoint (RFC 7523 §2.1).

Every run signs a new assertion with a fresh jti, iat and exp. The assertion's
claims are --iss, --sub and --aud; --issuer stays the server to discover endpoints
from, as in every other command. Without --client-id no client authentication is
sent: the assertion is the credential.

\b
Examples:
  $ oauth2 assertion --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
  $ oauth2 assertion --private-key key.pem --iss my-app --sub alice --token-url https://id.example.com/token
  $ oauth2 assertion --service-account sa.json --print-assertion | oauth2 decode -""",
)

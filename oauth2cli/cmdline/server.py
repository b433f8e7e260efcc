"""The option table: Ask a server about tokens and itself: `revoke`, `introspect`, `userinfo`, `discover`; and the local `decode` and `status`."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import TRACE, SERVER, ENDPOINT_CLIENT


REVOKE = Command(
    'revoke',
    run='oauth2cli.commands.revoke',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Arg('token', required=False),
        Opt('--token-type-hint', metavar='HINT', help='Tell the server what TOKEN is: access_token or refresh_token (RFC 7009 §2.1).'),
        *ENDPOINT_CLIENT,
    ),
    help="""Revoke TOKEN ('-' reads it from stdin), or the stored tokens of PROFILE (the
refresh token first, then the access token), at the revocation endpoint, with the
profile's client authentication. A profile's revoked tokens are removed from the store.

\b
Examples:
  $ oauth2 revoke work
  $ echo "$TOKEN" | oauth2 revoke --issuer https://id.example.com --client-id app -""",
)


INTROSPECT = Command(
    'introspect',
    run='oauth2cli.commands.introspect',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Arg('token', required=False),
        Opt('--token-type-hint', metavar='HINT', help='access_token or refresh_token; with a PROFILE, refresh_token introspects the stored refresh token.'),
        *ENDPOINT_CLIENT,
    ),
    help="""Introspect TOKEN ('-' reads it from stdin), or the stored access token of PROFILE,
and print the answer as JSON. `active: false` is a normal answer (exit 0).

\b
Examples:
  $ oauth2 introspect work
  $ echo "$TOKEN" | oauth2 introspect --issuer https://id.example.com --client-id rs -""",
)


USERINFO = Command(
    'userinfo',
    run='oauth2cli.commands.userinfo',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Opt('--token-env', metavar='VAR', help='Use the access token in this environment variable (without a PROFILE and --token-env, it is read from stdin).'),
        *SERVER,
        Opt('--client-id', envvar='OAUTH2_CLIENT_ID', show_envvar=True, help='The client identifier (checked against the aud of a signed answer).'),
        Opt('--timeout', metavar='SECONDS', show_default='30', type=FloatRange(min=0.1), help='Give up on a server after this long.'),
        Opt('--cacert', metavar='PATH', type=Path(dir_okay=False), help='Trust these CA certificates (PEM).'),
        Opt('--insecure', is_flag=True, help='Skip TLS certificate verification.'),
    ),
    help="""Call the userinfo endpoint with the stored access token of PROFILE and print
the claims as JSON. The token is refreshed first when it is about to expire, and
the answer's sub must be the stored id_token's. A signed answer (application/jwt)
is verified against the issuer's keys; encrypted answers are not supported yet.

Ad hoc, give --userinfo-url or --issuer, and the token with --token-env VAR or on stdin.

\b
Examples:
  $ oauth2 userinfo work
  $ oauth2 token work | oauth2 userinfo --issuer https://id.example.com""",
)


DISCOVER = Command(
    'discover',
    run='oauth2cli.commands.discover',
    params=(
        Arg('issuer', required=False, envvar='OAUTH2_ISSUER'),
        Opt('--resource', metavar='URL', help="Print a protected resource's metadata instead (RFC 9728: /.well-known/oauth-protected-resource)."),
        Opt('--timeout', default=30.0, metavar='SECONDS', show_default=True, type=FloatRange(min=0.1), help='Give up on the server after this long.'),
        Opt('--cacert', metavar='PATH', type=Path(dir_okay=False), help='Trust these CA certificates (PEM).'),
        Opt('--insecure', is_flag=True, help='Skip TLS certificate verification.'),
        Opt('--allow-http', is_flag=True, help='Allow plain http:// to hosts other than loopback (prints a warning).'),
        *TRACE,
    ),
    help="""Fetch the metadata of ISSUER and print it as JSON.

Reads every metadata document the server publishes and prints them merged: RFC 8414
(/.well-known/oauth-authorization-server inserted before the issuer's path), OpenID
Connect discovery (ISSUER/.well-known/openid-configuration), then
ISSUER/.well-known/oauth-authorization-server (django-oauth-toolkit, Keycloak). The
first document to name a field wins; -v says where each field came from. A document
whose issuer is not ISSUER is refused (RFC 8414 §3.3).

With --resource URL, prints the protected resource metadata of URL instead (RFC 9728):
/.well-known/oauth-protected-resource with URL's path inserted after the host, then
the origin's own; a document whose `resource` is not that URL is refused (§3.3).

\b
Examples:
  $ oauth2 discover https://accounts.google.com
  $ oauth2 discover https://id.example.com | jq .token_endpoint
  $ oauth2 discover --resource https://api.example.com/mcp | jq -r '.authorization_servers[0]'""",
)


DECODE = Command(
    'decode',
    run='oauth2cli.commands.decode',
    params=(
        Arg('token', required=False, metavar='[TOKEN|-|PROFILE]'),
        Opt('--verify', is_flag=True, help='Check the signature and the standard claims; exit 3 when they fail.'),
        Opt('--key', metavar='PATH', type=Path(dir_okay=False), help="Verify with this key: PEM public key, JWK or JWK Set (instead of the issuer's JWKS)."),
        Opt('--expect-audience', 'audience', metavar='AUD', help='With --verify: aud must contain this.'),
        Opt('--access-token', is_flag=True, help='With a PROFILE: its access token instead of its id_token.'),
        Opt('--dates/--no-dates', default=None, help='Add the time claims as ISO dates (default: on a terminal).'),
        *SERVER,
        Opt('--client-id', envvar='OAUTH2_CLIENT_ID', show_envvar=True, help='The client identifier.'),
        Opt('--timeout', default=30.0, metavar='SECONDS', type=FloatRange(min=0.1), help='Give up on a server after this long.'),
        Opt('--cacert', metavar='PATH', type=Path(dir_okay=False), help='Trust these CA certificates (PEM).'),
        Opt('--insecure', is_flag=True, help='Skip TLS certificate verification.'),
    ),
    help="""Print the header and claims of TOKEN (or of a JWT read from stdin with -) as JSON.

With a PROFILE name instead, decode its stored id_token (or, with --access-token,
its access token when that is a JWT). --verify checks the signature against --key,
--jwks-url or the keys of --issuer (discovered), then exp/nbf/iat and the iss of
--issuer; a profile's id_token gets the full OpenID Connect checks. Decoding without
--verify trusts nothing: it only shows what the token says.

\b
Examples:
  $ oauth2 decode "$ID_TOKEN"
  $ oauth2 token work | oauth2 decode -
  $ oauth2 decode --verify --issuer https://id.example.com "$JWT"
  $ oauth2 decode work --verify""",
)


STATUS = Command(
    'status',
    run='oauth2cli.commands.status',
    params=(
        Opt('--json', 'as_json', is_flag=True, help='JSON for scripts.'),
    ),
    help="""List the profiles with their login state and token lifetimes, the hosts git
asks each for credentials (`oauth2 setup-git`), and the secret store in use
(a * marks the default profile).

\b
Examples:
  $ oauth2 status
  $ oauth2 status --json""",
)


CLIENT_METADATA = Command(
    'client-metadata',
    run='oauth2cli.commands.client_metadata',
    params=(
        Opt('--client-id', envvar='OAUTH2_CLIENT_METADATA_URL', show_envvar=True, metavar='URL', help='The https URL the document will be served at: its client_id.'),
        Opt('--redirect-uri', 'redirect_uris', multiple=True, metavar='URI', help='A loopback redirect URI the logins will use (repeatable; default http://127.0.0.1:8765/callback). Strict servers compare it exactly, port included.'),
        Opt('--client-name', default='oauth2cli', show_default=True, metavar='NAME', help='The name the server shows on its consent page.'),
    ),
    help="""Print a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document)
on stdout: the client's metadata as JSON, with client_id the URL it is served at.

Host it at that https URL; then an authorization server that announces
client_id_metadata_document_supported fetches it instead of registering a client, and
`oauth2 call` / `oauth2 login --resource` use it when OAUTH2_CLIENT_METADATA_URL (or
--client-id URL) names it.

\b
Examples:
  $ oauth2 client-metadata --client-id https://example.com/oauth2cli.json > oauth2cli.json
  $ oauth2 client-metadata --client-id https://example.com/c.json --redirect-uri http://127.0.0.1:9000/cb""",
)

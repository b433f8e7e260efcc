"""The option table: `call`: the curl-like request."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import AD_HOC_CALL


CALL = Command(
    'call',
    run='oauth2cli.commands.call:run_options',
    ordered=('data', 'data_binary', 'data_raw', 'data_urlencode'),
    params=(
        Arg('args', nargs=-1, required=True, metavar='[METHOD] URL'),
        Opt('-p', '--profile', type=PROFILE, help='The profile whose token to send (default: the one whose urls match, else the default profile).'),
        Opt('-X', '--request', metavar='METHOD', help='The request method (default GET, or POST with data).'),
        Opt('-H', '--header', 'headers', multiple=True, metavar="'NAME: VALUE'", help="Extra header (repeatable); 'Name:' removes a default header."),
        Opt('-d', '--data', multiple=True, metavar='DATA', help='Request body, form-encoded (repeatable, joined with &); @FILE or @- for stdin.'),
        Opt('--data-binary', multiple=True, metavar='DATA', help='Like -d, but a file is sent as is.'),
        Opt('--data-raw', multiple=True, metavar='DATA', help='Like -d, without @ file handling.'),
        Opt('--data-urlencode', multiple=True, metavar='DATA', help='Data to URL-encode: content, name=content, @FILE or name@FILE.'),
        Opt('--json', 'json_', multiple=True, metavar='DATA', help='JSON body (@FILE, @-); sets Content-Type and Accept to application/json.'),
        Opt('-F', '--form', multiple=True, metavar='NAME=VALUE', help='multipart/form-data part: name=value, name=@FILE[;type=...], name=<FILE.'),
        Opt('-G', '--get', is_flag=True, help="Put the data in the URL's query and send a GET."),
        Opt('-i', '--include', is_flag=True, help='Print the status line and headers before the body.'),
        Opt('-I', '--head', is_flag=True, help='Send HEAD and print the status line and headers.'),
        Opt('-o', '--output', metavar='FILE', type=Path(dir_okay=False, allow_dash=True), help="Write the body to FILE (streamed), '-' for stdout."),
        Opt('-s', '--silent', is_flag=True, help='No status summary on stderr.'),
        Opt('-f', '--fail', is_flag=True, help='Exit 4 on HTTP 4xx and 5 on 5xx, without printing the body.'),
        Opt('-L', '--location', is_flag=True, help='Follow redirects; the token never goes to another origin.'),
        Opt('--max-time', metavar='SECONDS', type=FloatRange(min=0.1), help='Give up after this long in all.'),
        Opt('--cacert', metavar='PATH', type=Path(dir_okay=False), help='Trust these CA certificates (PEM).'),
        Opt('-k', '--insecure', is_flag=True, help='Skip TLS certificate verification (prints a warning).'),
        Opt('--allow-http', is_flag=True, help='Send the token over plain http:// to a host other than loopback (prints a warning).'),
        Opt('-v', '--verbose', is_flag=True, help='Trace the exchange on stderr, token and proofs masked.'),
        Opt('--print-curl', is_flag=True, help='Print the equivalent curl command (token masked) instead of sending.'),
        Opt('--step-up', is_flag=True, help='When the resource asks for a stronger sign-in (RFC 9470), log in again as it asks and retry once.'),
        Opt('--yes', is_flag=True, help='Zero-setup: trust an authorization server on another origin than URL without asking.'),
        Opt('--default', 'make_default', is_flag=True, help='Zero-setup: make the new profile the default one.'),
        *AD_HOC_CALL,
    ),
    help="""Send a request to URL with the profile's access token, refreshing it first when
it is about to expire (and once more if the server says the token is invalid), and
print the response body on stdout, byte for byte when piped.

The profile is -p, else the one whose `urls` contain URL, else the default one. The
token goes only to URL's origin: never to another host on a redirect (-L), and never
outside the profile's `urls`. Profiles with `dpop = true` send DPoP proofs (RFC 9449).

Without -p, --client-id or --grant (or their OAUTH2_* variables) make an ad-hoc call,
as a CI job does: a token from client_credentials (the default), jwt-bearer or
token-exchange, with the secret from the environment or a CI token source
(--assertion-source, --subject-token-source); nothing is stored unless --save-as NAME.

With no profile for URL, the request goes without a token; a 401 that names the
resource's metadata (RFC 9728) starts zero-setup: at a terminal, the authorization
server is shown (and confirmed when on another origin), a client is registered or a
Client ID Metadata Document used, the browser login runs, a profile is saved, and the
request is sent once more with the token.

Exit status: 0 for any HTTP answer; with --fail, 4 for 4xx and 5 for 5xx; 3 when the
authorization server refuses the grant; 6 when a server cannot be reached; 7 when
there is no usable token (log in first).

\b
Examples:
  $ oauth2 call https://api.github.com/user
  $ oauth2 call -p work POST https://api.example.com/items --json '{"a":1}'
  $ oauth2 call https://api.example.com/report.pdf -o report.pdf
  $ OAUTH2_CLIENT_SECRET=... oauth2 call --issuer https://id.example.com --client-id ci https://api.example.com/
  $ oauth2 call --issuer https://id.example.com --client-id ci --subject-token-source github-actions:ci \\
        https://api.example.com/deploy""",
)

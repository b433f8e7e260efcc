"""The option table: Log in and out: `authorize` (alias `login`) and `logout`."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import ALL_CLIENT


AUTHORIZE = Command(
    'authorize',
    run='oauth2cli.commands.authorize',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Opt('--device', 'method', is_flag=True, flag_value='device', help='Use the device flow (RFC 8628): a code to enter on any device.'),
        Opt('--manual', 'method', is_flag=True, flag_value='manual', help='Do not listen: print the URL and read the address the browser ends at from stdin.'),
        Opt('--password', 'method', is_flag=True, flag_value='password', help='Resource owner password grant (deprecated, RFC 9700): username and password at the prompt.'),
        Opt('--username', metavar='NAME', help='The username for --password.'),
        Opt('--ciba', 'method', is_flag=True, flag_value='ciba', help='Client-Initiated Backchannel Authentication: the user approves on their own device (poll mode).'),
        Opt('--login-hint', metavar='HINT', help='With --ciba: who to ask (login_hint: a user name, e-mail, ...).'),
        Opt('--binding-message', metavar='TEXT', help="With --ciba: a short text shown here and on the user's device."),
        Opt('--acr-values', metavar='VALUES', help='With --ciba: the authentication context classes asked for.'),
        Opt('--no-browser', is_flag=True, help='Do not open a browser; print the URL only.'),
        Opt('--browser-timeout', default=300, metavar='SECONDS', show_default=True, type=FloatRange(min=1), help='Give up waiting for the browser after this long (exit 7).'),
        Opt('--redirect-uri', metavar='URL', help='Fixed loopback redirect URI, e.g. http://127.0.0.1:8765/callback (default: 127.0.0.1, any free port).'),
        Opt('--redirect-port', multiple=True, metavar='PORT', type=IntRange(min=1, max=65535), help='Port to listen on, in order of preference (repeatable), for servers that want an exact match.'),
        Opt('--pkce', type=Choice(['S256', 'plain']), help='PKCE method (RFC 7636); S256 unless told.'),
        Opt('--no-pkce', is_flag=True, help='Send no PKCE, for servers that break on it.'),
        Opt('--par/--no-par', default=None, help='Push the authorization request first (RFC 9126).'),
        Opt('--response-type', type=Choice(['code', 'token', 'code id_token', 'code token', 'code id_token token']), help='code (default); a hybrid flow (OIDC Core §3.3: the front-channel id_token is verified, c_hash included); or token for the deprecated implicit grant.'),
        Opt('--response-mode', metavar='MODE', type=Choice(['query', 'fragment', 'form_post', 'jwt', 'query.jwt', 'fragment.jwt', 'form_post.jwt']), help="How the answer comes back: query, fragment, form_post (one POST to the listener), or JARM (jwt, query.jwt, fragment.jwt, form_post.jwt: a signed response JWT, verified against the issuer's keys)."),
        Opt('--request-object/--no-request-object', default=None, help='Send the request as a signed JWT (RFC 9101), with --private-key or HS256 with the client secret; inside the pushed request with --par.'),
        Opt('--fapi2', is_flag=True, help='FAPI 2.0: PAR, PKCE S256, a signed request object, DPoP and the iss check, all at once; weaker choices (--no-par, --no-pkce, other response types, secret-based client auth) are refused.'),
        Opt('-o', '--output', type=Choice(['json']), help='Print the token response on stdout instead of saving it (add --save to do both).'),
        Opt('--save', is_flag=True, help='With --output json: save the tokens in the profile as well.'),
        Opt('--yes', is_flag=True, help='With --resource: trust an authorization server on another origin than the resource without asking.'),
        Opt('--default', 'make_default', is_flag=True, help='With --resource: make the new profile the default one.'),
        *ALL_CLIENT,
    ),
    help="""Log in as a person and save the tokens in the profile PROFILE.

Opens the browser at the authorization endpoint, catches the redirect on a
loopback listener (state and PKCE checked), exchanges the code and saves the
token set. Without a display (or over SSH) it uses the device flow when the
server has one. The URL is always printed on stderr too. `login` is an alias.

\b
Examples:
  $ oauth2 login github
  $ oauth2 login work -P login_hint=me@example.com -P prompt=consent
  $ oauth2 login work --redirect-uri http://127.0.0.1:8765/callback
  $ oauth2 authorize work --device
  $ oauth2 login --issuer https://id.example.com --client-id cli --scope openid -o json
  $ oauth2 login --resource https://api.example.com/mcp
  $ oauth2 login work --ciba --login-hint alice --binding-message "Order 42\"""",
)


LOGOUT = Command(
    'logout',
    run='oauth2cli.commands.logout',
    params=(
        Arg('profile', required=False, type=PROFILE),
        Opt('--end-session', is_flag=True, help='First end the session at the server in the browser (OpenID Connect RP-Initiated Logout).'),
    ),
    help="""Revoke the tokens of PROFILE (default: the default profile) when the server
supports it (RFC 7009), then delete them from the store. The profile itself stays.

With --end-session the browser first opens the server's end_session_endpoint with
id_token_hint, client_id, state and a post_logout_redirect_uri on the loopback
listener, which checks the state when the server sends the browser back: the next
login then needs a fresh sign-in.

\b
Examples:
  $ oauth2 logout work
  $ oauth2 logout work --end-session""",
)

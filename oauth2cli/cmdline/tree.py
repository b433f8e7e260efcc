"""The option table's root: the `oauth2` group, its options and its commands.

Each command's Command lives in the module of its area (cmdline/grants.py, server.py, ...) and is
imported only when that command is read; its short help is here, so that `oauth2 --help` and a
TAB on command names read no other module. cli/build.py makes the click tree from this table;
cmdline/parse.py reads a command line against it.
"""

from __future__ import annotations

from oauth2cli.cmdline.spec import Choice, Command, Opt

# name -> (where its Command is, its short help)
COMMANDS = {
    'authorize': ('oauth2cli.cmdline.login:AUTHORIZE',
                 'Log in through the browser: authorization code with PKCE via a loopback redirect.'),
    'token': ('oauth2cli.cmdline.grants:TOKEN',
             'Print a valid access token (refreshing or re-fetching it when needed).'),
    'refresh': ('oauth2cli.cmdline.grants:REFRESH',
               'Force a refresh_token grant and save the new tokens.'),
    'revoke': ('oauth2cli.cmdline.server:REVOKE',
              'Revoke a token (RFC 7009).'),
    'introspect': ('oauth2cli.cmdline.server:INTROSPECT',
                  'Ask the server about a token (RFC 7662); JSON on stdout.'),
    'call': ('oauth2cli.cmdline.call:CALL',
            'Make an authenticated HTTP request, like curl, with a token that refreshes itself.'),
    'assertion': ('oauth2cli.cmdline.grants:ASSERTION',
                 'Get a token with a signed JWT assertion (RFC 7523), e.g. a service account.'),
    'userinfo': ('oauth2cli.cmdline.server:USERINFO',
                'Print the OpenID Connect userinfo of a profile as JSON.'),
    'discover': ('oauth2cli.cmdline.server:DISCOVER',
                "Print an authorization server's metadata (RFC 8414, then OpenID discovery)."),
    'decode': ('oauth2cli.cmdline.server:DECODE',
              'Decode a JWT (header and claims as JSON), optionally verifying it.'),
    'profile': ('oauth2cli.cmdline.profile:GROUP',
               'Add, list, show, change and remove profiles.'),
    'status': ('oauth2cli.cmdline.server:STATUS',
              'Show every profile: logged in or not, expiry, scopes, store backend.'),
    'logout': ('oauth2cli.cmdline.login:LOGOUT',
              'Revoke and forget the tokens of a profile.'),
    'completion': ('oauth2cli.cmdline.helpers:COMPLETION',
                  'Print the shell completion script for bash, zsh or fish.'),
    'git-credential': ('oauth2cli.cmdline.helpers:GIT_CREDENTIAL',
                      "git's credential helper: a profile's access token as the password."),
    'setup-git': ('oauth2cli.cmdline.helpers:SETUP_GIT',
                 "Make git use a profile's token for a host (credential helper set-up)."),
    'kube-credential': ('oauth2cli.cmdline.helpers:KUBE_CREDENTIAL',
                       "kubectl's exec credential plugin: an ExecCredential with the profile's token."),
    'exec': ('oauth2cli.cmdline.helpers:EXEC',
            'Run a command with a valid access token in its environment.'),
    'client-metadata': ('oauth2cli.cmdline.server:CLIENT_METADATA',
                       'Print a Client ID Metadata Document to host at an https URL (for MCP servers).'),
    'mcp': ('oauth2cli.cmdline.helpers:MCP',
           'Bridge a local MCP client (stdio) to a remote MCP server behind OAuth (Streamable HTTP).'),
}
ALIASES = {"login": "authorize"}

ROOT = Command(
    'cli',
    commands=COMMANDS,
    aliases=ALIASES,
    version=(('-V', '--version'), '%(prog)s %(version)s'),
    pass_context=True,
    context_settings={'help_option_names': ['-h', '--help'], 'max_content_width': 100},
    cls='oauth2cli.cli.lazy:LazyGroup',
    callback='oauth2cli.cli.root:start',
    params=(
        Opt('-v', '--verbose', count=True, help='Trace HTTP exchanges on stderr, secrets masked (-vv adds timing).'),
        Opt('--reveal-secrets', is_flag=True, help='Show secrets in the -v trace instead of masking them.'),
        Opt('--no-color', is_flag=True, help='No colour or decoration, even on a terminal.'),
        Opt('--store', envvar='OAUTH2CLI_STORE', type=Choice(['auto', 'keyring', 'file']), help='Where secrets and tokens live: the OS keyring, a 0600 file, or keyring with an announced file fallback (auto).'),
        Opt('--debug', is_flag=True, envvar='OAUTH2CLI_DEBUG', help='Show a traceback for unexpected errors.'),
    ),
    help="""OAuth 2.0 and OpenID Connect from the command line.

Log in through the browser, print tokens for scripts, call APIs with tokens that
refresh themselves, and inspect, revoke and introspect tokens. Profiles keep the
settings; secrets and tokens live in the OS keyring.

Data goes to stdout, messages to stderr. `oauth2 COMMAND --help` and
`man oauth2-COMMAND` tell more; `oauth2 completion SHELL` sets up TAB completion.

\b
Examples:
  $ oauth2 login github
  $ oauth2 token --issuer https://id.example.com --client-id ci --grant client_credentials""",
)

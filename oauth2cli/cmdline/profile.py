"""The option table: `profile` and its subcommands."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import ALL_CLIENT, GRANT_OPT, TOKEN_SOURCES, LOGIN_PROFILE, ASSERTION_PROFILE


# name -> (where its Command is, its short help): `oauth2 profile --help` lists them unloaded
SUBCOMMANDS = {
    'add': ('oauth2cli.cmdline.profile:ADD', 'Add a profile.'),
    'default': ('oauth2cli.cmdline.profile:DEFAULT', 'Show or set the default profile.'),
    'list': ('oauth2cli.cmdline.profile:LIST', 'List the profiles.'),
    'presets': ('oauth2cli.cmdline.profile:PRESETS', "List the provider presets, or show one preset's parameters."),
    'remove': ('oauth2cli.cmdline.profile:REMOVE', 'Remove a profile, its secrets and its tokens.'),
    'rename': ('oauth2cli.cmdline.profile:RENAME', 'Rename a profile.'),
    'secret': ('oauth2cli.cmdline.profile:SECRET', "Store or delete a profile's client secret."),
    'set': ('oauth2cli.cmdline.profile:SET', 'Set one setting of a profile.'),
    'show': ('oauth2cli.cmdline.profile:SHOW', 'Show a profile, secrets masked.'),
    'unset': ('oauth2cli.cmdline.profile:UNSET', 'Remove one setting of a profile.'),
}

GROUP = Command(
    'profile',
    commands=SUBCOMMANDS,
    params=(
    ),
    help="""Manage profiles: named sets of issuer, client and request settings.

Settings live in $XDG_CONFIG_HOME/oauth2cli/config.toml (or $OAUTH2CLI_CONFIG);
secrets and tokens in the OS keyring, or in an announced 0600 file when there is none.

\b
Examples:
  $ oauth2 profile add work --issuer https://id.example.com --client-id cli
  $ oauth2 profile add gh --preset github --client-id Iv1.0123
  $ oauth2 profile list""",
)


ADD = Command(
    'add',
    run='oauth2cli.commands.profile_add',
    params=(
        Arg('name'),
        Opt('--preset', metavar='NAME', type=PRESET, help='Start from a provider preset (list them, and their parameters, with `oauth2 profile presets`).'),
        Opt('--preset-param', 'preset_params', multiple=True, metavar='KEY=VALUE', type=KEY_VALUE, help="A preset's parameter, e.g. tenant=contoso.com (microsoft) or base_url=https://git.example.com (gitlab)."),
        GRANT_OPT,
        Opt('--redirect-port', multiple=True, metavar='PORT', type=IntRange(min=0, max=65535), help='Loopback port(s) for the login redirect (default: any free port).'),
        Opt('--leeway', metavar='SECONDS', type=FloatRange(min=0), help='Refresh a token this long before it expires (default 60).'),
        Opt('--no-discover', is_flag=True, help="Do not fetch the issuer's metadata now."),
        Opt('--default', 'make_default', is_flag=True, help='Make it the default profile.'),
        *ASSERTION_PROFILE,
        *TOKEN_SOURCES,
        Opt('--register', is_flag=True, help="Register a new client at the issuer's registration_endpoint (RFC 7591) instead of giving --client-id: a native public client unless --auth-method says client_secret_basic, client_secret_post or private_key_jwt."),
        Opt('--client-name', metavar='TEXT', help='With --register: the client_name to register (default oauth2cli).'),
        Opt('--registration-token-env', metavar='VAR', help="With --register: read the server's initial access token (RFC 7591 §3) from this environment variable."),
        *LOGIN_PROFILE,
        *ALL_CLIENT,
    ),
    help="""Add the profile NAME from the same flags as ad-hoc use.

With an issuer, its metadata is fetched now and the endpoints found are stored. The
client secret comes from --client-secret-file, --client-secret-env or
OAUTH2_CLIENT_SECRET and goes to the secret store, never to config.toml.

A jwt-bearer profile (--service-account FILE.json, or --grant jwt-bearer with
--private-key and --iss) signs a new assertion whenever it needs a token; its private
key goes to the secret store too. A profile with --assertion-source or
--subject-token-source reads its CI job's OIDC token anew each time instead.

\b
Examples:
  $ oauth2 profile add work --issuer https://id.example.com --client-id cli --scope "openid offline_access"
  $ OAUTH2_CLIENT_SECRET=... oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant client_credentials
  $ oauth2 profile add corp --preset microsoft --preset-param tenant=contoso.com --client-id 0000-1111
  $ oauth2 profile add svc --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
  $ oauth2 profile add app --grant jwt-bearer --private-key key.pem --iss my-app --token-url https://id.example.com/token
  $ oauth2 profile add ci --issuer https://id.example.com --client-id ci --grant token-exchange \\
        --subject-token-source github-actions:https://id.example.com
  $ oauth2 profile add mcp --issuer https://auth.example.com --register --scope openid
  $ oauth2 profile add web --issuer https://id.example.com --client-id web --redirect-uri http://127.0.0.1:8765/cb""",
)


DEFAULT = Command(
    'default',
    run='oauth2cli.commands.profile_edit:default',
    params=(
        Arg('name', required=False, type=PROFILE),
    ),
    help="""Make NAME the profile used when a command names none; without NAME, print the default.

\b
Examples:
  $ oauth2 profile default work""",
)


LIST = Command(
    'list',
    run='oauth2cli.commands.profile_list',
    params=(
        Opt('--json', 'as_json', is_flag=True, help='JSON for scripts.'),
    ),
    help="""List the profiles: a table on a terminal, tab-separated when piped, JSON with --json.

\b
Examples:
  $ oauth2 profile list
  $ oauth2 profile list --json | jq -r '.[].name'""",
)


PRESETS = Command(
    'presets',
    run='oauth2cli.commands.profile_presets',
    params=(
        Arg('name', required=False),
    ),
    help="""List the provider presets, or show the parameters, settings and documentation page of
the preset NAME (what `profile add --preset NAME --preset-param KEY=VALUE` takes).

\b
Examples:
  $ oauth2 profile presets
  $ oauth2 profile presets keycloak""",
)


REMOVE = Command(
    'remove',
    run='oauth2cli.commands.profile_edit:remove',
    params=(
        Arg('name', type=PROFILE),
        Opt('--keep-registration', is_flag=True, help='A client registered with --register stays registered at the server (no RFC 7592 DELETE).'),
    ),
    help="""Remove the profile NAME from config.toml, and its secrets and tokens from the store
(tokens are not revoked; `oauth2 logout NAME` first does that). A client that
`profile add --register` made is de-registered at the server first (RFC 7592),
unless --keep-registration.

\b
Examples:
  $ oauth2 logout work && oauth2 profile remove work
  $ oauth2 profile remove mcp --keep-registration""",
)


RENAME = Command(
    'rename',
    run='oauth2cli.commands.profile_edit:rename',
    params=(
        Arg('old', type=PROFILE),
        Arg('new'),
    ),
    help="""Rename profile OLD to NEW; its secrets and tokens move with it.

\b
Examples:
  $ oauth2 profile rename work work-eu""",
)


SECRET = Command(
    'secret',
    run='oauth2cli.commands.profile_edit:secret',
    params=(
        Arg('name', type=PROFILE),
        Opt('--client-secret-env', metavar='VAR', help='Read it from this environment variable.'),
        Opt('--client-secret-file', metavar='PATH', type=Path(dir_okay=False), help='Read it from this file.'),
        Opt('--delete', is_flag=True, help='Delete the stored client secret.'),
    ),
    help="""Store the client secret of NAME in the secret store, from a file, an environment
variable (default OAUTH2_CLIENT_SECRET) or stdin — never from the command line.

\b
Examples:
  $ oauth2 profile secret work --client-secret-file ~/work.secret
  $ pass show work/oauth | oauth2 profile secret work""",
)


SET = Command(
    'set',
    run='oauth2cli.commands.profile_edit:set_',
    params=(
        Arg('name', type=PROFILE),
        Arg('key'),
        Arg('value'),
    ),
    help="""Set KEY of profile NAME to VALUE (config.toml names or flag names: scope, token-url, ...).

Lists take space- or comma-separated items; parameters take KEY=VALUE items.

\b
Examples:
  $ oauth2 profile set work scope "openid email offline_access"
  $ oauth2 profile set work token-url https://id.example.com/oauth/token
  $ oauth2 profile set corp tenant contoso.com""",
)


SHOW = Command(
    'show',
    run='oauth2cli.commands.profile_show',
    params=(
        Arg('name', type=PROFILE),
        Opt('--json', 'as_json', is_flag=True, help='JSON for scripts.'),
    ),
    help="""Show the settings of NAME and where each comes from (profile, preset, default);
secrets and tokens are masked.

\b
Examples:
  $ oauth2 profile show work""",
)


UNSET = Command(
    'unset',
    run='oauth2cli.commands.profile_edit:unset',
    params=(
        Arg('name', type=PROFILE),
        Arg('key'),
    ),
    help="""Remove KEY from profile NAME (the preset's value or the default applies again).

\b
Examples:
  $ oauth2 profile unset work audience""",
)

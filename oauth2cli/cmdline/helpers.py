"""The option table: What other programs run (`git-credential`, `kube-credential`, `exec`, `mcp`), their set-up (`setup-git`) and `completion`."""

from __future__ import annotations

from oauth2cli.cmdline.spec import (AUTH_METHOD, GRANT, KEY_VALUE, PRESET, PROFILE, UNPROCESSED, Arg, Choice, Command,
                                    FloatRange, IntRange, Opt, Path)
from oauth2cli.cmdline.shared import TOKEN_SOURCES, LOGIN_WAIT


GIT_CREDENTIAL = Command(
    'git-credential',
    run='oauth2cli.commands.git_credential',
    params=(
        Opt('-p', '--profile', type=PROFILE, help='The profile to use (default: the one whose urls match the host).'),
        *LOGIN_WAIT,
        Arg('action', metavar='get|store|erase', complete=('get', 'store', 'erase')),
    ),
    help="""git's credential helper: key=value lines on stdin (protocol, host, ...); for
`get`, username= and password= (the access token, refreshed when needed) and
password_expiry_utc= on stdout.

The profile is -p, else the one whose urls match protocol://host[:port] (and the
path, when git sends one). With no match nothing is printed, so git asks its next
helper. The username is the profile's git_username (default: the preset's, such as
x-access-token for GitHub, else oauth2). `erase` (git was refused the token) makes
the next `get` refresh; `store` changes nothing. A login it needs opens the browser
once, however many git processes wait for it. Set it up with `oauth2 setup-git`.

\b
Examples:
  $ oauth2 setup-git work --host https://git.example.com
  $ printf 'protocol=https\\nhost=git.example.com\\n' | oauth2 git-credential get""",
)


SETUP_GIT = Command(
    'setup-git',
    run='oauth2cli.commands.setup_git',
    params=(
        Arg('profile', type=PROFILE),
        Opt('--host', required=True, metavar='URL', help='The git server, e.g. https://git.example.com.'),
        Opt('--local', is_flag=True, help="Write the repository's git config instead of the global one."),
        Opt('--remove', is_flag=True, help='Remove what setup-git wrote for this host and profile.'),
    ),
    help="""Write credential.URL.helper = !oauth2 git-credential -p PROFILE in the global
(or, with --local, the repository's) git config, after an empty helper line so
that no other helper answers for that host. Running it again changes nothing;
--remove takes it out again. What changed is said on stderr. `oauth2 status`
lists the hosts each profile serves git for.

\b
Examples:
  $ oauth2 setup-git work --host https://git.example.com
  $ git clone https://git.example.com/team/repo.git
  $ oauth2 setup-git github --host https://github.com --local
  $ oauth2 setup-git work --host https://git.example.com --remove""",
)


MCP = Command(
    'mcp',
    run='oauth2cli.commands.mcp',
    params=(
        Arg('url', metavar='URL'),
        Opt('-p', '--profile', type=PROFILE, help='The profile whose token to send (default: the one whose urls match, else the default profile).'),
    ),
    help="""Connect a local MCP client (one that starts a program and speaks MCP on its
stdin and stdout) to the remote MCP server at URL, which speaks Streamable HTTP
behind OAuth: each JSON-RPC message read from stdin is sent with a fresh token, and
what the server answers or sends is written to stdout, one message a line.

The profile is -p, else the one whose urls contain URL, else the default one. With
none, the server's 401 names its authorization server (RFC 9728): when that server
is another site, a page in the browser asks first; then a client is registered
there, the browser login runs once, and a profile named after the host keeps it.
stdout carries only JSON-RPC; every message of ours goes to stderr. End of stdin
ends the session. Exit status: 0 at the end of stdin; 7 when there is no usable
token (log in first).

\b
In a desktop MCP client's configuration:
  {"command": "oauth2", "args": ["mcp", "https://mcp.example.com/mcp"]}

\b
Examples:
  $ oauth2 mcp https://mcp.example.com/mcp
  $ oauth2 mcp -p work https://mcp.example.com/mcp""",
)


KUBE_CREDENTIAL = Command(
    'kube-credential',
    run='oauth2cli.commands.kube_credential',
    params=(
        Arg('profile', type=PROFILE),
        Opt('--id-token', 'kind', is_flag=True, flag_value='id_token', help='Send the id_token (the default when the scope has openid).'),
        Opt('--access-token', 'kind', is_flag=True, flag_value='access_token', help='Send the access token (the default otherwise).'),
        *LOGIN_WAIT,
    ),
    help="""Print an ExecCredential (JSON) for kubectl: status.token and
status.expirationTimestamp, with the apiVersion KUBERNETES_EXEC_INFO names
(client.authentication.k8s.io/v1 or v1beta1; v1 when run by hand).

The token is the profile's id_token when its scope has openid (what Kubernetes'
OIDC authenticator checks), else its access token; either is refreshed when it is
about to expire. A login it needs uses the browser (or --device) as `oauth2 login`
does, once for all the kubectl processes waiting for it. stdout is kubectl's;
every message goes to stderr. In the kubeconfig:

\b
  users:
  - name: work
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: oauth2
        args: [kube-credential, work]
        interactiveMode: IfAvailable

\b
Examples:
  $ oauth2 kube-credential work
  $ oauth2 kube-credential work --access-token""",
)


EXEC = Command(
    'exec',
    context_settings={'allow_interspersed_args': False},
    run='oauth2cli.commands.exec',
    params=(
        Opt('-p', '--profile', type=PROFILE, help='The profile whose token to pass (default: the default profile).'),
        Opt('--env', 'env_name', default='OAUTH2_ACCESS_TOKEN', metavar='NAME', show_default=True, help='The environment variable that holds the token.'),
        *LOGIN_WAIT,
        *TOKEN_SOURCES,
        Arg('command', nargs=-1, required=True, metavar='-- CMD [ARGS]...', type=UNPROCESSED),
    ),
    help="""Run CMD with the profile's access token (refreshed first when it is about to
expire) in the environment variable NAME. CMD's exit status is oauth2's; it gets
signals, stdin, stdout and stderr as if run directly (on POSIX it replaces this
process). A command that cannot be found exits 127, one that cannot run 126.
A login it needs opens the browser once, as for `oauth2 login`. A token source
(--assertion-source, --subject-token-source) replaces the profile's, as for `token`.

\b
Examples:
  $ oauth2 exec -p work -- terraform apply
  $ oauth2 exec --env GITHUB_TOKEN -- gh api /user
  $ oauth2 exec -p ci --subject-token-source github-actions -- terraform plan
  $ oauth2 exec -p work -- sh -c 'curl -H "Authorization: Bearer $OAUTH2_ACCESS_TOKEN" https://api.example.com/'""",
)


COMPLETION = Command(
    'completion',
    run='oauth2cli.commands.completion',
    params=(
        Arg('shell', type=Choice(['bash', 'zsh', 'fish'])),
    ),
    help="""Print the completion script for SHELL on stdout.

TAB then completes commands, options and their values: profile names (read from
config.toml), presets, grant types, client authentication methods, output formats,
and file names where a path is expected. The same scripts ship in completions/.

\b
Examples:
  $ oauth2 completion bash > ~/.local/share/bash-completion/completions/oauth2
  $ oauth2 completion fish > ~/.config/fish/completions/oauth2.fish""",
)

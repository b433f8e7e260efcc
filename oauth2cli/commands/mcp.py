"""`oauth2 mcp URL`: the stdio ↔ Streamable HTTP bridge for a local MCP client (flows/mcp/bridge.py).

stdin and stdout are the protocol: JSON-RPC messages, one a line. Every message of ours goes to
stderr, and nothing of ours reads stdin (a login reads no pasted URL from it). The profile is
-p, else the one whose urls claim URL, else the default one, else one set up from the server's
401 (RFC 9728) after the person confirms in the browser (flows/mcp/setup.py).
"""

from __future__ import annotations


def run(opts, deps) -> int:
    import io
    import sys

    from oauth2cli.core.errors import ConfigError, UsageError
    from oauth2cli.flows.call.call import token_may_go
    from oauth2cli.flows.call.call_adhoc import call_for
    from oauth2cli.flows.mcp.bridge import Bridge
    from oauth2cli.flows.mcp.setup import settings_for

    url = opts.url
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"URL must start with http:// or https://, got {url!r}")
    stdin = getattr(deps.stdin, "buffer", None) or sys.stdin.buffer
    stdout = getattr(deps.stdout, "buffer", None) or sys.stdout.buffer
    deps.stdin = io.StringIO()  # the protocol's: no prompt or pasted URL is read from it
    settings = settings_for(url, opts.profile, deps)
    if not token_may_go(settings, url):
        raise ConfigError(f"the token of profile {settings.profile!r} may only go to {', '.join(settings.urls)}; "
                          f"not to {url}", hint=f"add the URL with `oauth2 profile set {settings.profile} urls ...`, "
                                                "or choose another profile with -p")

    def write(line: bytes) -> None:
        stdout.write(line)
        stdout.flush()

    def say(text: str) -> None:
        deps.stderr.write(text + "\n")
        deps.stderr.flush()

    call = call_for(settings, deps)
    client = call.client(None, False)
    try:
        return Bridge(call, client, url, write, say).run(iter(stdin.readline, b""))
    finally:
        client.close()

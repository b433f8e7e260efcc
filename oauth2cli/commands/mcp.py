"""`oauth2 mcp URL`: the stdio ↔ Streamable HTTP bridge for a local MCP client (flows/mcp/bridge.py).

stdin and stdout are the protocol: JSON-RPC messages, one a line. Every message of ours goes to
stderr, and nothing of ours reads stdin (a login reads no pasted URL from it). The profile is
the one `oauth2 call` would choose; when there is none, the first message goes without a token
and its 401 (RFC 9728) sets one up, asked in the browser (flows/mcp/setup.py).
"""

from __future__ import annotations


def run(opts, deps) -> int:
    import io
    import sys

    from oauth2cli.commands.call import normalized
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows.call.call import token_may_go
    from oauth2cli.flows.call.call_adhoc import call_for
    from oauth2cli.flows.mcp.bridge import Bridge
    from oauth2cli.flows.call.call import Call
    from oauth2cli.flows.mcp.setup import settings_for, tokenless

    url = normalized(opts.url)  # RFC 3986, as `oauth2 call`: what the trust rule compares is what is sent
    stdin = getattr(deps.stdin, "buffer", None) or sys.stdin.buffer
    stdout = getattr(deps.stdout, "buffer", None) or sys.stdout.buffer
    deps.stdin = io.StringIO()  # the protocol's: no prompt or pasted URL is read from it
    settings = settings_for(url, opts.profile, deps)
    unclaimed = settings is None  # no profile's urls claim URL: the first message's 401 sets one up
    if not unclaimed and not token_may_go(settings, url, url):
        raise ConfigError(f"the token of profile {settings.profile!r} may only go to {', '.join(settings.urls)}; "
                          f"not to {url}", hint=f"add the URL with `oauth2 profile set {settings.profile} urls ...`, "
                                                "or choose another profile with -p")

    def write(line: bytes) -> None:
        stdout.write(line)
        stdout.flush()

    def say(text: str) -> None:
        deps.stderr.write(text + "\n")
        deps.stderr.flush()

    def set_up(response):
        from oauth2cli.flows.call.call_profile import profile_settings
        from oauth2cli.flows.mcp.setup import after_401

        found = after_401(url, response, deps)
        if found is None:
            return None
        logged_in = call_for(profile_settings(deps, found), deps)
        return logged_in, logged_in.client(None, False)

    call = Call(tokenless(), deps) if unclaimed else call_for(settings, deps)
    bridge = Bridge(call, call.client(None, False), url, write, say, set_up if unclaimed else None)
    try:
        return bridge.run(iter(stdin.readline, b""))
    finally:
        bridge.client.close()

"""The fast path of an ad-hoc `oauth2 token` — a CI job's client_credentials grant from flags and
OAUTH2_* variables, with nothing stored — run before click or httpx is imported.

It is the full path's own code (flows/settings.resolve, flows/token.client_credentials, with
discovery, client authentication, retries and every check) on another transport: Deps gets
transport/wire.py's WireClient instead of httpx. What it serves: no PROFILE; `--grant
client_credentials` or no grant; the options in OPTIONS and their OAUTH2_* variables; output
token, header or env. Anything else (another grant, a profile, -v, --cacert and the other
transport flags, -o json, a proxy in the environment) goes to the full path untouched. Errors
are the full path's, in its words: they come from the same code.
"""

from __future__ import annotations

import os
import sys

from oauth2cli.cli.fast import FLAG, VALUE, VALUES, parse, seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# option spelling -> (dest, kind); dest is the name click passes to `oauth2 token`
OPTIONS = {
    "--issuer": ("issuer", VALUE), "--token-url": ("token_url", VALUE), "--client-id": ("client_id", VALUE),
    "--client-secret-env": ("client_secret_env", VALUE), "--client-secret-file": ("client_secret_file", VALUE),
    "--auth-method": ("auth_method", VALUE), "--scope": ("scope", VALUE), "--audience": ("audience", VALUE),
    "--resource": ("resource", VALUES), "-P": ("params", VALUES), "--param": ("params", VALUES),
    "--timeout": ("timeout", VALUE), "--grant": ("grant", VALUE), "-o": ("output", VALUE), "--output": ("output", VALUE),
}
# The OAUTH2_* variables of those options (cli/options.py); any other OAUTH2_* variable goes to click.
ENVVARS = {"OAUTH2_ISSUER": "issuer", "OAUTH2_TOKEN_URL": "token_url", "OAUTH2_CLIENT_ID": "client_id",
           "OAUTH2_AUTH_METHOD": "auth_method", "OAUTH2_SCOPE": "scope", "OAUTH2_AUDIENCE": "audience",
           "OAUTH2_TIMEOUT": "timeout"}
OUTPUTS = ("token", "header", "env")
# Client authentication that needs nothing but the client's id and secret (and no key file).
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


def plain_grant(args: list[str], environ: Mapping[str, str]) -> tuple[dict, str] | None:
    """(the options as click would pass them, output) of an ad-hoc grant served here, else None."""
    if args[:1] != ["token"]:
        return None
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" and name not in ENVVARS for name in environ):
        return None
    from oauth2cli.transport.wire import proxied

    if proxied(environ):
        return None  # httpx honours proxies
    parsed = parse(args[1:], OPTIONS)
    if parsed is None or parsed[1]:
        return None  # a PROFILE, or something click must read
    given, _ = parsed
    options: dict = {dest: environ[var] for var, dest in ENVVARS.items() if environ.get(var)}
    options.update(given)  # a flag wins over its variable, as in click
    grant = options.pop("grant", None)
    output = options.pop("output", "token")
    if grant not in (None, "client_credentials") or output not in OUTPUTS:
        return None
    if not (options.get("issuer") or options.get("token_url")) or options.get("auth_method", AUTH_METHODS[0]) not in AUTH_METHODS:
        return None  # nothing to ask (click's path says so), or a method that signs
    if "timeout" in options:
        options["timeout"] = seconds(options["timeout"])
        if options["timeout"] is None:
            return None
    secret_file = options.get("client_secret_file")
    if secret_file is not None and (not secret_file or os.path.isdir(secret_file)):
        return None  # click's Path(dir_okay=False) says what is wrong
    for pair in options.get("params", ()):
        if "=" not in pair or pair.startswith("="):
            return None  # click's KEY=VALUE message
    options["params"] = tuple(tuple(p.split("=", 1)) for p in options.get("params", ()))
    options["resource"] = tuple(options.get("resource", ()))
    return options, output


def serve(args: list[str], environ: Mapping[str, str]) -> int | None:
    """The exit code of an ad-hoc grant answered here, or None for the full path."""
    plain = plain_grant(args, environ)
    if plain is None:
        return None
    options, output = plain
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.deps import Deps
    from oauth2cli.cli.fast import say_error
    from oauth2cli.transport.wire import Unsupported, WireClient

    deps = Deps(environ=environ, http_factory=WireClient)
    try:
        from oauth2cli.flows import settings as settings_flow
        from oauth2cli.flows import token as token_flow

        settings = settings_flow.resolve(options, deps, None)
        tokens = token_flow.client_credentials(settings, deps)
    except Unsupported:
        return None  # a host name the wire client leaves to httpx; nothing was sent to it
    except OAuth2CliError as exc:
        return say_error(exc)
    finally:
        deps.close()
    if output == "header" and tokens.token_type == "DPoP":  # RFC 9449 §7.1, as cli/token.print_token
        from oauth2cli.flows.dpop import bare_header_refused

        return say_error(bare_header_refused())
    sys.stdout.write(render(tokens, output))
    sys.stdout.flush()
    return 0


def render(tokens, output: str) -> str:
    """cli/token.print_token's lines for these outputs."""
    if output == "token":
        return tokens.access_token + "\n"
    if output == "header":
        return f"Authorization: {tokens.token_type} {tokens.access_token}\n"
    import shlex

    lines = [f"export OAUTH2_ACCESS_TOKEN={shlex.quote(tokens.access_token)}",
             f"export OAUTH2_TOKEN_TYPE={shlex.quote(tokens.token_type)}"]
    if tokens.expires_at is not None:
        lines.append(f"export OAUTH2_EXPIRES_AT={int(tokens.expires_at)}")
    return "".join(line + "\n" for line in lines)

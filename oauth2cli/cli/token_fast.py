"""The fast path of an ad-hoc `oauth2 token` — a CI job's grant from flags and OAUTH2_* variables,
with nothing stored — run before click or httpx is imported.

It is the full path's own code (flows/settings.resolve, flows/token.client_credentials, and for a
CI token source flows/assertion.fetch_with_assertion or flows/token_sources.exchange_subject_token,
with discovery, client authentication, retries and every check) on another transport: Deps gets
transport/wire.py's WireClient instead of httpx. What it serves: no PROFILE; client_credentials,
or jwt-bearer / token-exchange with --assertion-source / --subject-token-source (named by --grant
or implied by the source, as cli/token.implied_grant does); the options in OPTIONS and their
OAUTH2_* variables; output token, header or env. Anything else (another grant, a profile, -v, --cacert and the other
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
    "--assertion-source": ("assertion_source", VALUE), "--subject-token-source": ("subject_token_source", VALUE),
    "--subject-token-type": ("subject_token_type", VALUE),
}
# The OAUTH2_* variables of those options (cli/options.py); any other OAUTH2_* variable goes to click.
ENVVARS = {"OAUTH2_ISSUER": "issuer", "OAUTH2_TOKEN_URL": "token_url", "OAUTH2_CLIENT_ID": "client_id",
           "OAUTH2_AUTH_METHOD": "auth_method", "OAUTH2_SCOPE": "scope", "OAUTH2_AUDIENCE": "audience",
           "OAUTH2_TIMEOUT": "timeout", "OAUTH2_ASSERTION_SOURCE": "assertion_source",
           "OAUTH2_SUBJECT_TOKEN_SOURCE": "subject_token_source"}
OUTPUTS = ("token", "header", "env")
# The grants served here, and the token source each needs (none for client_credentials).
GRANTS = {"client_credentials": None, "jwt-bearer": "assertion_source", "token-exchange": "subject_token_source"}
# Client authentication that needs nothing but the client's id and secret (and no key file).
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


def plain_grant(args: list[str], environ: Mapping[str, str]) -> tuple[dict, str, str] | None:
    """(the options as click would pass them, the grant, output) of an ad-hoc grant served here, else None."""
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
    output = options.pop("output", "token")
    # cli/token.implied_grant: a CI token source says which grant it is for
    implied = "jwt-bearer" if options.get("assertion_source") else (
        "token-exchange" if options.get("subject_token_source") else None)
    if options.get("grant") is None and implied:
        options["grant"] = implied
    grant = options.get("grant") or "client_credentials"
    if output not in OUTPUTS or grant not in GRANTS or (GRANTS[grant] and not options.get(GRANTS[grant])):
        return None  # another grant, or jwt-bearer and token-exchange without a source (files, stdin: click's)
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
    return options, grant, output


def serve(args: list[str], environ: Mapping[str, str]) -> int | None:
    """The exit code of an ad-hoc grant answered here, or None for the full path."""
    plain = plain_grant(args, environ)
    if plain is None:
        return None
    options, grant, output = plain
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.deps import Deps
    from oauth2cli.cli.fast import say_error
    from oauth2cli.transport.wire import Unsupported, WireClient

    deps = Deps(environ=environ, http_factory=WireClient)
    try:
        from oauth2cli.flows import settings as settings_flow

        settings = settings_flow.resolve(options, deps, None)
        tokens = _grant(grant, settings, deps)
    except Unsupported:
        return None  # a host name the wire client leaves to httpx; nothing was sent to it
    except OAuth2CliError as exc:
        return say_error(exc)
    finally:
        deps.close()
    if output == "header" and tokens.token_type == "DPoP":  # RFC 9449 §7.1, as cli/token.print_token
        from oauth2cli.flows.dpop import bare_header_refused

        return say_error(bare_header_refused())
    sys.stdout.write(token_text(tokens, output))
    sys.stdout.flush()
    return 0


def _grant(grant: str, settings, deps):
    """cli/token.run_grant for the grants served here: the same flows, called the same way."""
    if grant == "jwt-bearer":
        from oauth2cli.flows import assertion as assertion_flow

        return assertion_flow.fetch_with_assertion(settings, deps)
    if grant == "token-exchange":
        from oauth2cli.flows.token_sources import exchange_subject_token

        return exchange_subject_token(settings, deps)
    from oauth2cli.flows import token as token_flow

    return token_flow.client_credentials(settings, deps)


from oauth2cli.commands.token_print import token_text  # noqa: E402  (one text: commands/token_print.py)

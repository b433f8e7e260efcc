"""An ad-hoc `oauth2 token` (no PROFILE: a CI job's grant from flags and OAUTH2_* variables) read
without click, then run by the one use case, commands/token.run, on transport/wire.py.

This module is only a command-line reader, until the one option table's parser replaces it:
OPTIONS and ENVVARS are `oauth2 token`'s click options (tests/ci/test_token_fast.py holds them
to it), and every value is checked as click's types check it. Whatever it cannot read exactly
(a PROFILE, an option it does not know, a value click would refuse, --reveal-secrets, a proxy in
the environment, a host name the wire client leaves to httpx) goes to click untouched, which
runs the same commands/token.run. Which grants there are, which a token source implies, and how
each runs are the registry's (core/grants.py), not this module's.
"""

from __future__ import annotations

import os

from oauth2cli.cli.fast import COUNT, FLAG, VALUE, VALUES, parse, seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

_VALUES = ("username", "password_env", "password_file", "refresh_token_env", "refresh_token_file", "code",
           "redirect_uri", "code_verifier", "assertion_file", "subject_token", "subject_token_env",
           "subject_token_file", "actor_token", "actor_token_env", "actor_token_file", "actor_token_type",
           "requested_token_type", "assertion_source", "subject_token_source", "subject_token_type", "issuer",
           "token_url", "authorization_url", "device_authorization_url", "revocation_url", "introspection_url",
           "userinfo_url", "jwks_url", "client_id", "client_secret_env", "client_secret_file", "auth_method",
           "private_key", "key_id", "assertion_audience", "scope", "audience", "authorization_details", "timeout",
           "cacert", "cert", "key", "grant", "output", "min_ttl")
# option spelling -> (dest, kind); dest is the name click passes to `oauth2 token`
OPTIONS = {
    **{"--" + dest.replace("_", "-"): (dest, VALUE) for dest in _VALUES},
    "-o": ("output", VALUE), "--resource": ("resource", VALUES), "--compliance-fix": ("compliance_fix", VALUES),
    "-P": ("params", VALUES), "--param": ("params", VALUES), "--basic-raw": ("basic_raw", FLAG),
    "--insecure": ("insecure", FLAG), "--allow-http": ("allow_http", FLAG),
    "-v": ("verbose", COUNT), "--verbose": ("verbose", COUNT),
}
# The OAUTH2_* variables of those options (cli/options.py, cli/token.py)
ENVVARS = {
    "OAUTH2_USERNAME": "username", "OAUTH2_ASSERTION_SOURCE": "assertion_source",
    "OAUTH2_SUBJECT_TOKEN_SOURCE": "subject_token_source", "OAUTH2_ISSUER": "issuer",
    "OAUTH2_TOKEN_URL": "token_url", "OAUTH2_AUTHORIZATION_URL": "authorization_url",
    "OAUTH2_DEVICE_AUTHORIZATION_URL": "device_authorization_url", "OAUTH2_REVOCATION_URL": "revocation_url",
    "OAUTH2_INTROSPECTION_URL": "introspection_url", "OAUTH2_USERINFO_URL": "userinfo_url",
    "OAUTH2_JWKS_URL": "jwks_url", "OAUTH2_CLIENT_ID": "client_id", "OAUTH2_AUTH_METHOD": "auth_method",
    "OAUTH2_PRIVATE_KEY": "private_key", "OAUTH2_SCOPE": "scope", "OAUTH2_AUDIENCE": "audience",
    "OAUTH2_TIMEOUT": "timeout",
}
# click.Path(dir_okay=False) options: a directory (or nothing) is click's to refuse
PATHS = ("password_file", "refresh_token_file", "assertion_file", "subject_token_file", "actor_token_file",
         "client_secret_file", "private_key", "cacert", "cert", "key")


def token_options(args: list[str], environ: Mapping[str, str]):
    """The TokenOptions and -v count of an ad-hoc `oauth2 token ...` read exactly, else None."""
    if args[:1] != ["token"]:
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
    if not (options.get("issuer") or options.get("token_url")) or not _as_click_reads(options):
        return None  # nothing to ask (click says what is missing), or a value click refuses in its words
    from oauth2cli.commands.token import TokenOptions

    verbose = options.pop("verbose", 0)
    return TokenOptions(**options), verbose


def _as_click_reads(options: dict) -> bool:
    """Convert the values as click's types do (in place); False where click would refuse one."""
    from oauth2cli.commands.token import OUTPUTS
    from oauth2cli.core.grants import find

    grant = options.get("grant")
    if grant is not None:
        if find(grant) is not None:
            options["grant"] = find(grant).name
        elif not (grant.startswith(("urn:", "http://", "https://")) and len(grant) > 6):
            return False
    if options.get("output", "token") not in OUTPUTS:
        return False
    if options.get("assertion_audience", "token_endpoint") not in ("token_endpoint", "issuer"):
        return False
    method = options.get("auth_method")
    if method is not None and (not method or not all(c.isalnum() or c in "_-." for c in method)):
        return False
    for name in ("timeout", "min_ttl"):
        if name in options:
            options[name] = seconds(options[name]) if name == "timeout" else _non_negative(options[name])
            if options[name] is None:
                return False
    if any(name in options and (not options[name] or os.path.isdir(options[name])) for name in PATHS):
        return False
    for pair in options.get("params", ()):
        if "=" not in pair or pair.startswith("="):
            return False  # click's KEY=VALUE message
    options["params"] = tuple(tuple(p.split("=", 1)) for p in options.get("params", ()))
    for name in ("resource", "compliance_fix"):
        options[name] = tuple(options.get(name, ()))
    return True


def _non_negative(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0 <= number < float("inf") else None


def serve(args: list[str], environ: Mapping[str, str]) -> int | None:
    """The exit code of an ad-hoc `oauth2 token` answered here, or None for click."""
    read = token_options(args, environ)
    if read is None:
        return None
    opts, verbose = read
    from oauth2cli.cli.fast import say_error
    from oauth2cli.commands.token import run
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.deps import Deps
    from oauth2cli.transport.wire import Unsupported, WireClient

    # -v traces are httpx's (the wire client has no observer yet): the default client then.
    deps = Deps(environ=environ, http_factory=None if verbose else WireClient)
    deps.verbose = verbose
    try:
        return run(opts, deps)
    except Unsupported:
        return None  # a host name the wire client leaves to httpx; nothing was sent to it
    except OAuth2CliError as exc:
        return say_error(exc)
    finally:
        deps.close()

"""`oauth2 decode`: decode a JWT (header and claims as JSON), optionally verifying it."""

from __future__ import annotations

from oauth2cli.commands import output

TIME_CLAIMS = ("exp", "iat", "nbf", "auth_time", "updated_at")
# decode's own options; the others (server, --client-id, transport) are settings over a profile
OWN = ("token", "verify", "key", "audience", "access_token", "dates")


def _common(opts) -> dict:
    return {k: v for k, v in vars(opts).items() if k not in OWN}


def _read_token(opts, deps) -> tuple[str, str | None]:
    """(JWT, profile name or None) from the argument, stdin, or a profile's stored tokens."""
    from oauth2cli.core.errors import ConfigError, LoginRequired

    value = opts.token
    if value is None or value == "-":
        if value is None and getattr(deps.stdin, "isatty", lambda: False)():
            from oauth2cli.core.errors import UsageError

            raise UsageError("give a JWT, - to read one from stdin, or a profile name")
        value = deps.stdin.read().strip()
        if not value:
            raise ConfigError("no JWT on stdin")
        return value, None
    if "." in value:
        return value.strip(), None
    if value not in deps.store.config.profiles:
        raise ConfigError(f"{value!r} is neither a JWT nor a profile name")
    tokens = deps.store.load_tokens(value)
    if tokens is None:
        raise LoginRequired(f"profile {value!r} has no token", hint=f"log in with `oauth2 login {value}`")
    if opts.access_token:
        return tokens.access_token, value
    if not tokens.id_token:
        raise ConfigError(f"profile {value!r} has no id_token", hint="use --access-token for its access token")
    return tokens.id_token, value


def _dates(claims: dict) -> dict:
    from datetime import datetime, timezone

    out = {}
    for name in TIME_CLAIMS:
        value = claims.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                out[name] = datetime.fromtimestamp(value, tz=timezone.utc).isoformat().replace("+00:00", "Z")
            except (OverflowError, OSError, ValueError):
                continue
    return out


def run(opts, deps) -> int:
    from oauth2cli.core import jose
    from oauth2cli.core.errors import ConfigError, ProtocolError

    token, profile = _read_token(opts, deps)
    what = "the id_token" if profile and not opts.access_token else ("the access token" if profile else "the token")
    try:
        header, claims = jose.split_jwt(token, what=what)
    except ProtocolError as exc:  # what was given is not a JWT: our side of the line, exit 1
        from oauth2cli.core.advice import hint

        raise ConfigError(exc.message, hint=hint("not-a-jwt")) from None
    if opts.verify:
        checked = _verify(token, opts, deps, profile, what)
        output.say(deps, f"verified: {', '.join(checked)}")
    result = {"header": header, "claims": claims}
    show_dates = opts.dates if opts.dates is not None else deps.stdout.isatty()
    if show_dates:
        result["dates"] = _dates(claims)
    output.json_data(deps, result)
    return 0


def _verify(token: str, opts, deps, profile: str | None, what: str) -> list[str]:
    from oauth2cli.core.jose import load_verification_keys
    from oauth2cli.flows.exchange import oidc

    keys = None
    if opts.key:
        try:
            with open(opts.key, "rb") as f:
                keys = load_verification_keys(f.read(), source=f"the key {opts.key}")
        except OSError as exc:
            from oauth2cli.core.errors import ConfigError

            raise ConfigError(f"cannot read the key {opts.key}: {exc.strerror or exc}") from None
    if profile:
        from oauth2cli.flows import settings as settings_flow

        settings = settings_flow.resolve(_common(opts), deps, profile)
        if not opts.access_token and keys is None:
            # A stored id_token gets the full OIDC check, minus nonce and at_hash (login-time only).
            from dataclasses import replace

            claims = oidc.check_id_token(settings, deps, replace(_stored(deps, profile), access_token=""),
                                         nonce=None)
            return ["signature", "iss", "aud", *(["azp"] if "azp" in claims else []), "exp", "iat"]
    else:
        settings = oidc.settings_without_client(_common(opts), deps)
    return oidc.verify_jwt(token, settings, deps, keys=keys, audience=opts.audience, what=what)[2]


def _stored(deps, profile: str):
    return deps.store.load_tokens(profile)

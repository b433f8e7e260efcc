"""Profiles for the JWT bearer grant (RFC 7523 §2.1) and for CI token sources, made by `profile add`:

    oauth2 profile add svc --service-account sa.json [--scope S] [--sub USER]
    oauth2 profile add svc --grant jwt-bearer --private-key key.pem --iss ISS [--sub SUB] [--aud AUD] --token-url URL
    oauth2 profile add ci --grant token-exchange --subject-token-source github-actions:AUD --issuer URL --client-id ci

What goes to config.toml is only what may be shown (iss, sub, aud, the token endpoint, the
source's name); the private key goes to the secret store (kind "private_key"), read from the
file once, so the file can go once the profile exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.grants import short_name

# profile add's own option names (not ClientSettings fields): the claims of the signed assertion.
ASSERTION_OPTIONS = ("service_account", "iss", "sub", "aud")


@dataclass
class AssertionProfile:
    values: dict[str, Any] = field(default_factory=dict)  # config.toml keys (non-secret)
    private_key: str | None = field(default=None, repr=False)  # for the secret store
    drop: tuple[str, ...] = ()  # option values that must not be stored as given (the key's path)


def prepare(options: Mapping[str, Any]) -> AssertionProfile:
    """What an assertion profile adds to `profile add`: its table, and the key for the store."""
    from oauth2cli.flows.grants import assertion as assertion_flow

    out = AssertionProfile()
    grant = options.get("grant")
    given = {name: options.get(name) for name in ASSERTION_OPTIONS if options.get(name)}
    if options.get("service_account"):
        if grant and short_name(grant) != "jwt-bearer":
            raise ConfigError(f"--service-account makes a jwt-bearer profile, not {grant}")
        path = options["service_account"]
        out.values = assertion_flow.assertion_settings_from_service_account(path)
        out.private_key = assertion_flow.service_account_key(path)
        if options.get("private_key"):
            raise ConfigError("give either --service-account or --private-key, not both")
        if options.get("token_url"):  # an explicit --token-url wins over the file's token_uri
            out.values.pop("endpoints", None)
    elif grant and short_name(grant) == "jwt-bearer" and not options.get("assertion_source"):
        if not options.get("private_key"):
            raise ConfigError("a jwt-bearer profile needs a key to sign with: --private-key KEY or "
                              "--service-account FILE.json",
                              hint="or --assertion-source SOURCE to take the assertion from a CI job")
        out.private_key = _read_key(options["private_key"])
        out.values = {"grant": "jwt-bearer", "assertion": {}}
        # the path is not kept: the key itself is in the store (unless it also signs client assertions)
        out.drop = () if options.get("auth_method") == "private_key_jwt" else ("private_key",)
    elif given:
        names = ", ".join("--" + name.replace("_", "-") for name in given)
        if options.get("assertion_source"):
            raise ConfigError(f"{names} describe an assertion this tool signs; with --assertion-source the CI "
                              "token is sent as it is")
        raise ConfigError(f"{names} only apply to a jwt-bearer profile", hint="add --grant jwt-bearer")
    else:
        return out
    table = out.values.setdefault("assertion", {})
    for name in ("iss", "sub", "aud"):
        value = options.get(name)
        if value:
            table[name] = value[0] if isinstance(value, tuple) and len(value) == 1 else (
                list(value) if isinstance(value, tuple) else value)
    if out.private_key is not None and not table.get("iss") and not options.get("client_id"):
        raise ConfigError("the assertion needs an issuer: give --iss ISS (or --client-id)")
    if not table:
        out.values.pop("assertion")
    return out


def _read_key(path: str) -> str:
    """The key file's text, checked now (a wrong file fails here, not at the first token)."""
    from oauth2cli.core import jose

    from oauth2cli.flows.settings import read_text_file

    text = read_text_file(path, "private key", "a PEM or JWK text file")
    jose.load_private_key(text, source=f"the private key file {path}")
    return text

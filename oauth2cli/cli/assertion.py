"""`oauth2 assertion`: get a token with a signed JWT assertion (RFC 7523), e.g. a service account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common

OUTPUTS = ("token", "json", "header", "env")


@dataclass
class AssertionOptions:
    service_account: str | None = None
    iss: str | None = None
    sub: str | None = None
    aud: tuple[str, ...] = ()
    claims: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    alg: str | None = None
    lifetime: int = 300
    print_assertion: bool = False
    output: str = "token"
    common: dict[str, Any] = field(default_factory=dict)


def _value(text: str) -> Any:
    """A --claim/--header value: JSON when it parses as JSON (numbers, true, lists), else the string."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def settings_for(opts: AssertionOptions, deps):
    import dataclasses

    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.flows import settings as settings_flow

    if opts.common.get("client_id"):
        settings = settings_flow.resolve(opts.common, deps)
    else:
        # No client: RFC 7523 §3.1 makes client authentication optional; the assertion is the credential.
        values = settings_flow.settings_values(opts.common)
        values.pop("auth_method", None)
        if values.get("issuer"):
            values["issuer"] = normalize_issuer(values["issuer"])
        settings = ClientSettings(client=ClientCredentials(client_id=""), **values)
    spec: dict[str, Any] = {"lifetime": opts.lifetime}
    if opts.service_account:
        spec["service_account"] = opts.service_account
    for name in ("iss", "sub", "alg"):
        if getattr(opts, name):
            spec[name] = getattr(opts, name)
    if opts.aud:
        spec["aud"] = opts.aud[0] if len(opts.aud) == 1 else list(opts.aud)
    if opts.claims:
        spec["claims"] = {k: _value(v) for k, v in opts.claims}
    if opts.headers:
        spec["headers"] = {k: _value(v) for k, v in opts.headers}
    return dataclasses.replace(settings, assertion=spec, grant="jwt-bearer")


def run_assertion(opts: AssertionOptions, deps) -> None:
    from oauth2cli.cli.token import print_token
    from oauth2cli.flows import assertion as assertion_flow

    settings = settings_for(opts, deps)
    if opts.print_assertion:
        render.data(assertion_flow.sign_assertion(settings, deps))
        return
    tokens = assertion_flow.fetch_with_assertion(settings, deps)
    print_token(tokens, opts.output, deps.clock())


def assertion(service_account, iss, sub, aud, claims, headers, alg, lifetime, print_assertion, output,
              **kwargs: Any) -> None:
    opts = AssertionOptions(service_account=service_account, iss=iss, sub=sub, aud=aud, claims=claims,
                            headers=headers, alg=alg, lifetime=lifetime, print_assertion=print_assertion,
                            output=output, common=pop_common(kwargs))
    run_assertion(opts, render.deps_of())

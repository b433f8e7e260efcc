"""`oauth2 assertion`: a token from a signed JWT assertion (RFC 7523 §2.1), e.g. a Google service
account, or the signed assertion itself (--print-assertion)."""

from __future__ import annotations

from oauth2cli.commands.token import OUTPUTS


class AssertionOptions:
    """The options of `oauth2 assertion` by their dest; `common` holds the server, client and transport ones."""

    def __init__(self, service_account=None, iss=None, sub=None, aud=(), claims=(), headers=(), alg=None,
                 lifetime=300, print_assertion=False, output="token", common=None) -> None:
        self.service_account = service_account
        self.iss = iss
        self.sub = sub
        self.aud = tuple(aud)
        self.claims = tuple(claims)
        self.headers = tuple(headers)
        self.alg = alg
        self.lifetime = lifetime
        self.print_assertion = print_assertion
        self.output = output
        self.common = dict(common or {})


def _value(text: str):
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
    spec = {"lifetime": opts.lifetime}
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


OWN = ("service_account", "iss", "sub", "aud", "claims", "headers", "alg", "lifetime", "print_assertion", "output")


def run_options(opts, deps) -> int:
    """run() for the option table's options object: this command's own options, and the shared
    (server, client, request, transport) ones as `common`."""
    values = dict(vars(opts))
    own = {name: values.pop(name) for name in OWN if name in values}
    return run(AssertionOptions(**own, common=values), deps)


def run(opts: AssertionOptions, deps) -> int:
    from oauth2cli.commands.output import data
    from oauth2cli.commands.token_print import print_token
    from oauth2cli.flows.grants import grant_flows
    from oauth2cli.flows.grants import assertion as assertion_flow

    settings = settings_for(opts, deps)
    if opts.print_assertion:
        data(deps, assertion_flow.sign_assertion(settings, deps))
        return 0
    print_token(deps, grant_flows.run("jwt-bearer", settings, deps), opts.output, deps.clock())
    return 0

"""`oauth2 call --print-curl`: the same request as a curl command line."""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from oauth2cli.commands.call_options import CallOptions


def curl_command(opts: CallOptions, spec, settings, deps, with_token: bool) -> str:
    """The same request as a curl command line; the token masked unless --reveal-secrets."""
    import shlex

    words = ["curl"]
    if spec.method != _curl_default_method(spec):
        words += ["-X", spec.method]
    words.append(spec.url)
    if with_token:
        from oauth2cli.flows.call.call_adhoc import call_for

        call = call_for(settings, deps)
        tokens = call._current_token()
        reveal = deps.reveal_secrets
        dpop = tokens.token_type.lower() == "dpop"
        value = tokens.access_token if reveal else "***"
        words += ["-H", f"{'DPoP' if dpop else 'Bearer'} {value}".join(("Authorization: ", ""))]
        if dpop:
            from oauth2cli.flows.exchange import dpop as dpop_flow

            proof = dpop_flow.proof(call.full_settings(), deps, spec.method, spec.url, access_token=tokens.access_token) if reveal else "***"
            words += ["-H", f"DPoP: {proof}"]
    for value in opts.headers:
        words += ["-H", value]
    for flag, value in opts.data:
        words += [flag, value]
    for value in opts.json:
        words += ["--json", value]
    for value in opts.form:
        words += ["-F", value]
    for flag, on in (("-G", opts.get), ("-i", opts.include), ("-I", opts.head), ("-s", opts.silent),
                     ("-f", opts.fail), ("-L", opts.location), ("-k", opts.insecure)):
        if on:
            words.append(flag)
    for flag, value in (("--max-time", opts.max_time), ("--cacert", opts.cacert), ("-o", opts.output)):
        if value is not None:
            words += [flag, f"{value:g}" if isinstance(value, float) else value]
    return " ".join(shlex.quote(w) for w in words)


def _curl_default_method(spec) -> str:
    if spec.parts or spec.content is not None:
        return "POST"
    return "GET"

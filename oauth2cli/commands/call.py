"""`oauth2 call`: an authenticated HTTP request, like curl, with a token that refreshes itself.

One pipeline for every shape (GET or any method, -d and its variants, --json, -F, -G, -i, -I,
-H, -o, -s, -f, --max-time, -L, -v, --print-curl, --step-up, DPoP, ad hoc), however the command
line was read (click, or the lean parser in oauth2cli/entry.py): options → the profile's
settings → the request (flows/call/request_spec) → the compliance fixes' protected_request hook →
the one auth flow on the one client (flows/call/call.py) → the answer printed (commands/call_output.py).

No click here; a wrong command line is core.errors.UsageError. With a fresh Bearer token,
no proxy and a profile whose settings the lean view reads (flows/call/call_profile.py), this path
imports no click, httpx, rich, keyring, joserfc, typing or dataclasses.
"""

from __future__ import annotations

from oauth2cli.core.errors import UsageError

METHOD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


def split_args(args) -> tuple[str | None, str]:
    """([METHOD], URL) from the command's arguments."""
    if len(args) == 1:
        return None, args[0]
    if len(args) == 2 and args[0] and set(args[0]) <= METHOD_CHARS:
        return args[0], args[1]
    raise UsageError("expected [METHOD] URL, e.g. `oauth2 call POST https://api.example.com/items`")


def run_options(opts, deps) -> int:
    """run() for the option table's options object, as either parser reads `oauth2 call`."""
    from oauth2cli.commands.call_options import from_options

    return run(from_options(opts), deps)


def run(opts, deps) -> int:
    """Send the request `opts` (commands/call_options.CallOptions) describe and print the answer: the exit code."""
    import sys
    import time

    from oauth2cli.commands.call_options import build_spec, check
    from oauth2cli.commands.call_output import line, render_response, stderr_line
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows.call import call as flow
    from oauth2cli.flows.call.call_profile import call_settings

    method_arg, url = split_args(opts.args)
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"URL must start with http:// or https://, got {url!r}")
    check(opts)  # every usage error before anything is read or sent
    verbose = opts.verbose or deps.verbose > 0  # `oauth2 -v call` and `oauth2 call -v` alike
    if verbose:
        deps.verbose = max(deps.verbose, 1)  # token endpoint traffic is traced too
    settings = call_settings(opts, url, deps)
    profile = settings.profile
    if not flow.token_may_go(settings, url):
        raise ConfigError(f"the token of profile {profile!r} may only go to {', '.join(settings.urls)}; not to {url}",
                          hint=f"add the URL with `oauth2 profile set {profile} urls ...`, or choose another profile with -p")
    stdin = getattr(deps.stdin, "buffer", None) or sys.stdin.buffer
    spec = build_spec(opts, method_arg, url, stdin)
    zero_setup = getattr(settings, "zero_setup", False)  # no profile for URL: no token, a 401 may set one up
    with_token = spec.header("authorization") is None and not zero_setup  # -H Authorization wins, as in curl
    token_in_query = "token_in_query" in settings.compliance_fixes
    spec = protected_request(settings.compliance_fixes, spec)

    if opts.print_curl:
        from oauth2cli.commands.call_curl import curl_command

        line(deps.stdout, curl_command(opts, spec, settings, deps, with_token))
        return 0
    if opts.insecure:
        line(deps.stderr, "oauth2: warning: --insecure: the server's TLS certificate is not checked")

    from oauth2cli.flows.call.call_adhoc import call_for

    call = call_for(settings, deps, follow=opts.location, timeout=opts.max_time,
                    trace=stderr_line(deps) if verbose else None)
    started = time.monotonic()
    deadline = started + opts.max_time if opts.max_time else None
    client = call.client(opts.cacert, opts.insecure)
    try:
        response = call.send(client, spec, token_in_query=token_in_query, with_token=with_token)
        if zero_setup and response.status_code == 401 and spec.header("authorization") is None:
            from oauth2cli.commands.zero_setup import after_401

            found = after_401(opts, deps, url, response)
            if found is not None:  # logged in: the same request once more, now with the token
                from oauth2cli.flows.call.call_profile import profile_settings

                response.close()
                client.close()
                settings = profile_settings(deps, found, opts.allow_http)
                call = call_for(settings, deps, follow=opts.location, timeout=opts.max_time,
                                trace=stderr_line(deps) if verbose else None)
                client = call.client(opts.cacert, opts.insecure)
                with_token = True
                response = call.send(client, spec, token_in_query=token_in_query, with_token=with_token)
                profile = found
        if with_token and response.status_code in (401, 403):
            from oauth2cli.flows.call.step_up import after_response

            response = after_response(call, response, lambda: call.send(
                client, spec, token_in_query=token_in_query, with_token=with_token), asked=opts.step_up)
        if response.status_code == 401 and not opts.profile:
            from oauth2cli.flows.profiles.resource_login import default_profile_hint  # issue #20

            default_profile_hint(deps, url, profile, response.headers.get_list("www-authenticate"))
        try:
            render_response(opts, deps, call, response, started, deadline)
        finally:
            response.close()
    finally:
        client.close()
    return 0


def protected_request(fixes, spec):
    """The compliance fixes' `protected_request` hook (core/compliance.py: built-in ones such as
    `query_param:site=stackoverflow`, and plug-ins from flows/exchange/plugins.py) applied to the request,
    as to every request to a protected resource. `token_in_query` is the auth flow's (RFC 6750 §2.3)."""
    names = [f for f in fixes if f != "token_in_query"]
    if not names:
        return spec
    from oauth2cli.core import compliance
    from oauth2cli.core.http import HttpRequest
    from oauth2cli.flows.exchange.plugins import compliance_fixes

    fixes = compliance_fixes(names)
    if not any("protected_request" in fix.hooks for fix in fixes):
        return spec
    request = HttpRequest(spec.method, spec.url, headers=tuple(spec.headers), body=spec.content)
    fixed = compliance.apply_request(fixes, "protected_request", request)
    spec.method, spec.url, spec.headers = fixed.method, fixed.url, list(fixed.headers)
    if fixed.body is not spec.content or fixed.form is not None:
        spec.content = fixed.encoded_body()
    return spec

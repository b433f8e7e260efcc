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
    from oauth2cli.flows.call.call_profile import call_settings, profile_settings

    method_arg, url = split_args(opts.args)
    url = normalized(url)  # RFC 3986: what the trust rule compares is what is sent
    check(opts)  # every usage error before anything is read or sent
    verbose = opts.verbose or deps.verbose > 0  # `oauth2 -v call` and `oauth2 call -v` alike
    if verbose:
        deps.verbose = max(deps.verbose, 1)  # token endpoint traffic is traced too
    settings = call_settings(opts, url, deps)
    tokenless = settings is None  # no profile's urls claim the URL: it goes without a token
    if tokenless:
        from oauth2cli.flows.call.call_profile import Tokenless

        settings = Tokenless(opts)
    profile = settings.profile
    if not tokenless and not flow.token_may_go(settings, url, url):
        raise ConfigError(f"the token of profile {profile!r} may only go to {', '.join(settings.urls)}; not to {url}",
                          hint=f"add the URL with `oauth2 profile set {profile} url URL`, or choose another profile with -p")
    if opts.profile and not settings.urls:
        line(deps.stderr, f"oauth2: note: profile {profile!r} has no urls, so its token goes wherever -p sends it; "
                          f"tie it to its API with `oauth2 profile set {profile} url URL`")
    stdin = getattr(deps.stdin, "buffer", None) or sys.stdin.buffer
    spec = build_spec(opts, method_arg, url, stdin)
    with_token = not tokenless and spec.header("authorization") is None  # an explicit -H Authorization wins, as in curl
    token_in_query = "token_in_query" in settings.compliance_fixes
    spec = protected_request(settings.compliance_fixes, spec)

    if opts.print_curl:
        from oauth2cli.commands.call_curl import curl_command

        line(deps.stdout, curl_command(opts, spec, settings, deps, with_token))
        return 0
    if opts.insecure or settings.insecure:
        why = "--insecure" if opts.insecure else f"profile {profile!r} sets insecure = true"
        line(deps.stderr, f"oauth2: warning: {why}: the server's TLS certificate is not checked")

    from oauth2cli.flows.call.call import Call
    from oauth2cli.flows.call.call_adhoc import call_for

    call = (Call if tokenless else call_for)(settings, deps, follow=opts.location, timeout=opts.max_time,
                                             trace=stderr_line(deps) if verbose else None)
    started = time.monotonic()
    deadline = started + opts.max_time if opts.max_time else None
    client = call.client(opts.cacert, opts.insecure)
    try:
        response = call.send(client, spec, token_in_query=token_in_query, with_token=with_token)
        if tokenless and response.status_code == 401 and spec.header("authorization") is None:
            found = _unclaimed_401(opts, deps, url, response)  # zero set-up, or one line naming the profiles
            response.close()
            client.close()
            settings = profile_settings(deps, found, opts.allow_http)
            call = call_for(settings, deps, follow=opts.location, timeout=opts.max_time,
                            trace=stderr_line(deps) if verbose else None)
            client = call.client(opts.cacert, opts.insecure)
            tokenless, with_token = False, True  # logged in: the same request once more, now with the token
            response = call.send(client, spec, token_in_query=token_in_query, with_token=with_token)
        if with_token and response.status_code in (401, 403):
            from oauth2cli.flows.call.step_up import after_response

            response = after_response(call, response, lambda: call.send(
                client, spec, token_in_query=token_in_query, with_token=with_token), asked=opts.step_up)
        if tokenless:
            _say_if_the_default_went_unused(deps, url)
        try:
            render_response(opts, deps, call, response, started, deadline)
        finally:
            response.close()
    finally:
        client.close()
    return 0


def normalized(url: str) -> str:
    from oauth2cli.core.origins import normalize

    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"URL must start with http:// or https://, got {url[:200]!r}")
    try:
        return normalize(url)
    except ValueError as exc:
        raise UsageError(f"invalid URL {url[:200]!r}: {exc}") from None


def _say_if_the_default_went_unused(deps, url: str) -> None:
    """A configuration from before the trust rule (a default profile without urls, whose token
    `call` used to send anywhere) learns why the request went without a token: one line."""
    from oauth2cli.commands.call_output import line
    from oauth2cli.store.view import read_config

    config = read_config(deps.environ) or {}
    default = config.get("default")
    values = config.get("profiles", {}).get(default) if isinstance(default, str) else None
    if isinstance(values, dict) and not values.get("urls") and not values.get("preset"):
        line(deps.stderr, f"oauth2: note: sent without a token: no profile's urls claim {url}, and the default "
                          f"profile {default!r} is not sent to any URL; `-p {default}` sends it, "
                          f"`oauth2 profile set {default} url URL` ties it to its API")


def _unclaimed_401(opts, deps, url: str, response) -> str:
    """A tokenless request was refused: the resource may name its authorization server (RFC 9728:
    zero set-up, commands/zero_setup.py); the logged-in profile's name. Else one line: which
    profiles there are, and how to send one's token."""
    from oauth2cli.commands.zero_setup import after_401
    from oauth2cli.core.errors import ConfigError

    found = after_401(opts, deps, url, response)
    if found is not None:
        return found
    names = sorted(deps.store.config.profiles)
    which = f"profiles: {', '.join(names)}" if names else "there are no profiles"
    raise ConfigError(f"{url} answered 401 without a token, and no profile's urls claim it ({which})",
                      hint="send a profile's token with `-p NAME`, or tie a profile to it with "
                           "`oauth2 profile set NAME url URL`")


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

"""`oauth2 call`: make an authenticated HTTP request, like curl, with a token that refreshes itself."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.call_adhoc import call_settings, pop_ad_hoc
from oauth2cli.cli.call_spec import CallOptions, build_spec  # noqa: F401 (tests build specs through here)

METHOD_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


def split_args(args: tuple[str, ...]) -> tuple[str | None, str]:
    if len(args) == 1:
        return None, args[0]
    if len(args) == 2 and args[0] and set(args[0]) <= METHOD_CHARS:
        return args[0], args[1]
    raise click.UsageError("expected [METHOD] URL, e.g. `oauth2 call POST https://api.example.com/items`")


def run_call(opts: CallOptions, deps) -> None:
    import sys
    import time
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows import call as flow
    from oauth2cli.cli.call_output import line as _line
    from oauth2cli.cli.call_output import render_response, stderr_line

    method_arg, url = split_args(opts.args)
    if not url.lower().startswith(("http://", "https://")):
        raise click.UsageError(f"URL must start with http:// or https://, got {url!r}")
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
    fixes = set(settings.compliance_fixes)
    with_token = spec.header("authorization") is None  # an explicit -H Authorization wins, as in curl
    spec = apply_protected_request_fixes(settings, spec)

    if opts.print_curl:
        from oauth2cli.cli.call_curl import curl_command

        _line(deps.stdout, curl_command(opts, spec, settings, deps, with_token))
        return
    if opts.insecure:
        _line(deps.stderr, "oauth2: warning: --insecure: the server's TLS certificate is not checked")

    from oauth2cli.flows.call_adhoc import call_for

    call = call_for(settings, deps, follow=opts.location, timeout=opts.max_time,
                    trace=stderr_line(deps) if verbose else None)
    started = time.monotonic()
    deadline = started + opts.max_time if opts.max_time else None
    with call.client(opts.cacert, opts.insecure) as client:
        response = call.send(client, spec, token_in_query="token_in_query" in fixes, with_token=with_token)
        if with_token:
            from oauth2cli.flows.step_up import after_response

            response = after_response(call, response, lambda: call.send(
                client, spec, token_in_query="token_in_query" in fixes, with_token=with_token), asked=opts.step_up)
        if response.status_code == 401 and not opts.profile:
            from oauth2cli.flows.resource_login import default_profile_hint  # issue #20

            default_profile_hint(deps, url, profile, response.headers.get_list("www-authenticate"))
        try:
            render_response(opts, deps, call, response, started, deadline)
        finally:
            response.close()


def apply_protected_request_fixes(settings, spec):
    """The seed's `protected_request` hook, with a fixed set of fixes until core/compliance lands:
    `query_param:NAME=VALUE` adds a query parameter to every call (Stack Overflow's `site=`);
    `token_in_query` is handled by the auth flow (RFC 6750 §2.3)."""
    from urllib.parse import urlencode

    extra = []
    for fix in settings.compliance_fixes:
        if fix.startswith("query_param:") and "=" in fix:
            name, _, value = fix[len("query_param:"):].partition("=")
            extra.append((name, value))
    if extra:
        spec.url += ("&" if "?" in spec.url else "?") + urlencode(extra)
    return spec


_FLAG_OF = {"data": "-d", "data_binary": "--data-binary", "data_raw": "--data-raw", "data_urlencode": "--data-urlencode"}


class _CurlCommand(click.Command):
    """Remembers the order of the data options: curl joins -d, --data-binary, ... as they come."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []
        ctx.meta["oauth2cli.call.data_order"] = [p.name for p in order if p.name in _FLAG_OF]
        return super().parse_args(ctx, args)


def _data_in_order(ctx: click.Context, **values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    queues = {name: list(v) for name, v in values.items()}
    ordered = [(_FLAG_OF[name], queues[name].pop(0)) for name in ctx.meta.get("oauth2cli.call.data_order", [])
               if queues.get(name)]
    for name, rest in queues.items():
        ordered.extend((_FLAG_OF[name], v) for v in rest)
    return tuple(ordered)


def call(ctx: click.Context, args, profile, request, headers, data, data_binary, data_raw, data_urlencode, json_, form,
         get, include, head, output, silent, fail, location, max_time, cacert, insecure, allow_http, verbose, print_curl,
         step_up, **ad_hoc) -> None:
    opts = CallOptions(
        args=args, profile=profile, request=request, headers=headers,
        data=_data_in_order(ctx, data=data, data_binary=data_binary, data_raw=data_raw, data_urlencode=data_urlencode),
        json=json_, form=form, get=get, include=include, head=head, output=output, silent=silent, fail=fail,
        location=location, max_time=max_time, cacert=cacert, insecure=insecure, allow_http=allow_http, verbose=verbose, print_curl=print_curl,
        ad_hoc=pop_ad_hoc(ad_hoc),
        step_up=step_up,
    )
    run_call(opts, render.deps_of(ctx))

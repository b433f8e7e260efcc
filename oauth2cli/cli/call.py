"""`oauth2 call`: make an authenticated HTTP request, like curl, with a token that refreshes itself."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.call_adhoc import pop_ad_hoc
from oauth2cli.commands.call_options import CallOptions, build_spec  # noqa: F401 (tests build specs through here)


def run_call(opts: CallOptions, deps) -> None:
    """commands.call.run, for callers of its old home; a wrong command line in click's words."""
    from oauth2cli.commands.call import run
    from oauth2cli.core.errors import UsageError

    try:
        run(opts, deps)
    except UsageError as exc:
        raise click.UsageError(exc.message) from None


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

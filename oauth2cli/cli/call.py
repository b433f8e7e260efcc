"""`oauth2 call`: make an authenticated HTTP request, like curl, with a token that refreshes itself."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.params import PROFILE
from oauth2cli.cli.call_adhoc import ad_hoc_options, pop_ad_hoc
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


@click.command(cls=_CurlCommand, short_help="Make an authenticated HTTP request, like curl, with a token that refreshes itself.")
@click.argument("args", nargs=-1, required=True, metavar="[METHOD] URL")
@click.option("-p", "--profile", type=PROFILE, help="The profile whose token to send (default: the one whose urls match, "
                                                     "else the default profile).")
@click.option("-X", "--request", "request", metavar="METHOD", help="The request method (default GET, or POST with data).")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Extra header (repeatable); 'Name:' removes a default header.")
@click.option("-d", "--data", "data", multiple=True, metavar="DATA",
              help="Request body, form-encoded (repeatable, joined with &); @FILE or @- for stdin.")
@click.option("--data-binary", "data_binary", multiple=True, metavar="DATA", help="Like -d, but a file is sent as is.")
@click.option("--data-raw", "data_raw", multiple=True, metavar="DATA", help="Like -d, without @ file handling.")
@click.option("--data-urlencode", "data_urlencode", multiple=True, metavar="DATA",
              help="Data to URL-encode: content, name=content, @FILE or name@FILE.")
@click.option("--json", "json_", multiple=True, metavar="DATA",
              help="JSON body (@FILE, @-); sets Content-Type and Accept to application/json.")
@click.option("-F", "--form", "form", multiple=True, metavar="NAME=VALUE",
              help="multipart/form-data part: name=value, name=@FILE[;type=...], name=<FILE.")
@click.option("-G", "--get", "get", is_flag=True, help="Put the data in the URL's query and send a GET.")
@click.option("-i", "--include", is_flag=True, help="Print the status line and headers before the body.")
@click.option("-I", "--head", is_flag=True, help="Send HEAD and print the status line and headers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Write the body to FILE (streamed), '-' for stdout.")
@click.option("-s", "--silent", is_flag=True, help="No status summary on stderr.")
@click.option("-f", "--fail", is_flag=True, help="Exit 4 on HTTP 4xx and 5 on 5xx, without printing the body.")
@click.option("-L", "--location", is_flag=True, help="Follow redirects; the token never goes to another origin.")
@click.option("--max-time", type=click.FloatRange(min=0.1), metavar="SECONDS", help="Give up after this long in all.")
@click.option("--cacert", type=click.Path(dir_okay=False), metavar="PATH", help="Trust these CA certificates (PEM).")
@click.option("-k", "--insecure", is_flag=True, help="Skip TLS certificate verification (prints a warning).")
@click.option("--allow-http", is_flag=True,
              help="Send the token over plain http:// to a host other than loopback (prints a warning).")
@click.option("-v", "--verbose", is_flag=True, help="Trace the exchange on stderr, token and proofs masked.")
@click.option("--print-curl", is_flag=True, help="Print the equivalent curl command (token masked) instead of sending.")
@click.option("--step-up", is_flag=True,
              help="When the resource asks for a stronger sign-in (RFC 9470), log in again as it asks and retry once.")
@ad_hoc_options
@click.pass_context
def call(ctx: click.Context, args, profile, request, headers, data, data_binary, data_raw, data_urlencode, json_, form,
         get, include, head, output, silent, fail, location, max_time, cacert, insecure, allow_http, verbose, print_curl,
         step_up, **ad_hoc) -> None:
    """Send a request to URL with the profile's access token, refreshing it first when
    it is about to expire (and once more if the server says the token is invalid), and
    print the response body on stdout, byte for byte when piped.

    The profile is -p, else the one whose `urls` contain URL, else the default one. The
    token goes only to URL's origin: never to another host on a redirect (-L), and never
    outside the profile's `urls`. Profiles with `dpop = true` send DPoP proofs (RFC 9449).

    Without -p, --client-id or --grant (or their OAUTH2_* variables) make an ad-hoc call,
    as a CI job does: a token from client_credentials (the default), jwt-bearer or
    token-exchange, with the secret from the environment or a CI token source
    (--assertion-source, --subject-token-source); nothing is stored unless --save-as NAME.

    Exit status: 0 for any HTTP answer; with --fail, 4 for 4xx and 5 for 5xx; 3 when the
    authorization server refuses the grant; 6 when a server cannot be reached; 7 when
    there is no usable token (log in first).

    \b
    Examples:
      $ oauth2 call https://api.github.com/user
      $ oauth2 call -p work POST https://api.example.com/items --json '{"a":1}'
      $ oauth2 call https://api.example.com/report.pdf -o report.pdf
      $ OAUTH2_CLIENT_SECRET=... oauth2 call --issuer https://id.example.com --client-id ci https://api.example.com/
      $ oauth2 call --issuer https://id.example.com --client-id ci --subject-token-source github-actions:ci \\
            https://api.example.com/deploy
    """
    opts = CallOptions(
        args=args, profile=profile, request=request, headers=headers,
        data=_data_in_order(ctx, data=data, data_binary=data_binary, data_raw=data_raw, data_urlencode=data_urlencode),
        json=json_, form=form, get=get, include=include, head=head, output=output, silent=silent, fail=fail,
        location=location, max_time=max_time, cacert=cacert, insecure=insecure, allow_http=allow_http, verbose=verbose, print_curl=print_curl,
        ad_hoc=pop_ad_hoc(ad_hoc),
        step_up=step_up,
    )
    run_call(opts, render.deps_of(ctx))

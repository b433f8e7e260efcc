"""`oauth2 discover`: print an authorization server's metadata."""

from __future__ import annotations

from dataclasses import dataclass

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import trace_options


@dataclass
class DiscoverOptions:
    issuer: str | None
    timeout: float
    cacert: str | None
    insecure: bool
    allow_http: bool = False
    resource: str | None = None  # RFC 9728 protected resource metadata instead (issue #20)


def run_discover(opts: DiscoverOptions, deps) -> None:
    from oauth2cli.core.metadata import normalize_issuer
    from oauth2cli.flows.discovery import discover
    from oauth2cli.transport.options import TransportOptions

    http = deps.http(TransportOptions(timeout=opts.timeout, cacert=opts.cacert, insecure=opts.insecure,
                                      allow_http=opts.allow_http))
    if opts.resource:
        from oauth2cli.flows.resource import from_well_known

        render.json_data(from_well_known(opts.resource, http).document)
        return
    note = (lambda text: render.say(text)) if deps.verbose else None
    metadata = discover(normalize_issuer(opts.issuer), http, complete=True, note=note)
    if deps.verbose:
        # Which document each field came from: the first to name it wins.
        urls = list(dict.fromkeys(metadata.sources.values()))
        render.say(f"oauth2: merged {len(urls)} document(s): " + ", ".join(urls))
        for name in metadata.document:
            render.say(f"oauth2:   {name:<45} {metadata.source_of(name)}")
    render.json_data(metadata.document)


@click.command(short_help="Print an authorization server's metadata (RFC 8414, then OpenID discovery).")
@click.argument("issuer", envvar="OAUTH2_ISSUER", required=False)
@click.option("--resource", metavar="URL",
              help="Print a protected resource's metadata instead (RFC 9728: /.well-known/oauth-protected-resource).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Give up on the server after this long.")
@click.option("--cacert", type=click.Path(dir_okay=False), metavar="PATH", help="Trust these CA certificates (PEM).")
@click.option("--insecure", is_flag=True, help="Skip TLS certificate verification.")
@click.option("--allow-http", is_flag=True, help="Allow plain http:// to hosts other than loopback (prints a warning).")
@trace_options
def discover(issuer: str | None, resource: str | None, timeout: float, cacert: str | None, insecure: bool,
             allow_http: bool) -> None:
    """Fetch the metadata of ISSUER and print it as JSON.

    Reads every metadata document the server publishes and prints them merged: RFC 8414
    (/.well-known/oauth-authorization-server inserted before the issuer's path), OpenID
    Connect discovery (ISSUER/.well-known/openid-configuration), then
    ISSUER/.well-known/oauth-authorization-server (django-oauth-toolkit, Keycloak). The
    first document to name a field wins; -v says where each field came from. A document
    whose issuer is not ISSUER is refused (RFC 8414 §3.3).

    With --resource URL, prints the protected resource metadata of URL instead (RFC 9728):
    /.well-known/oauth-protected-resource with URL's path inserted after the host, then
    the origin's own; a document whose `resource` is not that URL is refused (§3.3).

    \b
    Examples:
      $ oauth2 discover https://accounts.google.com
      $ oauth2 discover https://id.example.com | jq .token_endpoint
      $ oauth2 discover --resource https://api.example.com/mcp | jq -r '.authorization_servers[0]'
    """
    if bool(issuer) == bool(resource):
        raise click.UsageError("give an ISSUER or --resource URL (one of them)")
    run_discover(DiscoverOptions(issuer, timeout, cacert, insecure, allow_http, resource), render.deps_of())

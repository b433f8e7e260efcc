"""`oauth2 discover`: print an authorization server's metadata."""

from __future__ import annotations

from dataclasses import dataclass

import click

from oauth2cli.cli import render


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


def discover(issuer: str | None, resource: str | None, timeout: float, cacert: str | None, insecure: bool,
             allow_http: bool) -> None:
    if bool(issuer) == bool(resource):
        raise click.UsageError("give an ISSUER or --resource URL (one of them)")
    run_discover(DiscoverOptions(issuer, timeout, cacert, insecure, allow_http, resource), render.deps_of())

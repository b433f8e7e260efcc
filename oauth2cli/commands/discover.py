"""`oauth2 discover`: an authorization server's metadata, or a protected resource's (RFC 9728)."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    from oauth2cli.core.errors import UsageError

    if bool(opts.issuer) == bool(opts.resource):
        raise UsageError("give an ISSUER or --resource URL (one of them)")
    from oauth2cli.flows.discovery import discover
    from oauth2cli.transport.options import TransportOptions

    http = deps.http(TransportOptions(timeout=opts.timeout, cacert=opts.cacert, insecure=opts.insecure,
                                      allow_http=opts.allow_http))
    if opts.resource:
        from oauth2cli.flows.profiles.resource import from_well_known

        output.json_data(deps, from_well_known(opts.resource, http).document)
        return 0
    from oauth2cli.core.metadata import normalize_issuer

    note = (lambda text: output.say(deps, text)) if deps.verbose else None
    metadata = discover(normalize_issuer(opts.issuer), http, complete=True, note=note)
    if deps.verbose:
        # Which document each field came from: the first to name it wins.
        urls = list(metadata.merged_from) or list(dict.fromkeys(metadata.sources.values()))
        output.say(deps, f"oauth2: merged {len(urls)} document(s): " + ", ".join(urls))
        for name in metadata.document:
            output.say(deps, f"oauth2:   {name:<45} {metadata.source_of(name)}")
    output.json_data(deps, metadata.document)
    return 0

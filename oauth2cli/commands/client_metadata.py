"""`oauth2 client-metadata`: print a Client ID Metadata Document for a person or an organisation
to host (draft-ietf-oauth-client-id-metadata-document §3)."""

from __future__ import annotations

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"


def run(opts, deps) -> int:
    from oauth2cli.commands import output
    from oauth2cli.core.authorization import parse_redirect_uri
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.core.registration import metadata_document
    from oauth2cli.flows.profiles.client_choice import is_document_url

    if not opts.client_id:
        raise ConfigError("give --client-id URL (or OAUTH2_CLIENT_METADATA_URL): the https URL the document will "
                          "be served at, which is its client_id")
    if not is_document_url(opts.client_id):
        raise ConfigError(f"--client-id {opts.client_id!r} is not an https URL with a path, as a client metadata "
                          "document's URL must be (draft §3)")
    uris = tuple(opts.redirect_uris) or (DEFAULT_REDIRECT_URI,)
    for uri in uris:
        parse_redirect_uri(uri)  # one the loopback listener can serve
    output.json_data(deps, metadata_document(opts.client_id, uris, opts.client_name))
    return 0

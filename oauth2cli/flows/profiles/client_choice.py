"""Which client a zero-setup login uses, in the MCP authorization specification's order: a client
id given (pre-registered, or a Client ID Metadata Document's https URL), else a metadata document
(OAUTH2_CLIENT_METADATA_URL) when the server says client_id_metadata_document_supported, else
RFC 7591 registration, else ask; and the block of lines a person reads before anything is
registered or a browser opens. No click, no terminal: the question is the caller's callback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, ProtocolError, printable

if TYPE_CHECKING:
    from oauth2cli.core.metadata import ServerMetadata
    from oauth2cli.transport.http import HttpClient

METADATA_URL_ENV = "OAUTH2_CLIENT_METADATA_URL"
CIMD = "client_id_metadata_document_supported"


@dataclass(frozen=True)
class ClientPlan:
    kind: str  # "given", "document" (a Client ID Metadata Document) or "register" (RFC 7591)
    client_id: str | None
    redirect_uri: str

    def what(self) -> str:
        if self.kind == "register":
            return f"a new public client (RFC 7591) with redirect URI {self.redirect_uri}"
        if self.kind == "document":
            return f"the client metadata document {self.client_id} (no registration), redirect URI {self.redirect_uri}"
        return f"client id {self.client_id!r} (no registration), redirect URI {self.redirect_uri}"



def login_command(url: str) -> str:
    """The command that sets up and logs in a profile for the resource at `url` by hand."""
    import shlex

    return f"oauth2 login --resource {shlex.quote(url)}"

def is_document_url(client_id: object) -> bool:
    """A client id that is a Client ID Metadata Document's URL (draft §3: https, with a path)."""
    if not isinstance(client_id, str) or not client_id.lower().startswith("https://"):
        return False
    parts = urlsplit(client_id)
    return bool(parts.netloc) and parts.path not in ("", "/") and not parts.fragment


def choose(server: ServerMetadata, options: Mapping[str, Any], environ: Mapping[str, str], http: HttpClient,
           redirect_uri: Any, resource_url: str) -> ClientPlan:
    """The client to log in with; `redirect_uri(options)` picks the registered loopback URI."""
    given = options.get("client_id")
    document = given if is_document_url(given) else None
    if not given and environ.get(METADATA_URL_ENV) and server.document.get(CIMD) is True:
        document = environ[METADATA_URL_ENV]
    if document:
        uri = options.get("redirect_uri") or document_redirect_uri(document, http, redirect_uri)
        return ClientPlan("document", document, uri)
    if given:
        return ClientPlan("given", given, redirect_uri(options))
    if server.endpoint("registration_endpoint"):
        return ClientPlan("register", None, redirect_uri(options))

    if server.document.get(CIMD) is True:
        raise ConfigError(f"the server at {server.issuer} takes Client ID Metadata Documents and has no "
                          "registration_endpoint (RFC 7591)",
                          hint=f"host what `oauth2 client-metadata --client-id URL` prints at that https URL, "
                               f"then set {METADATA_URL_ENV}=URL (or give --client-id URL)")
    raise ConfigError(f"the server at {server.issuer} announces no registration_endpoint (RFC 7591)",
                      hint=f"register a client there by hand and run `{login_command(resource_url)} --client-id ID`")


def document_redirect_uri(url: str, http: HttpClient, redirect_uri: Any) -> str:
    """The first loopback redirect URI the hosted document lists (a port-less one gets a free port)."""
    from oauth2cli.core.authorization import parse_redirect_uri
    from oauth2cli.core.http import HttpRequest, parse_json_object

    response = http.send(HttpRequest("GET", url, headers=(("Accept", "application/json"),)))
    if response.status != 200:
        raise ProtocolError(f"the client metadata document {printable(url, 200)} answered {response.describe()}")
    document = parse_json_object(response, "client metadata document")
    if document.get("client_id") != url:
        raise ConfigError(f"the client metadata document at {printable(url, 200)} names client_id "
                          f"{printable(document.get('client_id'), 200)!r}, not its own URL (draft §3)")
    for uri in document.get("redirect_uris") or ():
        try:
            parse_redirect_uri(uri)
        except ConfigError:
            continue
        return redirect_uri({"redirect_uri": uri})
    raise ConfigError(f"the client metadata document at {printable(url, 200)} lists no loopback redirect URI",
                      hint="add one, e.g. the output of `oauth2 client-metadata --redirect-uri http://127.0.0.1:8765/callback`")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def notice(resource: str, issuer: str, plan: ClientPlan, scope: str | None) -> list[str]:
    """What a person reads before anything is registered or opened (each line for stderr)."""
    return [f"oauth2: {printable(resource, 200)} is protected by {printable(issuer, 200)} (RFC 9728)",
            f"oauth2:   authorization server: {printable(urlsplit(issuer).netloc, 200)}"
            + ("" if origin(issuer) == origin(resource) else " (another origin than the resource)"),
            f"oauth2:   client: {plan.what()}",
            f"oauth2:   scopes: {printable(scope, 300) if scope else '(none asked for)'}"]

"""Issue #26: MCP servers and strict authorization servers with no set-up, one test per row of the
issue's table, against a real MCP server (the Python MCP SDK's OAuth resource-server support) and
a real oidc-provider that compares redirect URIs exactly (port included), fetches Client ID
Metadata Documents and checks them."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import ssl
import threading
from pathlib import Path

import pytest

from tests.support.cli import Result, assert_no_traceback, run_cli
from tests.support.protected_resource import ProtectedResource
from tests.support.provider import Provider
from tests.zero_setup.test_resource import NO_CI, _config
from tests.zero_setup.test_resource import call_at_terminal as at_terminal

pytest.importorskip("mcp", reason="the MCP SDK (PyPI mcp) is in the test extra")
from tests.support.mcp_server import McpServer  # noqa: E402

INITIALIZE = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
MCP_HEADERS = ("-H", "Accept: application/json, text/event-stream")


def _profile(name: str) -> dict:
    from oauth2cli.deps import Deps

    return dict(Deps().store.profile(name))


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """oidc-provider comparing redirect URIs exactly, as MCP asks of servers."""
    with Provider(tmp_path_factory.mktemp("strict"), strict_redirects=True) as instance:
        yield instance


@pytest.fixture
def mcp(strict):
    with McpServer(strict, json_response=True, required_scopes=None) as server:
        yield server


def _registered(profile: dict) -> dict:
    import httpx

    from tests.login.conftest import stored_tokens  # noqa: F401 (the same store the CLI wrote)
    from oauth2cli.deps import Deps

    token = Deps().store.secrets.get(profile["_name"], "registration_access_token")
    return httpx.get(profile["registration"]["registration_client_uri"],
                     headers={"Authorization": f"Bearer {token}"}).json()


def test_row1_row4_mcp_call_from_empty_config_with_the_persons_request_first(strict, mcp, standin_browser):
    result = at_terminal("call", "--yes", "-X", "POST", *MCP_HEADERS, "--json", INITIALIZE, mcp.url)
    assert result.code == 0, result
    assert_no_traceback(result)
    assert json.loads(result.stdout)["result"]["serverInfo"]["name"] == "oauth2cli-test"
    # row 4: the POST as typed, without a token, then once more with it; never a GET probe
    to_mcp = [(r["method"], r["authorization"] is not None) for r in mcp.requests if r["path"].startswith("/mcp")]
    assert to_mcp == [("POST", False), ("POST", True)]
    # row 1: registered exactly the URI the login used, port included, and saved for the next login
    profile = {**_profile("127.0.0.1"), "_name": "127.0.0.1"}
    assert _registered(profile)["redirect_uris"] == [profile["redirect_uri"]]
    assert strict.authorizations()[-1]["redirect_uri"] == profile["redirect_uri"]
    assert "default" not in _config()  # row 9/10: a zero-setup profile is not the default
    again = run_cli("call", "-X", "POST", *MCP_HEADERS, "--json", INITIALIZE, mcp.url)
    assert again.code == 0 and "registered" not in again.stderr, again


def test_row2_row3_register_honours_the_redirect_uri_and_two_logins_use_it(strict, standin_browser):
    from tests.support.loopback_http import free_port

    uri = f"http://127.0.0.1:{free_port()}/callback"
    added = run_cli("profile", "add", "p", "--register", "--issuer", strict.issuer, "--redirect-uri", uri,
                    "--scope", "openid")
    assert added.code == 0, added
    profile = {**_profile("p"), "_name": "p"}
    assert profile["redirect_uri"] == uri and _registered(profile)["redirect_uris"] == [uri]
    # row 3: two logins back to back on that one port (SO_REUSEADDR), the strict server matching it exactly
    for _ in range(2):
        login = run_cli("login", "p")
        assert login.code == 0, login
    assert [a["redirect_uri"] for a in strict.authorizations()[-2:]] == [uri, uri]


def test_row2_a_port_less_redirect_uri_gets_a_free_port(strict):
    added = run_cli("profile", "add", "q", "--register", "--issuer", strict.issuer, "--redirect-port", "0")
    assert added.code == 0, added
    uri = _profile("q")["redirect_uri"]
    assert uri.startswith("http://127.0.0.1:") and not uri.startswith("http://127.0.0.1:0/")


def test_issue28_row1_registration_registers_the_grant_the_profile_uses(strict):
    added = run_cli("profile", "add", "svc", "--register", "--issuer", strict.issuer, "--auth-method",
                    "private_key_jwt", "--grant", "client_credentials")
    assert added.code == 0, added
    registered = _registered({**_profile("svc"), "_name": "svc"})
    assert registered["grant_types"] == ["client_credentials"] and registered["response_types"] == []
    token = run_cli("token", "svc")
    assert token.code == 0 and token.stdout.strip(), token


def test_row3_a_busy_registered_port_says_how_to_register_again(strict):
    import socket

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        added = run_cli("profile", "add", "b", "--register", "--issuer", strict.issuer, "--redirect-port", str(port))
        assert added.code == 0, added
        result = run_cli("login", "b", "--no-browser", "--browser-timeout", "2")
    finally:
        holder.close()
    assert result.code == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is in use" in lines[0] and "oauth2 profile remove b" in lines[0]


def test_row5_refresh_sends_the_resource(provider, standin_browser):
    with ProtectedResource(provider) as api:
        assert at_terminal("call", "--yes", api.url("/x")).code == 0
        provider.reset_events()
        refreshed = run_cli("refresh", "127.0.0.1")
    assert refreshed.code == 0, refreshed
    sent = [e for e in provider.events() if e["type"] == "token.request"]
    assert sent and sent[-1]["grant_type"] == "refresh_token" and sent[-1]["resource"] == api.resource


def test_row6_the_challenges_scope_is_asked_for_and_403_is_a_step_up(provider, standin_browser):
    with ProtectedResource(provider, scope="api:read api:write", metadata={"scopes_supported": ["api:read"]}) as api:
        first = at_terminal("call", "--yes", api.url("/x"))
        assert first.code == 0 and json.loads(first.stdout)["ok"] is True, first
        assert set(provider.authorizations()[-1]["scope"].split()) >= {"api:read", "api:write"}
        # a profile that holds less than the resource wants: a 403 insufficient_scope
        run_cli("profile", "set", "127.0.0.1", "scope", "openid api:read")
        assert at_terminal("login", "127.0.0.1").code == 0
        elsewhere = run_cli("call", api.url("/y"), env=NO_CI)
        assert elsewhere.code == 7, elsewhere
        assert elsewhere.stderr.strip().splitlines()[-1] == (
            "oauth2: error: the resource refused the token: insufficient_scope (this run has no terminal); log in "
            "with `oauth2 login 127.0.0.1 --scope 'openid api:read api:write'`")
        stepped = at_terminal("call", api.url("/y"))
    assert stepped.code == 0 and json.loads(stepped.stdout)["ok"] is True, stepped
    assert "oauth2: the resource needs scope 'api:read api:write' (403 insufficient_scope, RFC 6750 §3.1)" \
        in stepped.stderr.splitlines()
    assert _profile("127.0.0.1")["scope"] == "openid api:read api:write"


@pytest.mark.parametrize("methods, message", [
    (["plain"], "lists code_challenge_methods_supported plain, without PKCE S256"),
    (None, "announces no code_challenge_methods_supported"),
], ids=["plain-only", "missing"])
def test_row7_pkce_is_verified_before_the_browser_opens(provider, standin_browser, methods, message):
    from tests.support.standin_server import StandinServer

    with StandinServer() as server:
        document = {k: v for k, v in server.metadata().items() if k != "code_challenge_methods_supported"}
        if methods:
            document["code_challenge_methods_supported"] = methods
        server.metadata = lambda: document
        with ProtectedResource(provider, metadata={"authorization_servers": [server.issuer]}) as api:
            result = at_terminal("call", "--yes", api.url("/x"), "--json", "{}")
    assert result.code == 1, result
    assert_no_traceback(result)
    last = result.stderr.strip().splitlines()[-1]
    assert message in last and server.issuer in last
    assert standin_browser.visits() == [] and _config() == ""


def test_row8_row9_browser_timeout_holds_and_a_failed_login_saves_nothing(provider):
    with ProtectedResource(provider) as api:
        result = run_cli("login", "--resource", api.resource, "--yes", "--no-browser", "--browser-timeout", "3",
                         env=NO_CI, timeout=60)
        assert result.code == 7, result
        assert "Waiting up to 3 s" in result.stderr and "no answer from the browser within 3 s" in result.stderr
        assert _config() == ""  # row 9: nothing saved, so the next call at a terminal can set it up
        after = run_cli("call", api.url("/x"), env=NO_CI)
    assert after.code == 7 and "wants a login at" in after.stderr, after


def test_row10_another_origins_server_is_named_and_confirmed(provider, standin_browser):
    with ProtectedResource(provider) as api:
        refused = at_terminal("call", api.url("/x"), answer="n\n")
        assert refused.code == 7, refused
        lines = refused.stderr.splitlines()
        host = provider.issuer.split("//", 1)[1]
        assert f"oauth2:   authorization server: {host} (another origin than the resource)" in lines
        assert any(line.startswith("oauth2:   client: a new public client (RFC 7591) with redirect URI http://127.0.0.1:")
                   for line in lines)
        assert "oauth2:   scopes: openid api:read" in lines
        assert f"Trust {host} to log in for {api.base.split('//', 1)[1]}? [y/N] " in refused.stderr
        assert "not confirmed: nothing was registered or saved" in refused.stderr and _config() == ""
        nobody = run_cli("call", api.url("/x"), env=NO_CI)  # no terminal: exit 7 as before
        assert nobody.code == 7
        accepted = at_terminal("call", api.url("/x"), answer="y\n")
    assert accepted.code == 0 and json.loads(accepted.stdout)["ok"] is True, accepted
    assert "default" not in _config()  # later token/login/exec do not use it unless asked


def test_row10_default_only_when_asked(provider, standin_browser):
    with ProtectedResource(provider) as api:
        assert at_terminal("call", "--yes", "--default", api.url("/x")).code == 0
    assert 'default = "127.0.0.1"' in _config()


# --- row 11: Client ID Metadata Documents ----------------------------------------------------------

def _tls_material(directory: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cimd.pem", directory / "cimd.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


class DocumentHost:
    """An https server on loopback that serves one document at /oauth2cli.json, logging each fetch."""

    def __init__(self, cert: str, key: str) -> None:
        self.fetches: list[str] = []
        self.every: list[str] = []  # never cleared: the provider fetches once, then caches
        self.document: dict = {}
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                host.fetches.append(self.headers.get("User-Agent") or "")
                host.every.append(self.headers.get("User-Agent") or "")
                body = json.dumps(host.document).encode()
                self.send_response(200 if self.path == "/oauth2cli.json" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/oauth2cli.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def cimd(tmp_path_factory):
    """A strict provider that fetches Client ID Metadata Documents and has no registration endpoint."""
    directory = tmp_path_factory.mktemp("cimd")
    cert, key = _tls_material(directory)
    host = DocumentHost(cert, key)
    with Provider(directory / "provider", strict_redirects=True, client_metadata_ca=cert, registration=False) as server:
        yield server, host, cert
    host.close()


@pytest.mark.parametrize("how", ["env", "client-id"])
def test_row11_a_client_id_metadata_document_instead_of_registration(cimd, standin_browser, how):
    server, host, cert = cimd
    assert "registration_endpoint" not in server.discovery()
    assert server.discovery()["client_id_metadata_document_supported"] is True
    if not host.document:  # the provider caches what it fetched: one document for the module
        from tests.support.loopback_http import free_port

        printed = run_cli("client-metadata", "--client-id", host.url, "--redirect-uri",
                          f"http://127.0.0.1:{free_port()}/callback")
        assert printed.code == 0, printed
        host.document = json.loads(printed.stdout)
    host.fetches.clear()
    given = {"env": ((), {"OAUTH2_CLIENT_METADATA_URL": host.url}), "client-id": (("--client-id", host.url), {})}[how]
    with ProtectedResource(server) as api:
        result = at_terminal("call", "--yes", "--cacert", cert, *given[0], api.url("/x"), env=given[1], timeout=30)
    assert result.code == 0, result
    assert json.loads(result.stdout)["client_id"] == host.url  # the token was issued to the document's client
    assert "registered client" not in result.stderr
    assert f"oauth2:   client: the client metadata document {host.url} (no registration)" in result.stderr
    assert host.fetches  # we read its redirect URI
    assert "" in host.every  # and the provider fetched and checked it (oidc-provider sends no User-Agent)
    profile = _profile("127.0.0.1")
    assert profile["client_id"] == host.url and "registration" not in profile
    assert profile["redirect_uri"] == host.document["redirect_uris"][0]


def test_row11_without_a_document_the_line_says_how_to_host_one(cimd):
    server, _host, _cert = cimd
    with ProtectedResource(server) as api:
        result = at_terminal("call", "--yes", api.url("/x"))
    assert result.code == 1, result
    assert result.stderr.strip().splitlines()[-1] == (
        f"oauth2: error: the server at {server.issuer} takes Client ID Metadata Documents and has no "
        "registration_endpoint (RFC 7591); host what `oauth2 client-metadata --client-id URL` prints at that https "
        "URL, then set OAUTH2_CLIENT_METADATA_URL=URL (or give --client-id URL)")


def test_row7_a_missing_pkce_list_is_only_noted_for_an_ordinary_login():
    from tests.login.conftest import write_profile
    from tests.support.standin_server import StandinServer

    with StandinServer() as server:
        write_profile("plain", issuer=server.issuer, client_id="c", scope="api")
        result = run_cli("login", "plain", "--no-browser", "--browser-timeout", "1")
    assert result.code == 7, result
    assert (f"oauth2: warning: the server at {server.issuer} announces no code_challenge_methods_supported; "
            "sending PKCE S256 anyway") in result.stderr.splitlines()

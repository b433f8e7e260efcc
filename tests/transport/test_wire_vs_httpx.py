"""The wire client (oauth2cli/transport/wire.py) against our httpx transport, side by side on
real loopback sockets: the same request bytes on the wire, the same HttpResponse, and the same
words for the same fault. httpx is the reference; where the two differ on purpose, the test
says so (test_what_the_wire_client_refuses_on_purpose)."""

from __future__ import annotations

import gzip
import socket
from dataclasses import replace
import ssl
import zlib

import pytest
import trustme

from oauth2cli.core.errors import ConfigError, NetworkError, OAuth2CliError
from oauth2cli.core.http import HttpRequest
from oauth2cli.transport.http import HttpClient, TransportOptions, _as_cli_error, build_client
from oauth2cli.transport.wire import WireClient, open_response
from tests.support.loopback_http import free_port
from tests.support.raw_server import RawServer, answer, read_request, silent

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib header (zlib.compress's wbits= is Python 3.11's)."""
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


@pytest.fixture(autouse=True)
def no_proxy_or_ca_variables(monkeypatch):
    """httpx reads proxies from the environment (the wire client never does), and the machine
    may point SSL_CERT_FILE at its own bundle."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
                "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)


def split(request: bytes) -> tuple[bytes, list[bytes], bytes]:
    """(request line, header lines as sent, body)."""
    head, _, body = request.partition(b"\r\n\r\n")
    line, *headers = head.split(b"\r\n")
    return line, headers, body


def through_httpx(method: str, url: str, headers=(), body: bytes | None = None) -> None:
    client = build_client(TransportOptions(timeout=5))
    try:
        client.send(client.build_request(method, url, headers=list(headers), content=body)).close()
    finally:
        client.close()


def through_wire(method: str, url: str, headers=(), body: bytes | None = None) -> None:
    open_response(method, url, headers, body, timeout=5).close()


# -- the request on the wire -------------------------------------------------------------------

REQUESTS = {
    "GET with a query": ("GET", "/a?b=c%20d&e", [], None),
    "HEAD of the root": ("HEAD", "", [], None),
    "POST with a form body": ("POST", "/token", [("Content-Type", "application/x-www-form-urlencoded")],
                              b"grant_type=client_credentials&scope=a+b"),
    "POST without a body": ("POST", "/token", [], None),
    "PUT with an empty body": ("PUT", "/x", [], b""),
    "lower-case method": ("delete", "/x", [], None),
    "headers overriding Accept and User-Agent": (
        "GET", "/x", [("accept", "application/json"), ("User-Agent", "me/1.0"), ("X-Twice", "1"), ("x-twice", "2")], None),
    "a Host of the caller's": ("GET", "/", [("Host", "example.test")], None),
    "the caller's Content-Length": ("POST", "/t", [("Content-Length", "3")], b"abc"),
    "Authorization and a bearer token": ("GET", "/api", [("Authorization", "Bearer abc.def"), ("DPoP", "x.y.z")], None),
    "spaces, UTF-8 and a stray %": ("GET", "/p a/ü?q=ü x&r=%zz#fragment", [], None),
    "dot segments and odd query characters": ("GET", "/a/../b/./c//d;p?x=[]{}|\\^`\"<>", [], None),
    "an escaped slash stays escaped": ("GET", "/a%2Fb?c=%2F&d=%41", [], None),
}


@pytest.mark.parametrize("case", list(REQUESTS))
def test_the_same_request_bytes_as_httpx(case):
    """Request line, header names (case and order) and values, and body: byte for byte."""
    method, path, headers, body = REQUESTS[case]
    with RawServer(answer(OK)) as server:
        through_httpx(method, server.url(path), headers, body)
        through_wire(method, server.url(path), headers, body)
    reference, ours = server.requests
    assert split(ours) == split(reference)


def test_the_default_header_lines():
    """What every request from both transports starts with (their order is httpx's: its
    client defaults, then build_client's User-Agent and Accept-Encoding moved to the end)."""
    with RawServer(answer(OK)) as server:
        through_wire("GET", server.url("/"))
    line, headers, _ = split(server.requests[0])
    assert line == b"GET / HTTP/1.1"
    assert headers == [f"Host: 127.0.0.1:{server.port}".encode(), b"Accept: */*", b"Connection: keep-alive",
                       b"User-Agent: oauth2cli/0.1.0", b"Accept-Encoding: gzip, deflate"]


@pytest.mark.parametrize("shown", ["LOCALHOST", "localhost"])
def test_the_host_header_is_lower_case_and_names_the_port(shown):
    with RawServer(answer(OK), name=shown) as server:
        through_httpx("GET", server.url("/x"))
        through_wire("GET", server.url("/x"))
    reference, ours = server.requests
    assert split(ours) == split(reference)
    assert f"Host: localhost:{server.port}".encode() in split(ours)[1]


def test_an_ipv6_literal():
    try:
        server = RawServer(answer(OK), host="::1", family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        through_httpx("GET", server.url("/v6?x=1"))
        through_wire("GET", server.url("/v6?x=1"))
    reference, ours = server.requests
    assert split(ours) == split(reference)
    assert f"Host: [::1]:{server.port}".encode() in split(ours)[1]


# -- WireClient against HttpClient ----------------------------------------------------------------

BODY = b'{"access_token":"abc","token_type":"Bearer","expires_in":60}'
GZ = gzip.compress(BODY * 50)
ANSWERS = {
    "JSON with a length": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                          % (len(BODY), BODY),
    "chunked, with an extension and a trailer": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                 b"5;name=value\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\nX-Trailer: t\r\n\r\n",
    "gzip": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(GZ), GZ),
    "gzip, chunked": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (100, GZ[:100], len(GZ) - 100, GZ[100:]),
    "deflate (zlib)": b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: %d\r\n\r\n%s"
                      % (len(zlib.compress(BODY)), zlib.compress(BODY)),
    "deflate (raw)": b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(raw_deflate(BODY)), raw_deflate(BODY)),
    "brotli, not asked for": b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\nxx",
    "corrupt gzip": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!",
    "HTTP/1.0, to the close": b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
    "after 100 Continue and 103 Early Hints": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                             b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}",
    "204 with a length": b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    "304": b"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
    "repeated fields": b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nWWW-Authenticate: Bearer\r\n"
                       b"WWW-Authenticate: DPoP algs=\"ES256\"\r\nContent-Length: 0\r\n\r\n",
    "one length said twice": b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok",
    "a folded field": b"HTTP/1.1 200 OK\r\nX-Folded: one\r\n  two\r\nContent-Length: 0\r\n\r\n",
    "UTF-8 in a field": "HTTP/1.1 200 OK\r\nX-Name: Zoë\r\nContent-Length: 0\r\n\r\n".encode(),
    "Latin-1 in a field": "HTTP/1.1 200 OK\r\nX-Name: Zoë\r\nContent-Length: 0\r\n\r\n".encode("latin-1"),
    "bare line feeds": b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
    "no reason phrase": b"HTTP/1.1 400\r\nContent-Length: 2\r\n\r\n{}",
    "a redirect, not followed": b"HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/\r\nContent-Length: 0\r\n\r\n",
    "an HTML error page": b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 39\r\n\r\n"
                          b"<html><title>502</title>bad gate</html>",
}


def both_clients(request: HttpRequest, reply: bytes, *, max_bytes: int = 4 * 1024 * 1024):
    """(HttpClient's outcome, WireClient's outcome, the two requests the server read)."""
    outcomes = []
    with RawServer(answer(reply)) as server:
        for client in (HttpClient(TransportOptions(timeout=5)), WireClient(TransportOptions(timeout=5))):
            try:
                outcomes.append(client.send(replace(request, url=server.url(request.url)), max_bytes=max_bytes))
            except OAuth2CliError as exc:
                outcomes.append((type(exc).__name__, exc.message, exc.hint))
            finally:
                client.close()
    return outcomes[0], outcomes[1], server.requests


@pytest.mark.parametrize("case", list(ANSWERS))
def test_the_same_http_response(case):
    reference, ours, _ = both_clients(HttpRequest("GET", "/meta?x=1"), ANSWERS[case])
    assert ours == reference


@pytest.mark.parametrize("case", ["JSON with a length", "gzip", "gzip, chunked", "chunked, with an extension and a trailer"])
def test_the_same_capped_body(case):
    reference, ours, _ = both_clients(HttpRequest("GET", "/big"), ANSWERS[case], max_bytes=7)
    assert ours == reference
    assert ours.truncated and len(ours.body) == 7


STREAMED = {
    "gzip": gzip.compress(BODY),
    "deflate": zlib.compress(BODY),
    "gzip, gzip": gzip.compress(gzip.compress(BODY)),
    "deflate, gzip": gzip.compress(raw_deflate(BODY)),
    "x-gzip": gzip.compress(BODY),
    "br": b"not brotli at all",
    "identity": BODY,
}


@pytest.mark.parametrize("encoding", list(STREAMED))
def test_the_same_streamed_body_as_httpx_iter_bytes(encoding):
    """What `oauth2 call` prints: httpx's iter_bytes decodes gzip and deflate (in layers) and
    passes the rest over, without a size cap; so does WireResponse.iter_bytes."""
    data = STREAMED[encoding]
    reply = b"HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n%s" % (encoding.encode(), len(data), data)
    with RawServer(answer(reply)) as server:
        client = build_client(TransportOptions(timeout=5))
        with client.stream("GET", server.url("/file")) as response:
            reference = b"".join(response.iter_bytes())
        client.close()
        with open_response("GET", server.url("/file"), timeout=5) as response:
            ours = b"".join(response.iter_bytes())
    assert ours == reference


def test_a_form_post_with_credentials_in_the_url():
    """Form bodies get their Content-Type after the length, and user:password@ is sent as
    Basic, replacing an Authorization of the caller's in place, as httpx does."""
    request = HttpRequest("POST", "/token", headers=(("Authorization", "x"), ("X-Extra", "y")),
                          form=(("grant_type", "client_credentials"), ("scope", "a b")))
    with RawServer(answer(ANSWERS["JSON with a length"])) as server:
        url = server.url("/token").replace("://", "://us%20er:p%40ss@")
        for client in (HttpClient(TransportOptions(timeout=5)), WireClient(TransportOptions(timeout=5))):
            response = client.send(HttpRequest(request.method, url, request.headers, request.form))
            assert response.url == url
    reference, ours = server.requests
    assert split(ours) == split(reference)
    assert b"Authorization: Basic dXMgZXI6cEBzcw==" in split(ours)[1]  # "us er:p@ss"


# -- faults -----------------------------------------------------------------------------------------

def httpx_fault(method: str, url: str, body: bytes | None, timeout: float, options=None) -> tuple:
    client = build_client(options or TransportOptions(timeout=timeout))
    try:
        client.send(client.build_request(method, url, content=body)).close()
    except Exception as exc:  # noqa: BLE001 - mapped below, as HttpClient maps it
        error = _as_cli_error(exc, url, timeout)
        return type(error).__name__, str(error), getattr(error, "hint", None)
    finally:
        client.close()
    return ("no fault",)


def wire_fault(method: str, url: str, body: bytes | None, timeout: float, context=None) -> tuple:
    try:
        open_response(method, url, (), body, timeout=timeout, context=context).close()
    except OAuth2CliError as exc:
        return type(exc).__name__, exc.message, exc.hint
    return ("no fault",)


def hang_up_after_the_request(conn, server) -> None:
    read_request(conn, server)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def tls_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


def test_connection_refused_reads_the_same():
    url = f"http://127.0.0.1:{free_port()}/token"
    expected = ("NetworkError", f"connection refused by {url.split('/')[2]}", None)
    assert wire_fault("GET", url, None, 5) == httpx_fault("GET", url, None, 5) == expected


def test_an_unresolvable_name_reads_the_same():
    url = "https://nonexistent.invalid/token"
    reference = httpx_fault("GET", url, None, 5)
    assert wire_fault("GET", url, None, 5) == reference
    assert reference[0] == "NetworkError" and "nonexistent.invalid" in reference[1]


@pytest.mark.parametrize("scheme,kind", [("http", "ReadTimeout"), ("https", "ConnectTimeout")])
def test_a_server_that_never_answers_reads_the_same(scheme, kind):
    """Over https the silence comes during the TLS handshake, which httpx counts as connecting."""
    with RawServer(silent()) as server:
        url = server.url("/token").replace("http:", f"{scheme}:")
        reference = httpx_fault("GET", url, None, 0.3)
        assert wire_fault("GET", url, None, 0.3) == reference
    assert reference == ("NetworkError", f"no answer from {server.where} within 0.3 s ({kind})", None)


def test_a_server_that_never_reads_reads_the_same():
    """A body larger than the socket buffers, to a server that reads nothing: WriteTimeout."""
    body = b"x" * (32 * 1024 * 1024)
    with RawServer(silent()) as server:
        reference = httpx_fault("POST", server.url("/upload"), body, 0.3)
        assert wire_fault("POST", server.url("/upload"), body, 0.3) == reference
    assert reference == ("NetworkError", f"no answer from {server.where} within 0.3 s (WriteTimeout)", None)


def test_a_server_that_hangs_up_without_answering_reads_the_same():
    with RawServer(hang_up_after_the_request) as server:
        reference = httpx_fault("POST", server.url("/token"), b"a=b", 5)
        assert wire_fault("POST", server.url("/token"), b"a=b", 5) == reference
    assert reference == ("NetworkError", f"{server.where} broke off the HTTP exchange: Server disconnected "
                                         "without sending a response.", None)


def test_an_unknown_certificate_authority_reads_the_same(ca):
    with RawServer(answer(OK), tls=tls_context(ca, "localhost"), name="localhost") as server:
        reference = httpx_fault("GET", server.url("/"), None, 5)
        assert wire_fault("GET", server.url("/"), None, 5) == reference
    kind, message, hint = reference
    assert message.startswith(f"TLS failure talking to {server.where}: [SSL: CERTIFICATE_VERIFY_FAILED]")
    assert hint == "for a private CA give --cacert PATH or set SSL_CERT_FILE"


def test_a_certificate_for_another_name_reads_the_same(ca, tmp_path):
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    options = TransportOptions(timeout=5, cacert=str(tmp_path / "ca.pem"))
    from oauth2cli.transport.tls import ssl_context

    with RawServer(answer(OK), tls=tls_context(ca, "other.example"), name="localhost") as server:
        reference = httpx_fault("GET", server.url("/"), None, 5, options)
        assert wire_fault("GET", server.url("/"), None, 5, ssl_context(options)) == reference
    assert "Hostname mismatch" in reference[1] or "hostname" in reference[1].lower()


def test_the_same_through_both_clients_with_a_deadline():
    """HttpClient and WireClient bound the whole exchange by options.timeout in the same words."""
    with RawServer(silent()) as server:
        request = HttpRequest("POST", server.url("/token"), form=(("grant_type", "client_credentials"),))
        outcomes = []
        for client in (HttpClient(TransportOptions(timeout=0.5)), WireClient(TransportOptions(timeout=0.5))):
            with pytest.raises(NetworkError) as caught:
                client.send(request)
            outcomes.append(caught.value.message)
    assert outcomes == [f"no complete answer from {server.where} within 0.5 s (--timeout)"] * 2


from tests.transport.test_tls_and_http import _non_loopback_ipv4  # noqa: E402 (the same probe as httpx's test)


def test_plain_http_off_loopback_as_httpclient_says_it():
    """Refused without --allow-http, before anything is sent; with it, one warning per host."""
    address = _non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    # The stand-in closes after each answer, so it says so: without "Connection: close" httpx may
    # reuse the socket just as the stand-in closes it, and the second request meets a reset.
    closing = ANSWERS["JSON with a length"].replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
    with RawServer(answer(closing), host=address) as server:
        request = HttpRequest("GET", server.url("/meta"))
        refusals, warnings = [], []
        for kind in (HttpClient, WireClient):
            with pytest.raises(ConfigError) as caught:
                kind(TransportOptions(timeout=5)).send(request)
            refusals.append((caught.value.message, caught.value.hint))
            said: list[str] = []
            client = kind(TransportOptions(timeout=5, allow_http=True), warn=said.append)
            assert client.send(request).status == client.send(request).status == 200
            warnings.append(said)
    assert refusals[0] == refusals[1] and refusals[0][0].startswith(f"refusing plain http:// to {server.where}")
    assert warnings[0] == warnings[1] == [f"--allow-http: sending to {server.where} over plain http://, unencrypted"]
    assert len(server.requests) == 4  # two from each client, none from the refusals


def test_trust_from_cacert_and_ssl_cert_file(ca, tmp_path, monkeypatch):
    """Both clients trust what --cacert or SSL_CERT_FILE names, through transport.tls."""
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    with RawServer(answer(ANSWERS["JSON with a length"]), tls=tls_context(ca, "localhost"), name="localhost") as server:
        request = HttpRequest("GET", server.url("/meta"))
        by_flag = [c.send(request) for c in (HttpClient(TransportOptions(cacert=str(tmp_path / "ca.pem"))),
                                              WireClient(TransportOptions(cacert=str(tmp_path / "ca.pem"))))]
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
        by_variable = [c.send(request) for c in (HttpClient(TransportOptions()), WireClient(TransportOptions()))]
    assert by_flag[0] == by_flag[1] == by_variable[0] == by_variable[1]
    assert by_flag[0].body == BODY


def test_a_client_certificate_is_presented(ca, tmp_path):
    """A server that requires a client certificate gets the one --cert/--key name."""
    pair = ca.issue_cert("client.example")
    pair.cert_chain_pems[0].write_to_path(str(tmp_path / "client.pem"))
    pair.private_key_pem.write_to_path(str(tmp_path / "client.key"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server_context = tls_context(ca, "localhost")
    server_context.verify_mode = ssl.CERT_REQUIRED
    ca.configure_trust(server_context)
    options = TransportOptions(cacert=str(tmp_path / "ca.pem"), cert=str(tmp_path / "client.pem"),
                               key=str(tmp_path / "client.key"))
    with RawServer(answer(ANSWERS["JSON with a length"]), tls=server_context, name="localhost") as server:
        request = HttpRequest("GET", server.url("/mtls"))
        assert WireClient(options).send(request) == HttpClient(options).send(request)
        assert WireClient(options).send(request).status == 200


def test_insecure_warns_once_as_httpclient_does(ca):
    warnings: list[str] = []
    with RawServer(answer(ANSWERS["JSON with a length"]), tls=tls_context(ca, "localhost"), name="localhost") as server:
        client = WireClient(TransportOptions(insecure=True), warn=warnings.append)
        for _ in range(2):
            assert client.send(HttpRequest("GET", server.url("/"))).status == 200
    assert warnings == ["--insecure: TLS certificates are not verified; anyone on the network path can read and "
                        "change this exchange"]


def test_what_the_wire_client_refuses_on_purpose():
    """httpx lets these through to fail later (or sends them); the wire client says at once."""
    with pytest.raises(ConfigError, match=r"invalid URL 'http://h:65536/': invalid port '65536'"):
        open_response("GET", "http://h:65536/", timeout=1)
    with pytest.raises(ConfigError, match="only absolute http:// and https:// URLs can be sent"):
        open_response("GET", "ftp://h/", timeout=1)
    with pytest.raises(ConfigError, match="the value of header X-Bad has a line break or NUL in it"):
        open_response("GET", "http://127.0.0.1:9/", [("X-Bad", "a\r\nInjected: yes")], timeout=1)
    with pytest.raises(ConfigError, match="the value of header X-Name is not ASCII"):
        open_response("GET", "http://127.0.0.1:9/", [("X-Name", "Zoë")], timeout=1)

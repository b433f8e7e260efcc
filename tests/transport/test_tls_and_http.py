"""Transport security with real sockets: a local HTTPS server whose CA comes from trustme,
and plain http:// refused off loopback (RFC 6749 §3.1, §3.2)."""

from __future__ import annotations

import socket
import ssl

import pytest
import trustme

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import LoopbackServer, QuietHandler

TOKEN = "tls-test-access-token-0cc175b9c0"


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        base = self.server.standin.base
        if self.path == "/.well-known/oauth-authorization-server":
            self.reply(200, {"issuer": base, "token_endpoint": base + "/token"})
        else:
            self.reply(404, {"error": "not_found"})

    def do_POST(self) -> None:
        self.body()
        self.server.standin.posts += 1
        self.reply(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 60})


class Server(LoopbackServer):
    """Discovery and a token endpoint on `host` (IPv6 too), over TLS with `context`; counts the POSTs."""

    def __init__(self, host: str, context: ssl.SSLContext | None = None, name: str | None = None) -> None:
        self.posts = 0
        super().__init__(_Handler, host=host, tls=context, name=name)
        self.start()


@pytest.fixture(autouse=True)
def no_ca_variables(monkeypatch):
    """The machine may point these at its own bundle; each test sets the one it checks."""
    for var in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _https(ca: trustme.CA, *names: str) -> Server:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return Server("127.0.0.1", context=context, name="localhost")


@pytest.fixture(scope="module")
def https_server(ca):
    server = _https(ca, "localhost", "127.0.0.1")
    yield server
    server.stop()


def cc(base: str, *extra: str):
    return ("token", "--issuer", base, "--client-id", "tls-client", "--grant", "client_credentials", *extra)


def one_error_line(result) -> str:
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("oauth2: error: "), result
    return lines[0]


def test_an_unknown_ca_fails_verification_with_exit_6(https_server):
    result = run_cli(*cc(https_server.base))
    assert result.code == 6, result
    line = one_error_line(result)
    assert "TLS failure talking to localhost:" in line and "certificate verify failed" in line
    assert "--cacert" in line  # the hint says what to do


def test_cacert_makes_it_work(https_server, ca_file):
    result = run_cli(*cc(https_server.base, "--cacert", ca_file))
    assert result.code == 0, result
    assert result.stdout == TOKEN + "\n" and result.stderr == ""


@pytest.mark.parametrize("var", ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"])
def test_ca_bundle_from_the_environment(https_server, ca_file, var):
    result = run_cli(*cc(https_server.base), env={var: ca_file})
    assert result.code == 0, result
    assert result.stdout == TOKEN + "\n"
    discover = run_cli("discover", https_server.base, env={var: ca_file})
    assert discover.code == 0, discover


def test_cacert_wins_over_the_environment(https_server, ca_file, tmp_path):
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    assert run_cli(*cc(https_server.base, "--cacert", str(other)), env={"SSL_CERT_FILE": ca_file}).code == 6
    assert run_cli(*cc(https_server.base, "--cacert", ca_file), env={"SSL_CERT_FILE": str(other)}).code == 0


def test_insecure_works_and_warns(https_server):
    result = run_cli(*cc(https_server.base, "--insecure"))
    assert result.code == 0, result
    assert result.stdout == TOKEN + "\n"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("oauth2: warning: --insecure"), result
    assert "not verified" in warnings[0]


def test_a_certificate_for_another_name_is_refused(ca, ca_file):
    server = _https(ca, "other.example")
    try:
        result = run_cli(*cc(server.base, "--cacert", ca_file))
    finally:
        server.stop()
    assert result.code == 6, result
    line = one_error_line(result)
    assert "TLS failure" in line and ("hostname" in line.lower() or "mismatch" in line.lower()), line


def test_an_unreadable_cacert_is_a_configuration_error(https_server, tmp_path):
    result = run_cli(*cc(https_server.base, "--cacert", str(tmp_path / "missing.pem")))
    assert result.code == 1, result
    assert "cannot load the CA bundle" in one_error_line(result)


# -- plain http -------------------------------------------------------------------------


def _non_loopback_ipv4() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent; this picks the outgoing address
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def lan_server():
    address = _non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    server = Server(address)
    yield server
    server.stop()


def test_plain_http_off_loopback_is_refused_before_any_request(lan_server):
    for argv in (cc(lan_server.base), ("discover", lan_server.base),
                 ("token", "--token-url", lan_server.base + "/token", "--client-id", "c")):
        result = run_cli(*argv)
        assert result.code == 1, result
        line = one_error_line(result)
        host = lan_server.base.split("://", 1)[1]
        assert line == (f"oauth2: error: refusing plain http:// to {host}: OAuth requires TLS (RFC 6749 §3.1, §3.2); "
                        "credentials and tokens would cross the network unencrypted; use https://, or --allow-http "
                        "if you really mean it (loopback hosts need neither)"), line
    assert lan_server.posts == 0


def test_allow_http_overrides_with_a_warning(lan_server):
    result = run_cli(*cc(lan_server.base, "--allow-http"))
    assert result.code == 0, result
    assert result.stdout == TOKEN + "\n"
    warnings = result.stderr.splitlines()
    # One warning per host, however many requests (discovery, then the token request).
    assert warnings == [f"oauth2: warning: --allow-http: sending to {lan_server.base.split('://')[1]} over plain "
                        "http://, unencrypted"], result
    assert run_cli("discover", lan_server.base, "--allow-http").code == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"],
                         ids=["127.0.0.1", "127.0.0.2", "localhost", "[::1]"])
def test_loopback_needs_no_tls_and_no_flag(host):
    server = Server("127.0.0.1" if host == "localhost" else host, name="localhost" if host == "localhost" else None)
    try:
        result = run_cli(*cc(server.base))
    finally:
        server.stop()
    assert result.code == 0, result
    assert result.stdout == TOKEN + "\n" and result.stderr == "", result


def test_other_schemes_are_refused():
    result = run_cli("token", "--token-url", "ftp://127.0.0.1/token", "--client-id", "c")
    assert result.code == 1, result
    assert "only absolute https:// URLs are used" in one_error_line(result)

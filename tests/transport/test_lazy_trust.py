"""The CA bundle is read at the first TLS handshake (oauth2cli/transport/tls.py): a plain-http
request never pays for hundreds of certificates, and verification is the same as
ssl.create_default_context()'s."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_the_system_store_loads_at_the_first_handshake_with_the_same_settings():
    import ssl

    from oauth2cli.transport.tls import LazyTrust, ssl_context
    from oauth2cli.transport.http import TransportOptions

    lazy, eager = ssl_context(TransportOptions(), environ={}), ssl.create_default_context()
    assert isinstance(lazy, LazyTrust)
    for attribute in ("verify_mode", "check_hostname", "options", "verify_flags", "protocol"):
        assert getattr(lazy, attribute) == getattr(eager, attribute), attribute
    assert lazy.minimum_version == ssl.TLSVersion.TLSv1_2
    assert lazy.cert_store_stats()["x509_ca"] == 0  # nothing read yet: a plain-http request never reads it
    lazy.load_trust()
    assert lazy.cert_store_stats() == eager.cert_store_stats()


def test_the_lazily_read_system_store_verifies_a_real_handshake(tmp_path):
    """OpenSSL's default paths (here pointed at a test CA with SSL_CERT_FILE) are read when the first
    TLS connection is made: a server the store trusts is accepted, and the first request succeeds."""
    import ssl

    import trustme

    from tests.support.loopback_http import LoopbackServer, QuietHandler

    class Hello(QuietHandler):
        def do_GET(self):  # noqa: N802
            self.reply(200, b"hello", None)

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    server = LoopbackServer(Hello, tls=server_ctx, name="localhost").start()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    code = ("import sys\nfrom oauth2cli.transport.http import LazyTrust, httpx\n"
            "ctx = LazyTrust.create()\n"
            "print(httpx.Client(verify=ctx).get(sys.argv[1]).text, ctx.cert_store_stats()['x509_ca'])\n")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("SSL_CERT_DIR",)}
    env["SSL_CERT_FILE"] = str(tmp_path / "ca.pem")
    try:
        proc = subprocess.run([sys.executable, "-c", code, server.url("/")],
                              env=env, capture_output=True, text=True, timeout=30)
    finally:
        server.stop()
    assert proc.stdout.split() == ["hello", "1"], proc.stderr[-2000:]


def test_a_bundle_from_the_environment_is_read_at_the_first_handshake(tmp_path):
    import trustme

    from oauth2cli.core.errors import ConfigError
    from oauth2cli.transport.tls import LazyTrust, ssl_context
    from oauth2cli.transport.http import TransportOptions

    ca_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    ctx = ssl_context(TransportOptions(), environ={"SSL_CERT_FILE": str(ca_file)})
    assert isinstance(ctx, LazyTrust) and ctx.cert_store_stats()["x509_ca"] == 0
    ctx.load_trust()
    assert ctx.cert_store_stats()["x509_ca"] == 1
    missing = ssl_context(TransportOptions(), environ={"REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem")})
    with pytest.raises(ConfigError, match="cannot load the CA bundle .*missing.pem"):
        missing.load_trust()
    with pytest.raises(ConfigError, match="cannot load the CA bundle"):  # an explicit --cacert: named at once
        ssl_context(TransportOptions(cacert=str(tmp_path / "missing.pem")), environ={})

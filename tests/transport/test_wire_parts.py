"""The wire client's parts (oauth2cli/transport/wire*.py): what importing it costs, when it
hands a request to httpx, how it reads fields and URLs, and when an answer has no body."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oauth2cli.core.errors import ConfigError
from oauth2cli.transport.wire import Headers, open_response, proxied
from oauth2cli.transport.wire_url import Unsupported, parse
from tests.support.raw_server import RawServer, answer

# What the fast paths must not pay for (tests/support/startup.py's LEAN_OUT, and httpx's kin).
NEVER = ("httpx", "httpcore", "h11", "http.client", "email", "urllib.request", "click", "rich",
         "threading", "typing", "urllib", "dataclasses", "json", "ipaddress", "encodings.idna")

PROBE = """
import sys
url = sys.argv[1]
import oauth2cli.transport.wire as wire
imported = sorted(sys.modules)
with wire.open_response("POST", url, [("Content-Type", "application/x-www-form-urlencoded")], b"a=b", timeout=5) as r:
    body = r.read()
after = sorted(sys.modules)
import json
print(json.dumps({"imported": imported, "after": after, "body": body.decode()}))
"""


def probe(url: str, env: dict | None = None) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, url], capture_output=True, text=True, timeout=30, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in modules or any(m.startswith(n + ".") for m in modules))


def test_a_plain_http_request_loads_nothing_heavy():
    """Import the wire client and send a request to a loopback server: no httpx, no ssl, none
    of what the leanest fast paths avoid."""
    with RawServer(answer(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n")) as server:
        seen = probe(server.url("/token"))
    assert loaded(seen["imported"], NEVER + ("ssl",)) == []
    assert loaded(seen["after"], NEVER + ("ssl",)) == []


def test_ssl_comes_with_the_first_https_request(tmp_path):
    """The probe is not blind: an https request does load ssl (and still no httpx)."""
    import os
    import ssl

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    env = {**os.environ, "SSL_CERT_FILE": str(tmp_path / "ca.pem")}
    with RawServer(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), tls=context, name="localhost") as server:
        seen = probe(server.url("/token"), env)
    assert seen["body"] == "ok"
    assert "ssl" not in seen["imported"] and "ssl" in seen["after"]
    assert loaded(seen["after"], ("httpx", "httpcore", "h11", "http.client", "click", "rich")) == []


def test_the_shared_modules_need_no_httpx():
    code = ("import sys, oauth2cli.transport.options, oauth2cli.transport.decode, oauth2cli.transport.faults; "
            "print([m for m in ('httpx', 'ssl', 'click') if m in sys.modules])")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


@pytest.mark.parametrize("environ,expected", [
    ({}, False),
    ({"HTTPS_PROXY": "http://proxy:3128"}, True),
    ({"http_proxy": "proxy:3128"}, True),
    ({"ALL_PROXY": "socks5://proxy"}, True),
    ({"all_proxy": "socks5://proxy"}, True),
    ({"HTTPS_PROXY": ""}, False),
    ({"NO_PROXY": "*"}, False),
])
def test_proxied(environ, expected):
    assert proxied(environ) is expected


def test_fields_read_as_httpx_reads_them():
    raw = [(b"Set-Cookie", b"a=1"), (b"WWW-Authenticate", b"Bearer"), (b"set-cookie", b"b=2"),
           (b"www-authenticate", b'DPoP algs="ES256", error="x"')]
    ours, reference = Headers(raw), httpx.Headers(raw)
    assert ours.multi_items() == reference.multi_items()
    assert ours.raw == reference.raw == raw
    for name in ("set-cookie", "Set-Cookie", "WWW-AUTHENTICATE", "missing"):
        assert ours.get(name) == reference.get(name)
        assert ours.get_list(name) == reference.get_list(name)
        assert ours.get_list(name, split_commas=True) == reference.get_list(name, split_commas=True)
        assert (name in ours) == (name in reference)
    assert ours.get("missing", "default") == "default"
    with pytest.raises(KeyError):
        ours["missing"]


@pytest.mark.parametrize("value", ["Zoë".encode(), "Zoë".encode("latin-1"), b"plain"])
def test_field_values_decode_as_httpx_decodes_them(value):
    raw = [(b"X-Name", value), (b"Content-Type", b"text/plain")]
    assert Headers(raw).multi_items() == httpx.Headers(raw).multi_items()


@pytest.mark.parametrize("method,status", [("HEAD", 200), ("GET", 204), ("GET", 304), ("GET", 200)])
def test_an_answer_ends_where_its_framing_says_on_a_connection_kept_open(method, status):
    """The server keeps the connection open after its answer (keep-alive): reading stops at the
    framing (none for HEAD, 204, 304; the length otherwise), never waiting for the server to
    hang up, which would be a ReadTimeout here."""
    reply = b"HTTP/1.1 %d Whatever\r\nContent-Length: 5\r\n\r\n%s" % (status, b"hello" if method == "GET" else b"")
    with RawServer(answer(reply, hold=5)) as server:
        with open_response(method, server.url("/"), timeout=2) as response:
            got = response.read()
    assert got == (b"hello" if method == "GET" and status == 200 else b"")


def test_a_body_is_read_once():
    with RawServer(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) as server:
        response = open_response("GET", server.url("/"), timeout=5)
        assert (response.http_version, response.url) == ("HTTP/1.1", server.url("/"))
        assert response.read() == b"ok"
        with pytest.raises(RuntimeError):
            response.read()


def test_international_host_names_are_left_to_httpx():
    with pytest.raises(Unsupported) as caught:
        open_response("GET", "https://straße.example/", timeout=1)
    assert isinstance(caught.value, ConfigError)


URL_CHARS = st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/?#[]%{}|\\^`\"<> é\u200e") + ["%41", "%zz", "..", "./", "%2F"])
URL_PART = st.lists(URL_CHARS, max_size=12).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme=st.sampled_from(["http", "https", "HTTP"]),
       userinfo=st.one_of(st.just(""), URL_PART.map(lambda u: "".join(c for c in u if c not in "@/?#") + "@")),
       host=st.one_of(st.lists(st.sampled_from(list("abcXY01-._~%^")), max_size=8).map("".join),
                      st.sampled_from(["[::1]", "127.0.0.1", "[::FFFF:1.2.3.4]", "LocalHost"])),
       port=st.one_of(st.sampled_from(["", ":", ":0443", ":80", ":x"]), st.integers(1, 65535).map(lambda p: f":{p}")),
       rest=URL_PART)
def test_urls_are_normalised_as_httpx_normalises_them(scheme, userinfo, host, port, rest):
    """The request target, the Host header and the response's url: httpx's, or both refuse."""
    url = f"{scheme}://{userinfo}{host}{port}{rest if rest[:1] in ('', '?', '#', '/') else '/' + rest}"
    try:
        reference = httpx.URL(url)
        expected = (str(reference), reference.raw_path.decode(), reference.netloc.decode()) if reference.host else None
    except httpx.InvalidURL:
        expected = None
    try:
        target = parse(url)
        ours = (target.url, target.target, target.netloc)
    except ConfigError:
        ours = None
    assert ours == expected

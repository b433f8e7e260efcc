"""The wire client (oauth2cli/transport/wire.py) against servers that misbehave on purpose:
every case ends in one NetworkError (or ProtocolError) whose one line says what the server did,
never a traceback and never a hang. The servers (tests/support/raw_server.py) are bounded
and stop with the test."""

from __future__ import annotations

import gzip
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oauth2cli.core.errors import ExitCode, NetworkError, OAuth2CliError
from oauth2cli.core.http import HttpRequest
from oauth2cli.transport.options import TransportOptions
from oauth2cli.transport.wire import DeadlineExceeded, WireClient, open_response
from oauth2cli.transport.wire_parse import MAX_LINES, Malformed, Reader, body, framing, read_head
from tests.support.raw_server import RawServer, answer, trickle

OK_HEAD = b"HTTP/1.1 200 OK\r\n"
CHUNKED = OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n"

BROKEN = {
    "garbage status line": (b"garbage\r\n\r\n", "illegal status line: b'garbage'"),
    "an HTTP/2 status line": (b"HTTP/2 200 OK\r\n\r\n", "illegal status line: b'HTTP/2 200 OK'"),
    "a four-digit status": (b"HTTP/1.1 2000 OK\r\n\r\n", "illegal status line: b'HTTP/1.1 2000 OK'"),
    "a huge header block": (OK_HEAD + b"X-Big: " + b"a" * 200_000 + b"\r\n\r\n", "the response head is longer than 64 KiB"),
    "too many header lines": (OK_HEAD + b"X: a\r\n" * 1000 + b"\r\n", f"more than {MAX_LINES} header lines"),
    "endless 100 Continue": (b"HTTP/1.1 100 Continue\r\n\r\n" * 10_000, "the response head is longer than 64 KiB"),
    "a negative chunk size": (CHUNKED + b"-5\r\nabc\r\n0\r\n\r\n", "illegal chunk header: b'-5'"),
    "a huge chunk size": (CHUNKED + b"f" * 22 + b"\r\nabc\r\n", "illegal chunk header: b'" + "f" * 22 + "'"),
    "a chunk size with 0x": (CHUNKED + b"0x10\r\nabc\r\n", "illegal chunk header: b'0x10'"),
    "a chunk size that is not hex": (CHUNKED + b"zz\r\nabc\r\n", "illegal chunk header: b'zz'"),
    "a chunk longer than its size": (CHUNKED + b"2\r\nokay\r\n0\r\n\r\n", "a chunk is longer than its size says"),
    "a chunk-size line without end": (CHUNKED + b"1;" + b"x" * 10_000, "a chunk-size line is longer than 4096 bytes"),
    "endless chunk extensions": (CHUNKED + b"1;" + b"x" * 4000 + b"\r\na\r\n" + (b"1;" + b"y" * 4000 + b"\r\nb\r\n") * 20,
                                 "the chunk extensions are longer than 64 KiB"),
    "endless trailers": (CHUNKED + b"0\r\n" + b"T: v\r\n" * 1000 + b"\r\n", f"more than {MAX_LINES} header lines"),
    "a chunked body cut short": (CHUNKED + b"10\r\nonly a bit", "the connection closed in the middle of the chunked body"),
    "two different Content-Length values": (OK_HEAD + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
                                            "conflicting Content-Length headers"),
    "a list of different lengths": (OK_HEAD + b"Content-Length: 2, 3\r\n\r\nabc", "conflicting Content-Length headers"),
    "a signed Content-Length": (OK_HEAD + b"Content-Length: +3\r\n\r\nabc", "bad Content-Length b'+3'"),
    "a Content-Length of 10^30": (OK_HEAD + b"Content-Length: 1" + b"0" * 30 + b"\r\n\r\nabc",
                                  "bad Content-Length b'1" + "0" * 30 + "'"),
    "a body shorter than its length": (OK_HEAD + b"Content-Length: 10\r\n\r\nabc",
                                       "the server closed the connection after 3 of 10 body bytes"),
    "Transfer-Encoding gzip": (OK_HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n", "unsupported Transfer-Encoding b'gzip, chunked'"),
    "two Transfer-Encoding fields": (OK_HEAD + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                                     "more than one Transfer-Encoding header"),
    "101 Switching Protocols": (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
                                "the server switched protocols (101 Switching Protocols), which was not asked for"),
    "a fold with nothing to fold": (OK_HEAD + b" folded\r\n\r\n", "illegal header line: b' folded'"),
    "a space before the colon": (OK_HEAD + b"X-A : b\r\n\r\n", "illegal header line: b'X-A : b'"),
    "a NUL in a value": (OK_HEAD + b"X-A: a\0b\r\n\r\n", "illegal header line: b'X-A: a\\x00b'"),
    "a header line cut short": (OK_HEAD + b"Content-Le", "the connection closed in the middle of a line of the answer"),
    "no end of the header section": (OK_HEAD + b"Content-Length: 2\r\n", "the connection closed in the middle of the header section"),
    "nothing at all": (b"", "Server disconnected without sending a response."),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_answer_is_one_network_error(case):
    reply, detail = BROKEN[case]
    with RawServer(answer(reply)) as server:
        with pytest.raises(NetworkError) as caught:
            WireClient(TransportOptions(timeout=5)).send(HttpRequest("GET", server.url("/token")))
    error = caught.value
    assert error.message == f"{server.where} broke off the HTTP exchange: {detail}"
    assert error.exit_code == ExitCode.NETWORK and error.hint is None and "\n" not in error.message


def test_a_status_line_without_reason_is_fine():
    with RawServer(answer(b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok")) as server:
        with open_response("GET", server.url("/"), timeout=5) as response:
            assert (response.status_code, response.reason_phrase, response.read()) == (200, "", b"ok")


def test_a_gzip_bomb_is_cut_at_max_bytes():
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MiB in ~64 KiB
    reply = OK_HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(bomb), bomb)
    with RawServer(answer(reply)) as server:
        response = WireClient(TransportOptions(timeout=10)).send(HttpRequest("GET", server.url("/")), max_bytes=1 << 20)
    assert response.truncated and response.body == b"\0" * (1 << 20)


def test_a_gzip_bomb_streams_in_bounded_pieces():
    """iter_bytes (what `oauth2 call` streams) decodes it all, never more than 64 KiB at a time."""
    bomb = gzip.compress(b"\0" * (16 * 1024 * 1024), 9)
    reply = OK_HEAD + b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(bomb), bomb)
    with RawServer(answer(reply)) as server:
        with open_response("GET", server.url("/"), timeout=10) as response:
            sizes = [len(piece) for piece in response.iter_bytes()]
    assert sum(sizes) == 16 * 1024 * 1024 and max(sizes) <= 64 * 1024


# -- the deadline -------------------------------------------------------------------------------


def test_a_body_trickling_past_the_deadline():
    """One byte every 0.2 s never trips the per-read timeout; the whole-exchange one ends it."""
    with RawServer(trickle(OK_HEAD + b"Content-Length: 100\r\n\r\n", b"x" * 100)) as server:
        with pytest.raises(NetworkError) as caught:
            WireClient(TransportOptions(timeout=1)).send(HttpRequest("GET", server.url("/token")))
    assert caught.value.message == f"no complete answer from {server.where} within 1 s (--timeout)"


def test_a_head_trickling_past_the_deadline():
    with RawServer(trickle(b"", OK_HEAD + b"X: " + b"y" * 200 + b"\r\n\r\n", every=0.1)) as server:
        with pytest.raises(DeadlineExceeded) as caught:
            open_response("GET", server.url("/"), timeout=5, deadline=time.monotonic() + 1)
    assert caught.value.where == server.where
    assert caught.value.message == f"no complete answer from {server.where} before the deadline"


def test_the_deadline_reaches_into_a_streamed_body():
    with RawServer(trickle(OK_HEAD + b"Content-Length: 100\r\n\r\n", b"x" * 100)) as server:
        response = open_response("GET", server.url("/"), timeout=5, deadline=time.monotonic() + 1)
        got = b""
        with pytest.raises(DeadlineExceeded):
            for piece in response.iter_raw():
                got += piece
    assert 0 < len(got) < 100  # it was reading, and stopped


def test_without_a_deadline_the_per_read_timeout_still_holds():
    with RawServer(answer(OK_HEAD, hold=3)) as server:
        with pytest.raises(NetworkError) as caught:
            open_response("GET", server.url("/"), timeout=0.3)
    assert caught.value.message == f"no answer from {server.where} within 0.3 s (ReadTimeout)"


# -- properties of the parser ------------------------------------------------------------------

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def feed(data: bytes, sizes: list[int]):
    """recv() for a Reader: `data` in pieces of the given sizes (1 when the list runs out)."""
    pieces, at = [], 0
    for size in sizes:
        pieces.append(data[at:at + size])
        at += size
    pieces += [data[i:i + 1] for i in range(at, len(data))]
    pieces = [p for p in pieces if p]
    return lambda: pieces.pop(0) if pieces else b""


def chunk_encode(payload: bytes, cuts: list[int], extensions: list[str], trailers: list[tuple[str, str]],
                 newline: bytes, upper: bool) -> bytes:
    out, at = [], 0
    for i, cut in enumerate(sorted(set(c % (len(payload) + 1) for c in cuts)) + [len(payload)]):
        piece, at = payload[at:cut], cut
        if piece:
            size = f"{len(piece):x}".upper() if upper else f"{len(piece):x}"
            ext = f";{extensions[i % len(extensions)]}" if extensions else ""
            out.append(f"{size}{ext}".encode() + newline + piece + newline)
    out.append(b"0" + newline + b"".join(f"{k}: {v}".encode() + newline for k, v in trailers) + newline)
    return b"".join(out)


TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-!#$%&'*+.^_`|~", min_size=1, max_size=12)


@PROPERTY
@given(payload=st.binary(max_size=3000), cuts=st.lists(st.integers(0, 3000), max_size=12),
       extensions=st.lists(st.builds(lambda n, v: f"{n}={v}" if v else n, TOKEN, st.one_of(st.just(""), TOKEN)), max_size=3),
       trailers=st.lists(st.tuples(TOKEN, TOKEN), max_size=4), newline=st.sampled_from([b"\r\n", b"\n"]),
       upper=st.booleans(), sizes=st.lists(st.integers(1, 700), max_size=20))
def test_chunked_framing_round_trips(payload, cuts, extensions, trailers, newline, upper, sizes):
    wire = CHUNKED + chunk_encode(payload, cuts, extensions, trailers, newline, upper) + b"NEXT"
    reader = Reader(feed(wire, sizes))
    head = read_head(reader)
    assert b"".join(body(reader, *framing("GET", head))) == payload
    assert b"".join(iter(lambda: reader.some(10), b"")) == b"NEXT"  # nothing past the body was eaten


@PROPERTY
@given(payload=st.binary(max_size=3000), sizes=st.lists(st.integers(1, 700), max_size=20))
def test_content_length_framing_round_trips(payload, sizes):
    wire = OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(payload) + payload + b"NEXT"
    reader = Reader(feed(wire, sizes))
    assert b"".join(body(reader, *framing("GET", read_head(reader)))) == payload


VALID = (CHUNKED + b"5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n", OK_HEAD + b"Content-Length: 5\r\nX: a\r\n  b\r\n\r\nhello",
         b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>")


@PROPERTY
@given(base=st.sampled_from(VALID), at=st.integers(0, 200), junk=st.binary(max_size=40), cut=st.integers(0, 300),
       method=st.sampled_from(["GET", "HEAD"]))
def test_any_mangled_answer_is_read_or_malformed(base, at, junk, cut, method):
    """Bytes spliced in and the end cut off anywhere: the parser answers or says Malformed."""
    wire = (base[:at] + junk + base[at:])[:cut]
    reader = Reader(feed(wire, []))
    try:
        head = read_head(reader)
        b"".join(body(reader, *framing(method, head)))
    except Malformed as exc:
        assert str(exc) and "\n" not in str(exc)


@PROPERTY
@given(noise=st.binary(max_size=400))
def test_random_bytes_are_read_or_malformed(noise):
    reader = Reader(feed(noise, [7, 13]))
    try:
        head = read_head(reader)
        b"".join(body(reader, *framing("GET", head)))
    except Malformed as exc:
        assert str(exc) and "\n" not in str(exc)


def test_errors_are_cli_errors():
    """What escapes the wire client is something the command line prints as one line."""
    assert issubclass(DeadlineExceeded, NetworkError) and issubclass(NetworkError, OAuth2CliError)


# -- the adversarial suite's servers, through both clients ----------------------------------------

from tests.adversarial.hostile import TABLE, HostileServer  # noqa: E402

FAST_CASES = [case for case in TABLE if not case.slow]  # the stalls: test_*_past_the_deadline above


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


@pytest.mark.parametrize("case", FAST_CASES, ids=lambda case: case.name)
def test_each_hostile_server_gets_the_answer_httpclient_gets(hostile, case):
    """tests/adversarial/hostile.py's token and discovery misbehaviours: the same HttpResponse
    (for the layers above to judge) or the same error, from either client."""
    from oauth2cli.transport.http import HttpClient

    if case.where == "token":
        request = HttpRequest("POST", hostile.url(case.name, "token"), form=(("grant_type", "client_credentials"),))
    else:
        request = HttpRequest("GET", f"{hostile.base}/.well-known/oauth-authorization-server/{case.name}")
    outcomes = []
    for client in (HttpClient(TransportOptions(timeout=5)), WireClient(TransportOptions(timeout=5))):
        try:
            outcomes.append(client.send(request, max_bytes=1024 * 1024))
        except OAuth2CliError as exc:
            outcomes.append((type(exc).__name__, exc.exit_code, exc.hint))
    assert outcomes[1] == outcomes[0]

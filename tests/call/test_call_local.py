"""`oauth2 call` against a local resource server: curl's options, output, exit codes, where the token goes."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.call.conftest import fake_tokens, make_profile, oauth2
from tests.call.resource import BINARY


@pytest.fixture
def api(resource):
    """Profile `api` with a valid stored token, tied to the resource server by its urls."""
    make_profile("api", fake_tokens("tok-1"), issuer="http://127.0.0.1:9", urls=[resource.base + "/"])
    return resource


def echo(run) -> dict:
    assert run.code == 0, str(run)
    return json.loads(run.stdout)


def test_get_sends_the_bearer_token_and_prints_the_body_exactly(api) -> None:
    run = oauth2("call", api.base + "/echo?x=1")
    seen = echo(run)
    assert seen["method"] == "GET" and seen["path"] == "/echo?x=1"
    assert seen["headers"]["Authorization"] == "Bearer tok-1"
    assert run.stdout.endswith(b"}")  # byte-exact when piped: no added newline, no re-indentation
    assert run.stderr == ""


def test_profile_is_chosen_by_urls_only(resource, other_resource) -> None:
    make_profile("one", fake_tokens("tok-one"), urls=[resource.base + "/echo"])
    make_profile("two", fake_tokens("tok-two"), urls=[other_resource.base])
    assert echo(oauth2("call", resource.base + "/echo/deeper"))["headers"]["Authorization"] == "Bearer tok-one"
    assert echo(oauth2("call", other_resource.base + "/echo"))["headers"]["Authorization"] == "Bearer tok-two"
    # /echoes is not under /echo: no profile claims it, so it goes without a token
    run = oauth2("call", resource.base + "/echoes")
    assert (run.code, run.stderr) == (0, "") and "Authorization" not in echo(run)["headers"]
    # the profile's urls also restrict where -p may send its token
    run = oauth2("call", "-p", "two", resource.base + "/echo")
    assert run.code == 1 and "may only go to" in run.stderr
    # /echoes got only the tokenless request, never a token
    probes = [r for r in resource.requests if r["path"] == "/echoes"]
    assert [(r["method"], "Authorization" in r["headers"]) for r in probes] == [("GET", False)]
    assert len(resource.requests) == 2


def test_the_default_profile_is_not_sent_without_dash_p(resource) -> None:
    from tests.call.conftest import store

    make_profile("main", fake_tokens("tok-main"))
    from oauth2cli.store.config import edit

    edit(store().config_path, lambda doc: doc.__setitem__("default", "main"))
    assert "Authorization" not in echo(oauth2("call", resource.base + "/echo"))["headers"]
    assert echo(oauth2("call", "-p", "main", resource.base + "/echo"))["headers"]["Authorization"] == "Bearer tok-main"


def test_headers_method_and_removal(api) -> None:
    seen = echo(oauth2("call", "-X", "PUT", "-H", "X-One: 1", "-H", "X-Two: two words", "-H", "User-Agent:",
                       api.base + "/echo"))
    assert seen["method"] == "PUT"
    assert seen["headers"]["X-One"] == "1" and seen["headers"]["X-Two"] == "two words"
    assert "User-Agent" not in seen["headers"]
    assert echo(oauth2("call", "DELETE", api.base + "/echo"))["method"] == "DELETE"


def test_data_means_post_form_encoded_and_joined(api) -> None:
    seen = echo(oauth2("call", api.base + "/echo", "-d", "a=1", "--data-urlencode", "b=x y&z", "-d", "c=3"))
    assert seen["method"] == "POST"
    assert seen["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert seen["body"] == "a=1&b=x+y%26z&c=3"


def test_body_from_a_file_and_from_stdin(api, tmp_path) -> None:
    path = tmp_path / "body.txt"
    path.write_bytes(b"line1\r\nline2\n")
    # -d @file strips CR/LF as curl does; --data-binary keeps the bytes
    assert echo(oauth2("call", api.base + "/echo", "-d", f"@{path}"))["body"] == "line1line2"
    assert echo(oauth2("call", api.base + "/echo", "--data-binary", f"@{path}"))["body"] == "line1\r\nline2\n"
    seen = echo(oauth2("call", "PATCH", api.base + "/echo", "--data-binary", "@-", input=b"from stdin\n"))
    assert seen["method"] == "PATCH" and seen["body"] == "from stdin\n"


def test_json_sets_content_type_and_accept(api, tmp_path) -> None:
    seen = echo(oauth2("call", api.base + "/echo", "--json", '{"a":1}'))
    assert seen["method"] == "POST" and seen["body"] == '{"a":1}'
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["Accept"] == "application/json"
    seen = echo(oauth2("call", api.base + "/echo", "--json", "@-", input=b'{"from":"stdin"}'))
    assert seen["body"] == '{"from":"stdin"}'


def test_multipart_form(api, tmp_path) -> None:
    upload = tmp_path / "photo.bin"
    upload.write_bytes(b"\x89PNG\x00\x01")
    run = oauth2("call", api.base + "/echo", "-F", "title=hello", "-F", f"file=@{upload};type=image/png")
    seen = echo(run)
    assert seen["method"] == "POST"
    assert seen["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    raw = api.requests[-1]["body"]
    assert b'Content-Disposition: form-data; name="title"\r\n\r\nhello\r\n' in raw
    assert b'name="file"; filename="photo.bin"\r\nContent-Type: image/png\r\n\r\n\x89PNG\x00\x01\r\n' in raw


def test_get_puts_data_in_the_query(api) -> None:
    seen = echo(oauth2("call", "-G", api.base + "/echo", "-d", "q=1", "--data-urlencode", "r=a b"))
    assert seen["method"] == "GET" and seen["path"] == "/echo?q=1&r=a+b" and seen["body"] == ""


def test_include_prints_status_and_headers_first(api) -> None:
    run = oauth2("call", "-i", api.base + "/status/201")
    assert run.code == 0, str(run)
    head, _, body = run.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201 Created\r\n")
    assert b"\r\nContent-Type: application/json\r\n" in head  # names as the server sent them
    assert json.loads(body) == {"status": 201}
    run = oauth2("call", "-I", api.base + "/echo")
    assert run.code == 0 and run.stdout.startswith(b"HTTP/1.1 200 OK\r\n") and run.stdout.endswith(b"\r\n\r\n")
    assert api.requests[-1]["method"] == "HEAD"


def test_binary_body_piped_and_to_a_file(api, tmp_path) -> None:
    run = oauth2("call", api.base + "/bin")
    assert run.code == 0 and run.stdout == BINARY
    target = tmp_path / "out.bin"
    run = oauth2("call", api.base + "/bin", "-o", str(target))
    assert run.code == 0 and run.stdout == b""
    assert target.read_bytes() == BINARY


@pytest.mark.parametrize(("status", "fail", "code"), [
    (404, False, 0), (500, False, 0), (404, True, 4), (401, True, 4), (503, True, 5), (200, True, 0),
], ids=["404", "500", "404-fail", "401-fail", "503-fail", "200-fail"])
def test_exit_codes(api, status, fail, code) -> None:
    run = oauth2("call", *(["-f"] if fail else []), api.base + f"/status/{status}")
    assert run.code == code, str(run)
    if fail and code:
        assert run.stdout == b""  # body suppressed, as curl -f does
        assert run.stderr.startswith(f"oauth2: error: HTTP {status} ") and run.stderr.count("\n") == 1
    else:
        assert json.loads(run.stdout) == {"status": status}


def test_network_failure_exits_6(tmp_path) -> None:
    from tests.support.loopback_http import free_port

    base = f"http://127.0.0.1:{free_port()}"
    make_profile("gone", fake_tokens(), urls=[base])
    run = oauth2("call", base + "/x")
    assert run.code == 6 and "connection refused" in run.stderr, str(run)


def test_no_token_exits_7_naming_login(resource) -> None:
    make_profile("new", None, urls=[resource.base])
    run = oauth2("call", resource.base + "/echo")
    assert run.code == 7, str(run)
    assert "oauth2 login new" in run.stderr
    assert resource.requests == []


def test_redirect_to_another_port_does_not_get_the_token(api, other_resource) -> None:
    target = other_resource.base + "/echo"
    run = oauth2("call", "-L", api.base + f"/redirect?to={target}")
    seen = echo(run)
    assert "Authorization" not in seen["headers"] and "DPoP" not in seen["headers"]
    assert api.requests[0]["headers"]["Authorization"] == "Bearer tok-1"
    # without -L the redirect is the answer
    run = oauth2("call", "-i", api.base + f"/redirect?to={target}")
    assert run.stdout.startswith(b"HTTP/1.1 302 Found\r\n") and len(other_resource.requests) == 1


def test_same_origin_redirect_keeps_the_token_and_307_keeps_the_body(api) -> None:
    run = oauth2("call", "-L", api.base + "/redirect?code=307&to=/echo/next", "-d", "k=v")
    seen = echo(run)
    assert seen["method"] == "POST" and seen["body"] == "k=v" and seen["path"] == "/echo/next"
    assert seen["headers"]["Authorization"] == "Bearer tok-1"


def test_print_curl_masks_the_token(api) -> None:
    run = oauth2("call", "--print-curl", api.base + "/echo", "-H", "X-A: b", "--json", '{"a":1}')
    assert run.code == 0, str(run)
    line = run.stdout.decode()
    assert line == (f"curl {api.base}/echo -H 'Authorization: Bearer ***' -H 'X-A: b' --json '{{\"a\":1}}'\n")
    assert "tok-1" not in line and api.requests == []


def test_verbose_trace_masks_the_token(api) -> None:
    run = oauth2("call", "-v", api.base + "/echo")
    assert run.code == 0
    assert "> GET http://127.0.0.1" in run.stderr and "> authorization: Bearer ***" in run.stderr
    assert "< HTTP/1.1 200 OK" in run.stderr and "tok-1" not in run.stderr


def test_dpop_proof_per_request_with_the_resource_nonce(resource) -> None:
    from joserfc import jwt
    from joserfc.jwk import ECKey

    from oauth2cli.core.dpop import access_token_hash
    from tests.call.conftest import store

    make_profile("dp", fake_tokens("dp-tok", token_type="DPoP"), dpop=True, urls=[resource.base])
    resource.dpop_nonce = "n-1"
    seen = echo(oauth2("call", resource.base + "/echo?x=1#frag"))
    assert seen["headers"]["Authorization"] == "DPoP dp-tok"
    first, second = resource.requests
    stored = ECKey.import_key(json.loads(store().secrets.get("dp", "dpop_key")))
    decoded = []
    for request in (first, second):
        proof = jwt.decode(request["headers"]["DPoP"], stored, algorithms=["ES256"])  # signed by the stored key
        assert proof.header["typ"] == "dpop+jwt" and proof.header["jwk"] == stored.as_dict(private=False)
        decoded.append(proof.claims)
    assert decoded[0]["htm"] == "GET" and decoded[0]["htu"] == resource.base + "/echo"
    assert decoded[0]["ath"] == access_token_hash("dp-tok") and "nonce" not in decoded[0]
    assert decoded[1]["nonce"] == "n-1" and decoded[1]["jti"] != decoded[0]["jti"]
    # the next run reuses the stored key; the nonce is asked for again (a new run)
    echo(oauth2("call", "POST", resource.base + "/echo"))
    third = jwt.decode(resource.requests[-1]["headers"]["DPoP"], stored, algorithms=["ES256"])
    assert third.claims["htm"] == "POST" and third.claims["nonce"] == "n-1"


def test_protected_request_compliance_fixes(resource) -> None:
    make_profile("quirky", fake_tokens("q-tok"), urls=[resource.base],
                 compliance_fixes=["token_in_query", "query_param:site=stackoverflow"])
    seen = echo(oauth2("call", resource.base + "/echo?a=1"))
    assert seen["path"] == "/echo?a=1&site=stackoverflow&access_token=q-tok"
    assert "Authorization" not in seen["headers"]


def test_explicit_authorization_header_wins(api) -> None:
    seen = echo(oauth2("call", "-H", "Authorization: Basic abc", api.base + "/echo"))
    assert seen["headers"]["Authorization"] == "Basic abc" and "DPoP" not in seen["headers"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_terminal_output_is_pretty_with_a_summary(api, color) -> None:
    from oauth2cli.commands.call import run as run_call
    from oauth2cli.commands.call_options import CallOptions
    from oauth2cli.deps import Deps

    deps = Deps(stdout=_Tty(), stderr=_Tty())
    deps.color = color
    run_call(CallOptions(args=(api.base + "/status/200",)), deps)
    out = deps.stdout.getvalue()
    if color:
        assert "\x1b[" in out and '"status"' in out
    else:
        assert out == '{\n  "status": 200\n}\n'
    assert re.fullmatch(r"HTTP 200 OK · application/json · 15 bytes · \d+ ms\n", deps.stderr.getvalue())
    # -s: no summary
    deps = Deps(stdout=_Tty(), stderr=_Tty())
    run_call(CallOptions(args=(api.base + "/status/200",), silent=True), deps)
    assert deps.stderr.getvalue() == ""


def test_max_time_exits_6(tmp_path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    make_profile("slow", fake_tokens(), urls=[base])
    try:
        run = oauth2("call", "--max-time", "0.5", base + "/")
    finally:
        listener.close()
    assert run.code == 6 and "no answer from" in run.stderr, str(run)


def test_urls_may_be_one_string(resource, other_resource) -> None:
    make_profile("single", fake_tokens("tok-s"), urls=resource.base + "/echo")
    assert echo(oauth2("call", resource.base + "/echo"))["headers"]["Authorization"] == "Bearer tok-s"
    run = oauth2("call", "-p", "single", other_resource.base + "/echo")
    assert run.code == 1 and "may only go to" in run.stderr and other_resource.requests == []


def test_data_and_json_together_is_a_usage_error(api) -> None:
    run = oauth2("call", api.base + "/echo", "-d", "a=1", "--json", "{}")
    assert run.code == 2 and api.requests == []


def test_output_file_is_streamed_not_held_in_memory(api, tmp_path) -> None:
    import hashlib

    from tests.call.resource import BIG_CHUNK

    from tests.adversarial.measure import run_measured

    mib = 300
    target = tmp_path / "big.bin"
    # VmHWM read by the oauth2 process itself at exit: ru_maxrss would carry pytest's own
    # high-water mark across fork/exec, and pytest is big late in a full run.
    run = run_measured("call", api.base + f"/big?n={mib}", "-o", str(target), kill_after=60)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 0, run.stderr
    peak_mib = run.max_rss_kib / 1024
    assert target.stat().st_size == mib * len(BIG_CHUNK)
    with open(target, "rb") as f:
        assert hashlib.sha256(f.read(len(BIG_CHUNK))).digest() == hashlib.sha256(BIG_CHUNK).digest()
    assert peak_mib < mib / 2, f"peak RSS {peak_mib:.0f} MiB for a {mib} MiB body"


@pytest.mark.parametrize("args", [["ftp://example.com/x"], ["get", "http://127.0.0.1:9/"], ["A", "B", "C"]],
                         ids=["scheme", "lowercase-method", "three"])
def test_usage_errors(args) -> None:
    run = oauth2("call", *args)
    assert run.code == 2 and run.stdout == b"", str(run)

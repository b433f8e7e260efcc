"""`oauth2 call` is one pipeline (commands/call.run), whether its command line was read by the lean
parser (entry.py → cmdline/parse.py, over the one option table) or by click: for every shape, the resource sees the same
request and the user the same stdout, stderr and exit code, and the lean reading loads no click
(nor httpx or rich). What the lean parser cannot read exactly reaches click before anything is sent."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.call.conftest import fake_tokens, make_profile
from tests.call.resource import BINARY
from tests.support.startup import MODES_PROBE as PROBE, run_mode

def run(mode: str, *args: str, env: dict | None = None, stdout=None):
    return run_mode(mode, *args, env={**os.environ, **(env or {})}, stdout=stdout)


def without_date(data: bytes) -> bytes:
    """The answer without what differs from run to run: its Date, a multipart boundary, a DPoP proof."""
    data = re.sub(rb"\r?\nDate: [^\r\n]*", b"", data)
    return re.sub(rb"eyJ[\w.-]+", b"JWT", re.sub(rb"\b[0-9a-f]{32}\b", b"B", data))


def without_boundary(requests: list[dict]) -> list[dict]:
    """The requests, each multipart boundary (random per run) replaced by one word."""
    out = []
    for r in requests:
        boundary = re.search(r"boundary=(\w+)", r["headers"].get("Content-Type", ""))
        if boundary:
            word = boundary.group(1)
            r = {**r, "headers": {k: v.replace(word, "B") for k, v in r["headers"].items()},
                 "body": r["body"].replace(word.encode(), b"B")}
        if "DPoP" in r["headers"]:  # a new proof (jti, iat) for every request
            r = {**r, "headers": {**r["headers"], "DPoP": "JWT"}}
        out.append(r)
    return out


def same_trace(stderr: str) -> str:
    return re.sub(r"(< date: )[^\n]*", r"\1D", stderr)


@pytest.fixture
def api(resource):
    make_profile("fast", fake_tokens("tok-fast"), issuer="http://127.0.0.1:9", urls=[resource.base + "/"])
    return resource


SERVED = {
    "plain": ["{base}/echo?x=1&y=%20z"],
    "profile": ["-p", "fast", "{base}/echo"],
    "long-options": ["--profile=fast", "--header", "X-A: b", "--silent", "{base}/echo"],
    "headers": ["-H", "X-One: 1", "-H", "Accept: application/json", "-H", "User-Agent:", "-H", "X-Empty;",
                "{base}/echo"],
    "include": ["-i", "{base}/status/201"],
    "bundled-flags": ["-si", "{base}/echo"],
    "head-flag": ["-I", "{base}/echo"],
    "head-method": ["HEAD", "{base}/echo"],
    "get-method": ["-X", "GET", "{base}/echo"],
    "404": ["{base}/status/404"],
    "fail-404": ["-f", "{base}/status/404"],
    "fail-503": ["-sf", "{base}/status/503"],
    "binary": ["{base}/bin"],
    "gzip": ["{base}/gzip"],
    "chunked": ["-i", "{base}/chunked"],
    "redirect-not-followed": ["-i", "{base}/redirect?to=/echo"],
    "max-time": ["--max-time", "5", "{base}/echo"],
    "max-time-passes": ["--max-time", "0.5", "{base}/slow?s=2"],
    "dash-output": ["-o", "-", "{base}/bin"],
    "post": ["POST", "{base}/echo"],
    "post-data": ["-X", "POST", "-d", "a=b", "{base}/echo"],
    "data-variants-in-order": ["--data-raw", "@x", "-d", "a=1", "--data-urlencode", "q=a b", "--data", "z=2",
                               "{base}/echo"],
    "json": ["--json", "{{}}", "{base}/echo"],
    "json-put": ["-X", "PUT", "--json", '{{"a":1}}', "-H", "Accept: text/plain", "{base}/echo"],
    "form": ["-F", "a=b", "-F", "c=d", "{base}/echo"],
    "get-query": ["-G", "-d", "q=1", "{base}/echo"],
    "follow": ["-L", "{base}/redirect?to=/echo/next"],
    "follow-307-post": ["-L", "-d", "k=v", "{base}/redirect?code=307&to=/echo/next"],
    "verbose": ["-v", "{base}/echo"],
    "print-curl": ["--print-curl", "-H", "X-A: b", "--json", "{{}}", "{base}/echo"],
    "explicit-authorization": ["-H", "Authorization: Basic eDp5", "{base}/echo"],
    "delete": ["-X", "DELETE", "-i", "{base}/status/204"],
}


@pytest.mark.parametrize("args", SERVED.values(), ids=SERVED.keys())
def test_the_lean_reading_answers_as_click_does(api, args):
    argv = ["call", *(a.format(base=api.base) for a in args)]
    lean = run("entry", *argv)
    sent = list(api.requests)
    api.requests.clear()
    full = run("click", *argv)
    assert "click" not in lean[3] and "httpx" not in lean[3] and "rich" not in lean[3], lean
    assert "click" in full[3]
    assert (lean[0], without_date(lean[1]), same_trace(lean[2])) == (full[0], without_date(full[1]), same_trace(full[2]))
    # the resource saw the same requests: method, path, header names, order and values, body
    assert without_boundary(sent) == without_boundary(api.requests)
    assert len(sent) == (0 if "--print-curl" in args else 2 if "-L" in args else 1)


def test_the_body_lands_in_a_file_as_the_full_path_writes_it(api, tmp_path):
    for mode in ("entry", "click"):
        target = tmp_path / f"{mode}.bin"
        code, stdout, stderr, loaded = run(mode, "call", api.base + "/bin", "-o", str(target))
        assert (code, stdout, stderr) == (0, b"", "")
        assert target.read_bytes() == BINARY
        assert ("click" in loaded) == (mode == "click")


def test_a_refused_connection_is_the_full_paths_line(tmp_path):
    from tests.support.loopback_http import free_port

    base = f"http://127.0.0.1:{free_port()}"
    make_profile("gone", fake_tokens(), urls=[base])
    fast, full = run("entry", "call", base + "/x"), run("click", "call", base + "/x")
    assert fast[:3] == full[:3]
    assert fast[0] == 6 and fast[2] == f"oauth2: error: connection refused by {base[7:]}\n"
    assert "click" not in fast[3]


def test_what_the_lean_parser_cannot_read_reaches_click(api):
    code, stdout, stderr, loaded = run("entry", "call", "--compressed", api.base + "/echo")
    assert "click" in loaded and code == 2 and "No such option '--compressed'" in stderr, (code, stdout, stderr)
    assert api.requests == []


# What the fast path once handed to click, the option table's parser reads exactly.
READ_EXACTLY = {
    "double-dash": (["--", "{base}/echo"], {}),
    "oauth2-variable": (["{base}/echo"], {"OAUTH2_SCOPE": "x"}),
    "ad-hoc-option": (["--client-id", "x", "{base}/echo"], {}),
}


@pytest.mark.parametrize(("args", "env"), READ_EXACTLY.values(), ids=READ_EXACTLY.keys())
def test_what_the_fast_path_left_to_click_is_read_exactly(api, args, env):
    _same_answer(["call", *(a.format(base=api.base) for a in args)], api, env=env)


def test_a_usage_error_is_clicks_and_nothing_is_sent(api):
    code, stdout, stderr, loaded = run("entry", "call", api.base + "/echo", "-d", "a=1", "--json", "{}")
    assert code == 2 and "Usage: oauth2 call" in stderr and "Error: choose one of" in stderr
    assert api.requests == []


def _same_answer(argv: list[str], resource, env: dict | None = None) -> tuple:
    """The lean reading's run, after checking click's gives the same answer and sends the same."""
    lean = run("entry", *argv, env=env)
    sent = list(resource.requests)
    resource.requests.clear()
    full = run("click", *argv, env=env)
    assert "click" not in lean[3] and "click" in full[3]
    assert (lean[0], without_date(lean[1]), lean[2]) == (full[0], without_date(full[1]), full[2])
    assert without_boundary(sent) == without_boundary(resource.requests)
    return lean, sent


@pytest.mark.parametrize("setting", [{"compliance_fixes": ["token_in_query"]}, {"timeout": 5}, {"step_up": True},
                                     {"cacert": "/nonexistent.pem"}, {"timeout": 0}, {"dpop": True}],
                         ids=["compliance-fix", "timeout", "step-up", "cacert", "zero-timeout", "dpop"])
def test_the_profiles_sending_settings_are_read_either_way(resource, setting):
    """No deny-list: the one pipeline reads the profile's settings, however the line was read."""
    token_type = "DPoP" if setting.get("dpop") else "Bearer"
    make_profile("special", fake_tokens("tok-s", token_type=token_type), urls=[resource.base + "/"], **setting)
    (code, stdout, stderr, loaded), sent = _same_answer(["call", resource.base + "/echo"], resource)
    if "cacert" in setting:
        assert code == 1 and "/nonexistent.pem" in stderr and sent == []
    elif "compliance_fixes" in setting:
        assert code == 0 and sent[0]["path"] == "/echo?access_token=tok-s"
    elif "dpop" in setting:
        assert code == 0 and sent[0]["headers"]["Authorization"] == "DPoP tok-s" and "DPoP" in sent[0]["headers"]
    elif setting.get("timeout") == 0:
        assert code != 0 and sent == []
    else:
        assert code == 0 and sent[0]["headers"]["Authorization"] == "Bearer tok-s"


def test_a_stale_token_without_refresh_is_the_login_hint_either_way(resource):
    make_profile("stale", fake_tokens("tok-old", lifetime=-10), urls=[resource.base + "/"])
    (code, _, stderr, _), sent = _same_answer(["call", resource.base + "/echo"], resource)
    assert code == 7 and "oauth2 login stale" in stderr and sent == []


def test_outside_the_profiles_urls_is_refused_either_way(api, other_resource):
    (code, _, stderr, _), _ = _same_answer(["call", "-p", "fast", other_resource.base + "/echo"], other_resource)
    assert code == 1 and "may only go to" in stderr
    assert other_resource.requests == []


def test_a_401_is_answered_in_the_same_run_and_the_resource_asked_once(api):
    """No hand-over: the one auth flow tries its refresh (here there is none) and the 401 stands;
    the resource is asked exactly once, as it always was."""
    api.refused.add("tok-fast")
    (code, stdout, stderr, loaded), sent = _same_answer(["call", api.base + "/echo"], api)
    assert [r["headers"]["Authorization"] for r in sent] == ["Bearer tok-fast"]
    assert "cannot be refreshed" in stderr and code == 0


def test_a_proxy_in_the_environment_goes_through_httpx_without_click(api):
    """wire.proxied: httpx honours HTTP_PROXY and NO_PROXY, as curl does; still no click."""
    env = {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}
    lean = run("entry", "call", api.base + "/echo", env=env)
    assert lean[0] == 0 and json.loads(lean[1])["headers"]["Authorization"] == "Bearer tok-fast", lean
    assert "httpx" in lean[3] and "click" not in lean[3]


def on_a_terminal(mode: str, *args: str, env: dict) -> tuple[int, str]:
    """Run with stdout and stderr on one pseudo-terminal; what the screen shows."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", PROBE, mode, *args], stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=follower, env=env)
    os.close(follower)
    screen = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        screen += data
    os.close(leader)
    return proc.wait(timeout=60), screen.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize("color", [False, True], ids=["no-color", "color"])
def test_on_a_terminal_the_same_pretty_json_and_summary(api, color):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    if not color:
        env["NO_COLOR"] = "1"
    runs = {}
    for mode in ("entry", "click"):
        code, screen = on_a_terminal(mode, "call", api.base + "/echo", env=env)
        screen, _, loaded = screen.rpartition("\nLOADED=")
        runs[mode] = (code, re.sub(r"· \d+ ms", "· N ms", screen), "click" in loaded)
    assert runs["entry"][:2] == runs["click"][:2]
    assert runs["entry"][2] is False and runs["click"][2] is True
    assert ("\x1b[" in runs["entry"][1]) == color
    assert '"Authorization": "Bearer tok-fast"' in re.sub(r"\x1b\[[0-9;]*m", "", runs["entry"][1])
    assert "HTTP 200 OK · application/json ·" in runs["entry"][1]


def test_the_default_timeout_is_the_settings_one():
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.flows.call.call_profile import DEFAULT_TIMEOUT

    assert DEFAULT_TIMEOUT == ClientSettings.__dataclass_fields__["timeout"].default


def test_an_international_host_name_is_sent_by_httpx_without_click():
    """transport/wire.py leaves IDNA to httpx (Unsupported, raised before connecting): the same run
    sends it there. bücher.example resolves nowhere: the one network error line, exit 6."""
    make_profile("idn", fake_tokens("tok-idn"), urls=["https://bücher.example/"])
    code, stdout, stderr, loaded = run("entry", "call", "https://bücher.example/x")
    assert code == 6 and stderr == "oauth2: error: cannot resolve host 'xn--bcher-kva.example'\n", stderr
    assert "httpx" in loaded and "click" not in loaded


# What a piped `oauth2 call` with the file store and a remembered config.toml must not load.
CALL_LEAN_OUT = ("click", "httpx", "httpcore", "h11", "rich", "keyring", "typing", "dataclasses", "inspect", "pathlib",
                 "json", "tomllib", "http.client", "email", "ssl", "joserfc", "cryptography",
                 "oauth2cli.core.settings", "oauth2cli.core.tokens", "oauth2cli.core.http")


@pytest.mark.parametrize("args", [[], ["-X", "POST", "--json", "{{}}"], ["-X", "POST", "-d", "a=b"], ["-F", "a=b"],
                                  ["-i"], ["-H", "X-A: b"], ["-o", "{tmp}/out"], ["-L"], ["-sf", "-X", "PUT"]],
                         ids=["get", "post-json", "post-data", "form", "include", "header", "output", "follow", "put"])
def test_a_piped_call_loads_only_what_it_sends_with(resource, monkeypatch, tmp_path, args):
    import time

    from oauth2cli.store import view
    from tests.support.startup import run_entry, store_violations

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    make_profile("lean", fake_tokens("tok-lean"), urls=[resource.base + "/"])
    view.read_config(dict(os.environ), now_ns=time.time_ns() + 10**10)  # remembered, as after the first call
    url = resource.base + ("/redirect?to=/echo" if "-L" in args else "/echo")
    stdout, stderr, code, modules = run_entry("call", *(a.format(tmp=tmp_path) for a in args), url)
    assert code in (0, None), stderr
    body = (tmp_path / "out").read_text() if "-o" in args else stdout.rpartition("\n\n")[2]
    assert json.loads(body)["headers"]["Authorization"] == "Bearer tok-lean", stderr
    assert sorted(m for m in modules if m in CALL_LEAN_OUT or m.split(".")[0] in CALL_LEAN_OUT) == []
    assert store_violations(modules) == []  # of the store, only its lean view of a profile


@pytest.fixture
def tls_resource(tmp_path):
    """The resource server behind TLS, with a certificate for 127.0.0.1 from a throw-away CA."""
    import ssl

    import trustme

    from tests.call.resource import Resource

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = Resource(tls=context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    with server:
        make_profile("tls", fake_tokens("tok-tls"), urls=[server.base + "/"])
        yield server, str(tmp_path / "ca.pem")


def test_over_https_the_same_request_and_answer(tls_resource):
    server, ca_file = tls_resource
    env = {"SSL_CERT_FILE": ca_file}
    fast = run("entry", "call", "-i", server.base + "/echo", env=env)
    sent = list(server.requests)
    server.requests.clear()
    full = run("click", "call", "-i", server.base + "/echo", env=env)
    assert fast[3] == [] and "click" in full[3]  # wire's TLS: no httpx
    assert (fast[0], without_date(fast[1]), fast[2]) == (full[0], without_date(full[1]), full[2])
    assert fast[0] == 0 and b'"Authorization": "Bearer tok-tls"' in fast[1]
    assert sent == server.requests and len(sent) == 1


def test_an_unknown_certificate_authority_is_the_same_line_and_sends_nothing(tls_resource):
    server, _ = tls_resource
    env = {"SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"}  # the system's: it does not know this CA
    fast, full = run("entry", "call", server.base + "/echo", env=env), run("click", "call", server.base + "/echo", env=env)
    assert fast[:3] == full[:3] and fast[0] == 6
    assert fast[2].startswith(f"oauth2: error: TLS failure talking to {server.base[8:]}: ") and "certificate verify failed" in fast[2]
    assert server.requests == [] and "click" not in fast[3]


"""`oauth2 call`'s fast path (cli/call_fast.py) against the full click path: for every case it
serves, the resource sees the same request and the user the same stdout, stderr and exit code;
every case it does not serve reaches click before anything is sent."""

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
    return re.sub(rb"\r?\nDate: [^\r\n]*", b"", data)


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
}


@pytest.mark.parametrize("args", SERVED.values(), ids=SERVED.keys())
def test_the_fast_path_answers_as_click_does(api, args):
    argv = ["call", *(a.format(base=api.base) for a in args)]
    fast = run("entry", *argv)
    sent = list(api.requests)
    api.requests.clear()
    full = run("click", *argv)
    assert "click" not in fast[3] and "httpx" not in fast[3] and "rich" not in fast[3], fast
    assert "click" in full[3]
    assert (fast[0], without_date(fast[1]), fast[2]) == (full[0], without_date(full[1]), full[2])
    # the resource saw the same request: method, path, header names, order and values, body
    assert sent == api.requests and len(sent) == 1


def test_the_body_lands_in_a_file_as_the_full_path_writes_it(api, tmp_path):
    for mode in ("entry", "click"):
        target = tmp_path / f"{mode}.bin"
        code, stdout, stderr, loaded = run(mode, "call", api.base + "/bin", "-o", str(target))
        assert (code, stdout, stderr) == (0, b"", "")
        assert target.read_bytes() == BINARY
        assert ("click" in loaded) == (mode == "click")


def test_a_refused_connection_is_the_full_paths_line(tmp_path):
    from tests.support.provider import free_port

    base = f"http://127.0.0.1:{free_port()}"
    make_profile("gone", fake_tokens(), urls=[base])
    fast, full = run("entry", "call", base + "/x"), run("click", "call", base + "/x")
    assert fast[:3] == full[:3]
    assert fast[0] == 6 and fast[2] == f"oauth2: error: connection refused by {base[7:]}\n"
    assert "click" not in fast[3]


HANDED_OVER = {
    "post": (["POST", "{base}/echo"], {}),
    "data": (["-d", "a=1", "{base}/echo"], {}),
    "follow": (["-L", "{base}/redirect?to=/echo"], {}),
    "verbose": (["-v", "{base}/echo"], {}),
    "unknown-option": (["--compressed", "{base}/echo"], {}),
    "double-dash": (["--", "{base}/echo"], {}),
    "explicit-authorization": (["-H", "Authorization: Basic eDp5", "{base}/echo"], {}),
    "oauth2-variable": (["{base}/echo"], {"OAUTH2_SCOPE": "x"}),
    "proxy": (["{base}/echo"], {"HTTP_PROXY": "http://127.0.0.1:9"}),
    "no-profile-claims-it": (["http://127.0.0.2:9/elsewhere"], {}),
}


@pytest.mark.parametrize(("args", "env"), HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_anything_else_reaches_click_before_a_request_is_sent(api, args, env):
    code, stdout, stderr, loaded = run("entry", "call", *(a.format(base=api.base) for a in args), env=env)
    assert "click" in loaded, (code, stdout, stderr)


@pytest.mark.parametrize("setting", [{"dpop": True}, {"compliance_fixes": ["token_in_query"]},
                                     {"cacert": "/nonexistent.pem"}, {"timeout": 0}],
                         ids=["dpop", "compliance-fix", "cacert", "zero-timeout"])
def test_profiles_that_change_how_requests_are_sent_go_to_click(resource, setting):
    make_profile("special", fake_tokens("tok-s"), urls=[resource.base + "/"], **setting)
    assert "click" in run("entry", "call", resource.base + "/echo")[3]


def test_a_stale_or_missing_token_goes_to_click(resource):
    make_profile("stale", fake_tokens("tok-old", lifetime=-10), urls=[resource.base + "/"])
    code, _, stderr, loaded = run("entry", "call", resource.base + "/echo")
    assert "click" in loaded


def test_outside_the_profiles_urls_goes_to_click_which_refuses(api, other_resource):
    code, _, stderr, loaded = run("entry", "call", "-p", "fast", other_resource.base + "/echo")
    assert "click" in loaded and code == 1 and "may only go to" in stderr
    assert other_resource.requests == []


def test_a_401_is_handed_to_the_full_path_as_its_own_first_answer(api):
    """The one answer the full path takes over (flows/call_replay.py): it tries its refresh (here there
    is none) and prints what it would have, and the resource is asked once, as without the fast path."""
    api.refused.add("tok-fast")
    fast = run("entry", "call", api.base + "/echo")
    assert "click" in fast[3]
    assert [r["headers"]["Authorization"] for r in api.requests] == ["Bearer tok-fast"]
    api.requests.clear()
    full = run("click", "call", api.base + "/echo")
    assert fast[:3] == full[:3] and len(api.requests) == 1
    assert "cannot be refreshed" in fast[2]


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


def test_the_option_table_matches_clicks_call_command():
    """Every spelling the fast path reads is an option of `oauth2 call` with the same kind of value."""
    import click

    from oauth2cli.cli import cli
    from oauth2cli.cli.call_fast import OPTIONS
    from oauth2cli.cli.fast import FLAG, VALUES

    call = cli.get_command(click.Context(cli), "call")  # made from the option table (cmdline/call.py)
    params = {opt: p for p in call.params if isinstance(p, click.Option) for opt in p.opts}
    for spelling, (dest, kind) in OPTIONS.items():
        param = params[spelling]
        assert param.name == dest, spelling
        assert param.is_flag == (kind == FLAG), spelling
        assert param.multiple == (kind == VALUES), spelling
        assert param.envvar is None, spelling


def test_the_default_timeout_is_the_settings_one():
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.cli.call_fast import DEFAULT_TIMEOUT

    assert DEFAULT_TIMEOUT == ClientSettings.__dataclass_fields__["timeout"].default


def test_an_international_host_name_goes_to_click_before_anything_is_sent():
    """transport/wire.py leaves IDNA to httpx (Unsupported, raised before connecting): the call is handed over."""
    from oauth2cli.cli.call_fast import serve

    make_profile("idn", fake_tokens("tok-idn"), urls=["https://bücher.example/"])
    handed = []
    assert serve(["call", "https://bücher.example/x"], dict(os.environ), handed.append) is None
    assert handed == []  # None: the entry point runs click; nothing was kept or sent here


# What a piped `oauth2 call` with the file store and a remembered config.toml must not load.
CALL_LEAN_OUT = ("click", "httpx", "httpcore", "h11", "rich", "keyring", "typing", "dataclasses", "inspect", "pathlib",
                 "json", "tomllib", "http.client", "email", "ssl", "oauth2cli.deps", "oauth2cli.store")


def test_a_piped_call_loads_only_what_it_sends_with(resource, monkeypatch):
    import time

    from oauth2cli.flows import cached
    from tests.support.startup import run_entry

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    make_profile("lean", fake_tokens("tok-lean"), urls=[resource.base + "/"])
    cached.read_config(dict(os.environ), now_ns=time.time_ns() + 10**10)  # remembered, as after the first call
    stdout, stderr, code, modules = run_entry("call", resource.base + "/echo")
    assert code in (0, None) and json.loads(stdout)["headers"]["Authorization"] == "Bearer tok-lean", stderr
    assert sorted(m for m in modules if m in CALL_LEAN_OUT or m.split(".")[0] in CALL_LEAN_OUT) == []


@pytest.fixture
def tls_resource(tmp_path):
    """The resource server behind TLS, with a certificate for 127.0.0.1 from a throw-away CA."""
    import ssl

    import trustme

    from tests.call.resource import Resource

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = Resource()
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.base = server.base.replace("http://", "https://")
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
    assert fast[3] == [] and "click" in full[3]
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

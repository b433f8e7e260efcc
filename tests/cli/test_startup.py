"""Startup stays light: the heavy libraries load only in the code that needs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("httpx", "rich", "keyring", "joserfc", "cryptography")

PROBE = """
import json, sys
argv, heavy_names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
import oauth2cli.cli
try:
    oauth2cli.cli.main(argv)
except SystemExit as e:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(heavy_names))
sys.stderr.write("HEAVY=" + json.dumps(heavy) + "\\n")
"""


def loaded_after(*argv: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(argv)), json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=30,
    )
    line = [l for l in proc.stderr.splitlines() if l.startswith("HEAVY=")]
    assert line, proc.stderr
    return json.loads(line[-1][len("HEAVY="):])


def test_importing_the_cli_loads_nothing_heavy():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, oauth2cli.cli; print(sorted(m for m in sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    loaded = {m.split(".")[0] for m in eval(proc.stdout)}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["token", "--help"], ["login", "--help"],
                                  ["profile", "--help"], ["call", "--help"]], ids=" ".join)
def test_help_and_version_load_nothing_heavy(argv):
    assert loaded_after(*argv) == []


def test_the_probe_can_see_a_heavy_import():
    # A command that does talk to a server does load httpx: the probe is not blind.
    assert "httpx" in loaded_after("discover", "http://127.0.0.1:9")


def test_a_cached_token_loads_nothing_heavy(monkeypatch, tmp_path):
    """`oauth2 token PROFILE` with a fresh stored token: no HTTP, JOSE or drawing library is needed."""
    import os
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    config = tmp_path / "isolated" / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.work]\nclient_id = "cli"\nissuer = "https://id.example.com"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + 3600))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["token", "work"]), json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=30,
    )
    assert proc.stdout == "cached-token\n", proc.stderr
    heavy = json.loads([l for l in proc.stderr.splitlines() if l.startswith("HEAVY=")][-1][len("HEAVY="):])
    assert heavy == [], heavy


def test_root_help_imports_no_command_module():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, oauth2cli.cli as c\ntry:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
         "sys.stderr.write('MODS=' + ' '.join(sorted(m for m in sys.modules if m.startswith('oauth2cli.'))))"],
        capture_output=True, text=True, timeout=30,
    )
    assert "Commands:" in proc.stdout
    loaded = proc.stderr.split("MODS=")[-1].split()
    commands = [m for m in loaded if m.split(".")[-1] in ("token", "authorize", "call", "profile", "status")]
    assert commands == [], loaded


ENTRY_PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit:
    pass
sys.stderr.write("CLICK=" + str("click" in sys.modules) + "\\n")
"""


def _cached_profile(monkeypatch, tmp_path, expires_in=3600):
    import os
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    config = tmp_path / "isolated" / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + expires_in))


def _entry(*argv):
    proc = subprocess.run([sys.executable, "-c", ENTRY_PROBE, json.dumps(list(argv))],
                          capture_output=True, text=True, timeout=30)
    return proc.stdout, proc.stderr


def test_oauth2_token_profile_is_served_before_click_loads(monkeypatch, tmp_path):
    _cached_profile(monkeypatch, tmp_path)
    stdout, stderr = _entry("token", "work")
    assert stdout == "cached-token\n" and "CLICK=False" in stderr, stderr


@pytest.mark.parametrize("argv,env", [
    (["token", "work", "--output", "header"], {}),
    (["token", "work"], {"OAUTH2_SCOPE": "other"}),  # an OAUTH2_* variable is a flag in disguise
    (["--store", "file", "token", "work"], {}),
], ids=["an-option", "an-env-flag", "a-root-option"])
def test_anything_more_goes_through_click(monkeypatch, tmp_path, argv, env):
    _cached_profile(monkeypatch, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stdout, stderr = _entry(*argv)
    assert "CLICK=True" in stderr
    assert "cached-token" in stdout, stderr


def test_a_stale_token_goes_to_the_full_path_and_its_error(monkeypatch, tmp_path):
    # Expired, no refresh token: the full path says what to do, in its own words.
    _cached_profile(monkeypatch, tmp_path, expires_in=-10)
    stdout, stderr = _entry("token", "work")
    assert stdout == "" and "CLICK=True" in stderr
    assert "oauth2 login work" in stderr


# -- httpx without its own command line (oauth2cli/transport/lean.py) ---------------------------

LEAN_PROBE = """
import json, sys
from oauth2cli.transport import http  # noqa: F401  (imports httpx through transport/lean.py)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("httpx", "click", "rich", "pygments"))
blocked = "httpx._main" in sys.modules
import httpx._main  # the sentinel is gone afterwards: the module still imports when asked for
sys.stdout.write(json.dumps({"loaded": loaded, "left_blocked": blocked}))
"""


def test_httpx_loads_without_its_command_line():
    proc = subprocess.run([sys.executable, "-c", LEAN_PROBE], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert "httpx" in result["loaded"] and "httpx._main" not in result["loaded"]
    assert not [m for m in result["loaded"] if m.split(".")[0] in ("click", "rich", "pygments")], result
    assert result["left_blocked"] is False


def test_the_probe_would_see_httpx_main():
    # Imported plainly, this httpx does load its command line, and click, rich and pygments with it.
    code = "import httpx, sys; print(sorted({m.split('.')[0] for m in sys.modules} & {'click', 'rich', 'pygments'}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "['click', 'pygments', 'rich']", proc.stdout + proc.stderr


@pytest.mark.parametrize("guarded", [True, False], ids=["guarded-import", "unguarded-import"])
def test_import_without_on_either_kind_of_package(tmp_path, guarded):
    """httpx guards `from ._main import main` with `except ImportError`; should a version stop doing
    so, the package is imported whole rather than broken."""
    package = tmp_path / "fakehttp"
    package.mkdir()
    body = "from ._cli import main\n"
    if guarded:
        body = "try:\n    from ._cli import main\nexcept ImportError:\n    main = None\n"
    (package / "__init__.py").write_text("from . import _client\n" + body)
    (package / "_client.py").write_text("VALUE = 1\n")
    (package / "_cli.py").write_text("def main():\n    return 'cli'\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "from oauth2cli.transport.lean import import_without\n"
            "m = import_without('fakehttp', '_cli')\n"
            "print(m._client.VALUE, m.main is None, 'fakehttp._cli' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == (["1", "True", "False"] if guarded else ["1", "False", "True"])


def test_the_system_store_loads_at_the_first_handshake_with_the_same_settings():
    import ssl

    from oauth2cli.transport.http import LazyTrust, TransportOptions, ssl_context

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
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import trustme

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args):
            pass

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    httpd.socket = server_ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    code = ("import sys\nfrom oauth2cli.transport.http import LazyTrust, httpx\n"
            "ctx = LazyTrust.create()\n"
            "print(httpx.Client(verify=ctx).get(sys.argv[1]).text, ctx.cert_store_stats()['x509_ca'])\n")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("SSL_CERT_DIR",)}
    env["SSL_CERT_FILE"] = str(tmp_path / "ca.pem")
    try:
        proc = subprocess.run([sys.executable, "-c", code, f"https://localhost:{httpd.server_address[1]}/"],
                              env=env, capture_output=True, text=True, timeout=30)
    finally:
        httpd.shutdown()
    assert proc.stdout.split() == ["hello", "1"], proc.stderr[-2000:]


# -- fast paths before click (oauth2cli/entry.py) ----------------------------------------------

import os  # noqa: E402
from pathlib import Path  # noqa: E402

LOADED_PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit as e:
    code = e.code
else:
    code = None
sys.stdout.flush()
sys.stderr.write("\\nLOADED=" + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""
CLICK_PROBE = """
import sys
import oauth2cli.cli
oauth2cli.cli.main(sys.argv[1:])
"""
# What the leanest fast paths must not need (Python's own start-up loads none of them).
LEAN_OUT = ("click", "typing", "pathlib", "tomllib", "tomli", "datetime", "ipaddress", "urllib", "threading",
            "oauth2cli.deps", "oauth2cli.store", "httpx", "rich", "keyring")


def run_entry(*argv: str, env: dict | None = None) -> tuple[str, str, int | None, list[str]]:
    proc = subprocess.run([sys.executable, "-c", LOADED_PROBE, json.dumps(list(argv))], capture_output=True,
                          text=True, timeout=30, env=env)
    head, _, tail = proc.stderr.rpartition("\nLOADED=")
    assert tail, proc.stderr
    result = json.loads(tail)
    return proc.stdout, head, result["code"], result["modules"]


def run_click(*argv: str, env: dict | None = None) -> tuple[str, str, int]:
    proc = subprocess.run([sys.executable, "-c", CLICK_PROBE, *argv], capture_output=True, text=True,
                          timeout=30, env=env)
    return proc.stdout, proc.stderr, proc.returncode


def lean_violations(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m in LEAN_OUT or m.split(".")[0] in LEAN_OUT
                  or any(m.startswith(p + ".") for p in LEAN_OUT if "." in p))


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_clicks_line_without_click(flag):
    stdout, _, code, modules = run_entry(flag)
    assert (stdout, code) == (run_click(flag)[0], 0)
    assert stdout.startswith("oauth2 ")
    assert lean_violations(modules) == []


def _write_config(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


TAB_CASES = [
    ("oauth2 ", 1), ("oauth2 to", 1), ("oauth2 lo", 1), ("oauth2 zz", 1), ("oauth2 token ", 2),
    ("oauth2 token w", 2), ("oauth2 login ", 2), ("oauth2 revoke c", 2), ("oauth2 userinfo nope", 2),
]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("words,cword", TAB_CASES, ids=[w.strip().replace(" ", "_") for w, _ in TAB_CASES])
def test_tab_on_commands_and_profiles_answers_as_click_does_without_click(shell, words, cword):
    _write_config('default = "work"\n[profiles.work]\nissuer = "https://id.example"\n[profiles.ci]\nclient_id = "x"\n'
                  '[profiles."with:colon"]\nclient_id = "y"\n')
    from oauth2cli.flows import cached

    cached.read_config(dict(os.environ), now_ns=_settled())  # remembered, as after the first TAB
    env = dict(os.environ, _OAUTH2_COMPLETE=f"{shell}_complete", COMP_WORDS=words,
               COMP_CWORD=(words.split(" ")[-1] if shell == "fish" else str(cword)))
    stdout, stderr, code, modules = run_entry(env=env)
    assert stdout == run_click(env=env)[0], stderr
    assert code == 0 and "click" not in modules
    assert lean_violations(modules) == []


@pytest.mark.parametrize("config", ["[profiles\nbroken", "profiles = 3\n", "[profiles]\nwork = 1\n", None],
                         ids=["bad-toml", "not-a-table", "not-tables", "no-config"])
def test_tab_on_profiles_with_a_broken_or_missing_config_is_clicks_answer(config):
    if config is not None:
        _write_config(config)
    env = dict(os.environ, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS="oauth2 token ", COMP_CWORD="2")
    stdout, _, code, modules = run_entry(env=env)
    assert stdout == run_click(env=env)[0] == "\n"
    assert code == 0 and "click" not in modules


@pytest.mark.parametrize("words,cword", [("oauth2 token --", 2), ("oauth2 -v to", 2), ("oauth2 token --grant ", 3),
                                         ("oauth2 profile show ", 3), ("oauth2 token 'w", 2)],
                         ids=["option", "root-option", "option-value", "subcommand", "quoted"])
def test_other_tabs_go_to_click_with_the_same_answer(words, cword):
    _write_config('[profiles.work]\nissuer = "https://id.example"\n')
    env = dict(os.environ, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(cword))
    stdout, _, code, modules = run_entry(env=env)
    assert "click" in modules
    assert stdout == run_click(env=env)[0]


def test_profile_first_lists_exactly_the_commands_whose_first_argument_is_a_profile():
    import click

    from oauth2cli.cli import COMMANDS, cli
    from oauth2cli.cli.params import PROFILE
    from oauth2cli.cli.tab import PROFILE_FIRST

    ctx = click.Context(cli)
    expected = []
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if not isinstance(command, click.Group) and arguments and arguments[0].type is PROFILE:
            expected.append(name)
    assert sorted(PROFILE_FIRST) == sorted(expected)


def test_the_lean_paths_are_the_stores_paths():
    from oauth2cli import store
    from oauth2cli.flows import cached
    from oauth2cli.store import paths

    assert cached.SAVED_AT == store.SAVED_AT
    cases = [{"HOME": "/h"}, {"HOME": "/h", "XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_CACHE_HOME": "/k"},
             {"HOME": "/h", "XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": "rel", "XDG_CACHE_HOME": "r"},
             {"HOME": "/h", "OAUTH2CLI_CONFIG": "/elsewhere/x.toml"}]
    for environ in cases:
        assert cached.config_file(environ) == str(paths.config_file(environ)), environ
        assert cached.secrets_dir(environ) == str(paths.data_dir(environ) / "secrets"), environ
        assert cached.config_memo(environ) == str(paths.cache_dir(environ) / "config.json"), environ


# -- the remembered config.toml (flows/cached.py) ---------------------------------------------

def _settled(now_offset_s: float = 10.0) -> int:
    import time

    return time.time_ns() + int(now_offset_s * 1e9)


def test_a_settled_config_is_remembered_and_a_change_is_seen():
    from oauth2cli.flows import cached

    path = _write_config('[profiles.work]\nleeway = 30\n')
    environ = dict(os.environ)
    assert cached.read_config(environ)["profiles"]["work"]["leeway"] == 30
    memo = Path(cached.config_memo(environ))
    assert not memo.exists()  # just written: not remembered yet (its stamp could repeat)
    assert cached.read_config(environ, now_ns=_settled())["profiles"]["work"]["leeway"] == 30
    assert memo.exists() and memo.stat().st_mode & 0o777 == 0o600
    path.write_text('[profiles.work]\nleeway = 45\n')  # same size, new change time
    assert cached.read_config(environ, now_ns=_settled())["profiles"]["work"]["leeway"] == 45
    path.write_text('[profiles.work\n')
    assert cached.read_config(environ, now_ns=_settled()) is None  # broken: not remembered, not served
    assert json.loads(memo.read_text())["config"]["profiles"]["work"]["leeway"] == 45


def test_a_corrupt_memo_or_a_value_json_cannot_hold_is_parsed_afresh():
    from oauth2cli.flows import cached

    _write_config('[profiles.work]\nsince = 2024-01-01\n')
    environ = dict(os.environ)
    memo = Path(cached.config_memo(environ))
    memo.parent.mkdir(parents=True, exist_ok=True)
    memo.write_text("{not json")
    config = cached.read_config(environ, now_ns=_settled())
    assert str(config["profiles"]["work"]["since"]) == "2024-01-01"
    assert memo.read_text() == "{not json"  # a TOML date has no JSON form: nothing remembered


def test_a_cached_token_with_a_remembered_config_loads_only_json(monkeypatch):
    """With the memo warm, `oauth2 token PROFILE` (file store) needs no tomllib, typing or pathlib."""
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.flows import cached

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    _write_config('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + 3600))
    stdout, _, code, modules = run_entry("token", "work")
    assert (stdout, code) == ("cached-token\n", 0)
    assert "click" not in modules  # served before click even with a config too fresh to remember
    cached.read_config(dict(os.environ), now_ns=_settled())
    stdout, _, code, modules = run_entry("token", "work")
    assert (stdout, code) == ("cached-token\n", 0)
    assert lean_violations(modules) == []


def test_a_bundle_from_the_environment_is_read_at_the_first_handshake(tmp_path):
    import trustme

    from oauth2cli.core.errors import ConfigError
    from oauth2cli.transport.http import LazyTrust, TransportOptions, ssl_context

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


def test_a_piped_call_loads_httpx_without_its_cli_rich_or_a_ca_bundle(monkeypatch, tmp_path):
    """`oauth2 call -p P URL | ...` to a loopback API: httpx, but not httpx._main, rich or pygments
    (rich only draws on a terminal), and no CA certificate is read for plain http."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    class Api(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = json.dumps({"auth": self.headers.get("Authorization")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")  # as many machines set it
    _write_config(f'[profiles.api]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\nurls = ["{base}"]\n')
    Deps(environ=dict(os.environ)).store.save_tokens("api", TokenSet("call-token", expires_at=time.time() + 3600))
    probe = LOADED_PROBE.replace(
        'sys.stderr.write("\\nLOADED="',
        'import gc, ssl\n'
        'stores = [c.cert_store_stats()["x509_ca"] for c in gc.get_objects() if isinstance(c, ssl.SSLContext)]\n'
        'sys.stderr.write("\\nCA=" + json.dumps(stores))\n'
        'sys.stderr.write("\\nLOADED="')
    try:
        proc = subprocess.run([sys.executable, "-c", probe, json.dumps(["call", "-p", "api", base])],
                              capture_output=True, text=True, timeout=60)
    finally:
        httpd.shutdown()
    assert json.loads(proc.stdout) == {"auth": "Bearer call-token"}, proc.stderr
    modules = json.loads(proc.stderr.rpartition("\nLOADED=")[2])["modules"]
    assert "httpx" in modules
    assert [m for m in modules if m == "httpx._main" or m.split(".")[0] in ("rich", "pygments")] == []
    stores = json.loads(proc.stderr.split("\nCA=")[1].split("\n")[0])
    assert stores and set(stores) == {0}, stores

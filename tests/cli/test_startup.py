"""Startup stays light: the heavy libraries load only in the code that needs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.startup import LOADED_PROBE, write_config

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


def test_the_probe_can_see_a_heavy_import(monkeypatch):
    # A command that talks to a server through a proxy does load httpx: the probe is not blind.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
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
    (["token", "work"], {"OAUTH2_SCOPE": "other"}),  # an OAUTH2_* variable is read as its option is
    (["--store", "file", "token", "work"], {}),
], ids=["an-option", "an-env-flag", "a-root-option"])
def test_more_options_are_read_by_the_option_tables_parser_without_click(monkeypatch, tmp_path, argv, env):
    _cached_profile(monkeypatch, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stdout, stderr = _entry(*argv)
    assert "CLICK=False" in stderr
    assert "cached-token" in stdout, stderr


def test_a_stale_token_is_the_one_pipelines_error_without_click(monkeypatch, tmp_path):
    # Expired, no refresh token: the use case says what to do, whichever parser read the line.
    _cached_profile(monkeypatch, tmp_path, expires_in=-10)
    stdout, stderr = _entry("token", "work")
    assert stdout == "" and "CLICK=False" in stderr
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


def test_a_piped_call_loads_httpx_without_its_cli_rich_or_a_ca_bundle(monkeypatch, tmp_path):
    """`oauth2 call -L -p P URL | ...` to a loopback API with a proxy in the environment (which only
    httpx honours; NO_PROXY lets it go direct): httpx, but not httpx._main, rich or pygments (rich
    only draws on a terminal), and no CA certificate is read for plain http."""
    import os
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from tests.support.loopback_http import LoopbackServer, QuietHandler

    class Api(QuietHandler):
        def do_GET(self):  # noqa: N802
            self.reply(200, {"auth": self.headers.get("Authorization")})

    server = LoopbackServer(Api).start()
    base = server.url("/")
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")  # as many machines set it
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    write_config(f'[profiles.api]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\nurls = ["{base}"]\n')
    Deps(environ=dict(os.environ)).store.save_tokens("api", TokenSet("call-token", expires_at=time.time() + 3600))
    probe = LOADED_PROBE.replace(
        'import json\n',
        'import gc, json, ssl\n'
        'stores = [c.cert_store_stats()["x509_ca"] for c in gc.get_objects() if isinstance(c, ssl.SSLContext)]\n'
        'sys.stderr.write("\\nCA=" + json.dumps(stores))\n')
    try:
        proc = subprocess.run([sys.executable, "-c", probe, "call", "-L", "-p", "api", base],
                              capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert json.loads(proc.stdout) == {"auth": "Bearer call-token"}, proc.stderr
    modules = json.loads(proc.stderr.rpartition("\nLOADED=")[2])["modules"]
    assert "httpx" in modules
    assert [m for m in modules if m == "httpx._main" or m.split(".")[0] in ("rich", "pygments")] == []
    stores = json.loads(proc.stderr.split("\nCA=")[1].split("\n")[0])
    assert stores and set(stores) == {0}, stores


def test_the_call_use_case_imports_no_click_and_nothing_of_cli():
    """commands/ sits below cli/: `oauth2 call`'s use case loads neither click nor a cli module, nor
    httpx, rich, keyring or joserfc (those come only for what needs them)."""
    code = ("import sys\nimport oauth2cli.commands.call, oauth2cli.commands.call_options, oauth2cli.commands.call_output, "
            "oauth2cli.commands.call_curl, oauth2cli.flows.call.call, oauth2cli.flows.call.call_profile, oauth2cli.transport.client\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'httpx', 'rich', 'keyring', 'joserfc')"
            " or m.startswith('oauth2cli.cli')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# -- the store's lean view of a profile (oauth2cli/store/view.py) -------------------------------

VIEW_PROBE = """
import sys
before = set(sys.modules)
import oauth2cli.store.view, oauth2cli.store.lock, oauth2cli.store.presets
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_the_stores_lean_view_imports_nothing_python_has_not_loaded():
    """Every command reads its profile through store/view.py: importing it (and the lock and the
    presets it may need) loads no pathlib, typing, json, tomllib, keyring or click, and none of
    the store's full-path modules (the Store, config.py, paths.py, the secret stores)."""
    from tests.support.startup import STORE_LEAN

    proc = subprocess.run([sys.executable, "-c", VIEW_PROBE], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    loaded = proc.stdout.split()
    ours = {m for m in loaded if m.startswith("oauth2cli")}
    assert ours <= set(STORE_LEAN) | {"oauth2cli", "oauth2cli.core", "oauth2cli.core.expiry", "oauth2cli.core.jsonlite"}, ours
    assert {m for m in loaded if not m.startswith("oauth2cli")} <= {"__future__"}, loaded


# -- the lean dispatch: the option table's parser and a click-free use case (cmdline/, commands/) ---

# What each command line must not import on the lean dispatch, beyond click. A use case that talks
# to a server may load the transport's HTTP stack; printing to a pipe never loads rich, and the
# file store never loads keyring. (typing and dataclasses still come with the store and
# flows/settings.py, whose lean forms are the view and grants pieces' work.)
LOCAL = ("click", "rich", "keyring", "httpx", "joserfc", "cryptography")
NETWORK = ("click", "rich", "keyring", "joserfc", "cryptography")
LEAN_CASES = [
    (["status"], LOCAL), (["profile", "list"], LOCAL), (["profile", "show", "work"], LOCAL),
    (["userinfo", "work"], NETWORK), (["introspect", "work"], NETWORK), (["revoke", "work", "a-token"], NETWORK),
    (["refresh", "work"], NETWORK), (["discover", "http://127.0.0.1:9"], NETWORK),
    (["exec", "-p", "work", "--", "true"], NETWORK), (["git-credential", "get"], NETWORK),
    (["kube-credential", "work"], NETWORK),
]


def _lean_probe(argv, stdin=""):
    proc = subprocess.run([sys.executable, "-c", LOADED_PROBE, *argv], input=stdin, capture_output=True, text=True,
                          timeout=60)
    report = json.loads(proc.stderr.rpartition("\nLOADED=")[2])
    return proc, report["modules"]


@pytest.mark.parametrize("argv,forbidden", LEAN_CASES, ids=[" ".join(a) for a, _ in LEAN_CASES])
def test_the_lean_dispatch_imports_no_click(monkeypatch, tmp_path, argv, forbidden):
    """Each runs its use case (commands/) from the lean parser's reading: what it prints is the use
    case's (tests of each command check that), and none of these modules is loaded."""
    # Expired, no refresh token: no fast path answers, so each line reaches the lean dispatch.
    _cached_profile(monkeypatch, tmp_path, expires_in=-10)
    monkeypatch.setenv("OAUTH2_TIMEOUT", "2")
    proc, modules = _lean_probe(argv, stdin="protocol=https\nhost=git.example.com\n\n")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "oauth2cli.cmdline.parse" in modules and any(m.startswith("oauth2cli.commands.") for m in modules)
    loaded = sorted({m.split(".")[0] for m in modules} & set(forbidden))
    assert loaded == [], (loaded, proc.stderr)


def test_a_local_command_answers_on_the_lean_dispatch(monkeypatch, tmp_path):
    _cached_profile(monkeypatch, tmp_path)
    proc, modules = _lean_probe(["profile", "list"])
    assert proc.stdout.splitlines() == ["name\tdefault\tpreset\tserver\tclient id", "work\t\t\t\tcli"]
    assert "click" not in modules


def test_help_and_doubts_still_go_to_click(monkeypatch, tmp_path):
    _cached_profile(monkeypatch, tmp_path)
    for argv in (["status", "--help"], ["status", "--nope"], ["profile"], ["call", "-p", "work", "--help"]):
        proc, modules = _lean_probe(argv)
        assert "click" in modules, argv
    proc, _ = _lean_probe(["status", "--nope"])
    assert json.loads(proc.stderr.rpartition("\nLOADED=")[2])["code"] == 2
    assert "Error: No such option '--nope'." in proc.stderr

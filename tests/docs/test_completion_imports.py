"""A TAB is cheap and harmless: no httpx, rich, keyring, joserfc; no network; no keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oauth2cli.cli.params import preset_names

HEAVY = ["httpx", "rich", "keyring", "joserfc", "cryptography", "tomlkit"]

# Runs `oauth2` the way a completion script does, with sockets booby-trapped.
PROBE = """
import json, socket, sys
def refuse(*a, **k):
    raise AssertionError("a TAB opened a socket")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
import oauth2cli.cli
try:
    oauth2cli.cli.main()
except SystemExit:
    pass
sys.stderr.write("LOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
"""


@pytest.fixture
def config(isolate: Path) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('default = "work"\n[profiles.work]\nissuer = "https://id.example"\n[profiles.ci]\nclient_id = "x"\n')
    return path


def complete(words: str, cword: int, shell: str = "bash") -> tuple[list[str], list[str], str]:
    env = dict(os.environ, _OAUTH2_COMPLETE=f"{shell}_complete", COMP_WORDS=words, COMP_CWORD=str(cword),
               # A keyring backend that fails loudly if anything asks it.
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=30)
    loaded = [l for l in proc.stderr.splitlines() if l.startswith("LOADED=")]
    assert loaded, proc.stderr
    return proc.stdout.splitlines(), json.loads(loaded[-1][len("LOADED="):]), proc.stderr


@pytest.mark.parametrize("words,cword,expect", [
    ("oauth2 token ", 2, ["plain,ci", "plain,work"]),
    ("oauth2 revoke w", 2, ["plain,work"]),
    ("oauth2 token --grant cl", 3, ["plain,client_credentials"]),
    ("oauth2 token --client-secret-file ", 3, ["file,"]),
    ("oauth2 to", 1, ["plain,token"]),
    ("oauth2 call --", 2, None),
    ("oauth2 -v discover ", 3, None),
], ids=["profiles", "profile-prefix", "grant", "file", "command", "call-options", "discover"])
def test_tab_loads_nothing_heavy_and_touches_no_socket(config, words, cword, expect):
    out, loaded, stderr = complete(words, cword)
    assert "AssertionError" not in stderr, stderr
    assert not set(loaded) & set(HEAVY), set(loaded) & set(HEAVY)
    if expect is not None:
        assert out == expect


def test_probe_sees_heavy_imports_when_a_command_runs(config):
    # Without the completion variables the same probe runs the command: its HTTP client does load.
    env = dict(os.environ)
    env.pop("_OAUTH2_COMPLETE", None)
    proc = subprocess.run([sys.executable, "-c", PROBE.replace("oauth2cli.cli.main()", "oauth2cli.cli.main(['discover', 'http://127.0.0.1:9'])")],
                          env=env, capture_output=True, text=True, timeout=30)
    assert "click" in json.loads(proc.stderr.split("LOADED=")[1])  # the command tree ran
    assert "a TAB opened a socket" in proc.stderr  # and the trap does fire on a connection


def test_presets_are_the_toml_files_in_the_package():
    folder = Path(__file__).resolve().parents[2] / "oauth2cli" / "providers"
    expected = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    assert preset_names() == expected


def test_preset_completion_without_and_with_a_providers_folder(tmp_path, monkeypatch):
    import oauth2cli.cli.params as params

    monkeypatch.setattr(params, "_PROVIDERS", tmp_path / "providers")
    assert params.preset_names() == []
    (tmp_path / "providers").mkdir()
    for name in ("github", "gitlab", "google"):
        (tmp_path / "providers" / f"{name}.toml").write_text("")
    (tmp_path / "providers" / "README.md").write_text("")
    items = params.PRESET.shell_complete(None, None, "gi")
    assert [i.value for i in items] == ["github", "gitlab"]

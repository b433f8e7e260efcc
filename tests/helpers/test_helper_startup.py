"""git and kubectl run their helpers on every fetch and call: with a fresh stored token,
`git-credential get` and `kube-credential` answer before click is imported, and load none of
httpx, rich, keyring, joserfc; with the file store and config.toml's parse remembered, they load no more
than cached `oauth2 token` does plus core/gitcred.py or core/kube.py: no typing, pathlib, json, tomllib,
enum, and of the store package only its lean view (structure guards, not timings; the timings are benchmarks/run)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import pytest

HEAVY = ("click", "httpx", "rich", "keyring", "joserfc", "cryptography")
# What the fresh-token path does without (flows/helpers/helper_view.py), as cached `oauth2 token` does; matching
# git's request against the profiles' `urls` needs urllib.parse, and with it re and enum.
TOML = "tomllib" if sys.version_info >= (3, 11) else "tomli"  # what store/memo.py parses TOML with
# Of the store package only its lean view (tests/support/startup.py's STORE_LEAN) may load.
LEAN = ("typing", "pathlib", "json", TOML, "datetime", "oauth2cli.store.profile_store", "oauth2cli.store.config",
        "oauth2cli.store.paths", "oauth2cli.store.secrets", "oauth2cli.store.filestore", "oauth2cli.store.direct",
        "oauth2cli.store.lock", "oauth2cli.flows.call.call", "oauth2cli.flows.settings", "oauth2cli.core.settings",
        "oauth2cli.core.tokens", "oauth2cli.core.jose")
NO_MATCHING = ("enum", "re", "urllib")
PROBE = """
import sys
heavy, lean, argv = sys.argv[1].split(","), sys.argv[2].split(","), sys.argv[3:]  # no json here: it is watched
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("LOADED=" + ",".join(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))) + "\\n")
sys.stderr.write("LEAN=" + ",".join(sorted(l for l in lean if any(m == l or m.startswith(l + ".") for m in sys.modules))) + "\\n")
sys.stderr.write("CODE=" + str(int(code or 0)) + "\\n")
"""


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


ID_TOKEN = b64({"alg": "RS256"}) + "." + b64({"iss": "https://id.example.com", "exp": int(time.time()) + 3000,
                                             "iat": int(time.time()), "sub": "u"}) + ".c2ln"


@pytest.fixture
def stored(monkeypatch, tmp_path):
    """Profile `work` (openid, urls on git.example.com) with a fresh token set in the file store."""
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    config = tmp_path / "isolated" / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n'
                      'scope = "openid"\nurls = ["https://git.example.com/"]\n')

    def save(expires_in: float = 3600, refresh_token: str | None = None) -> None:
        Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet(
            "cached-access", expires_at=time.time() + expires_in, id_token=ID_TOKEN, refresh_token=refresh_token))

    save()
    from oauth2cli.store import view

    view.read_config(dict(os.environ), now_ns=time.time_ns() + 10**10)  # remembered, as after a first run
    return save


def probe_lean(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[str, list[str], int, str, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), ",".join(LEAN + NO_MATCHING), *argv], input=stdin,
                          capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})
    lines = proc.stderr.splitlines()
    loaded = [m for m in [l for l in lines if l.startswith("LOADED=")][-1][7:].split(",") if m]
    lean = [m for m in [l for l in lines if l.startswith("LEAN=")][-1][5:].split(",") if m]
    code = int([l for l in lines if l.startswith("CODE=")][-1][5:])
    return proc.stdout, loaded, code, "\n".join(l for l in lines if not l.startswith(("LOADED=", "LEAN=", "CODE="))), lean


def probe(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[str, list[str], int, str]:
    return probe_lean(*argv, stdin=stdin, env=env)[:4]


GIT_IN = "protocol=https\nhost=git.example.com\n"
V1BETA1 = json.dumps({"apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {"interactive": False}})


@pytest.mark.parametrize("argv,stdin,env,kind", [
    (["git-credential", "get"], GIT_IN, {}, "git"),
    (["git-credential", "-p", "work", "get"], GIT_IN, {}, "git"),
    (["kube-credential", "work"], "", {}, "id_token"),
    (["kube-credential", "work", "--access-token"], "", {"KUBERNETES_EXEC_INFO": V1BETA1}, "access_token"),
], ids=["git-by-url", "git-p", "kube-id-token", "kube-access-token-v1beta1"])
def test_a_fresh_token_is_answered_before_click_and_like_the_full_path(stored, argv, stdin, env, kind):
    stdout, loaded, code, stderr, lean = probe_lean(*argv, stdin=stdin, env=env)
    assert (code, loaded) == (0, []), stderr
    # as lean as cached `oauth2 token`: the one pipeline (option table, use case, the store's view)
    # with enum for its errors; only matching by URL (no -p) needs urllib.parse (and re)
    assert set(lean) <= set(NO_MATCHING) and ("urllib" in lean) == ("-p" not in argv and kind == "git"), lean
    # the full path (forced by an OAUTH2_* variable, a flag in disguise) gives the same answer: the lean
    # parser's reading of the option table and the command's use case, still without click
    full, full_loaded, full_code, _ = probe(*argv, stdin=stdin, env={**env, "OAUTH2_TIMEOUT": "30"})
    assert full_code == 0 and "click" not in full_loaded
    if kind == "git":
        assert stdout.startswith("username=oauth2\npassword=cached-access\npassword_expiry_utc=")
        assert stdout == full
    else:
        answer, full_answer = json.loads(stdout), json.loads(full)
        assert answer == full_answer
        assert answer["status"]["token"] == (ID_TOKEN if kind == "id_token" else "cached-access")
        assert answer["apiVersion"].endswith("v1beta1" if env else "/v1")


def test_not_ours_is_silent_and_fast(stored):
    stdout, loaded, code, stderr = probe("git-credential", "get", stdin="protocol=https\nhost=other.example.com\n")
    assert (stdout, code, loaded, stderr) == ("", 0, [], "")


@pytest.mark.parametrize("argv,stdin", [
    (["git-credential", "get"], GIT_IN), (["kube-credential", "work"], ""),
], ids=["git", "kube"])
def test_a_stale_token_goes_to_the_full_path_and_says_what_to_do(stored, argv, stdin):
    stored(expires_in=-10)  # expired, no refresh token: the full path (its use case, without click) exits 7
    stdout, loaded, code, stderr = probe(*argv, stdin=stdin)
    assert (stdout, code) == ("", 7) and "click" not in loaded
    assert "oauth2 login work" in stderr


def test_malformed_input_read_by_the_fast_path_reaches_the_full_path_intact(stored):
    # The fast path read stdin; the full path must see the same bytes and name the fault.
    stdout, loaded, code, stderr = probe("git-credential", "get", stdin="protocol https\n")
    assert (stdout, code) == ("", 2) and "is not key=value" in stderr


def test_a_presets_git_username_is_read_once_then_remembered(stored):
    # A preset's settings (providers/github.toml: git_username = "x-access-token") count on the fast path
    # too; its parse is remembered as config.toml's is, so the second run needs no tomllib either.
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import view, xdg

    environ = dict(os.environ)
    config = xdg.config_file(environ)
    with open(config, "a") as f:
        f.write('\n[profiles.gh]\npreset = "github"\nclient_id = "cli"\n')
    view.read_config(environ, now_ns=time.time_ns() + 10**10)
    Deps(environ=environ).store.save_tokens("gh", TokenSet("gh-access", expires_at=time.time() + 3600))
    first, loaded, code, stderr, lean = probe_lean("git-credential", "-p", "gh", "get", stdin=GIT_IN)
    assert (code, loaded) == (0, []) and TOML in lean, stderr
    again, loaded, code, stderr, lean = probe_lean("git-credential", "-p", "gh", "get", stdin=GIT_IN)
    assert (code, loaded, [m for m in lean if m != "enum"]) == (0, [], []), stderr  # enum: the errors'
    full, full_loaded, full_code, _ = probe("git-credential", "-p", "gh", "get", stdin=GIT_IN, env={"OAUTH2_TIMEOUT": "30"})
    assert first == again == full and first.startswith("username=x-access-token\npassword=gh-access\n")
    assert full_code == 0 and "click" not in full_loaded

"""git and kubectl run their helpers on every fetch and call: with a fresh stored token,
`git-credential get` and `kube-credential` answer before click is imported, and load none of
httpx, rich, keyring, joserfc (structure guards, not timings; the timings are benchmarks/run)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import pytest

HEAVY = ("click", "httpx", "rich", "keyring", "joserfc", "cryptography")
PROBE = """
import json, sys
argv, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("LOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))) + "\\n")
sys.stderr.write("CODE=" + str(code) + "\\n")
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
    return save


def probe(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[str, list[str], int, str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(argv)), json.dumps(HEAVY)], input=stdin,
                          capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})
    lines = proc.stderr.splitlines()
    loaded = json.loads([l for l in lines if l.startswith("LOADED=")][-1][7:])
    code = int([l for l in lines if l.startswith("CODE=")][-1][5:])
    return proc.stdout, loaded, code, "\n".join(l for l in lines if not l.startswith(("LOADED=", "CODE=")))


GIT_IN = "protocol=https\nhost=git.example.com\n"
V1BETA1 = json.dumps({"apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {"interactive": False}})


@pytest.mark.parametrize("argv,stdin,env,kind", [
    (["git-credential", "get"], GIT_IN, {}, "git"),
    (["git-credential", "-p", "work", "get"], GIT_IN, {}, "git"),
    (["kube-credential", "work"], "", {}, "id_token"),
    (["kube-credential", "work", "--access-token"], "", {"KUBERNETES_EXEC_INFO": V1BETA1}, "access_token"),
], ids=["git-by-url", "git-p", "kube-id-token", "kube-access-token-v1beta1"])
def test_a_fresh_token_is_answered_before_click_and_like_the_full_path(stored, argv, stdin, env, kind):
    stdout, loaded, code, stderr = probe(*argv, stdin=stdin, env=env)
    assert (code, loaded) == (0, []), stderr
    # the full path (forced by an OAUTH2_* variable, a flag in disguise) gives the same answer, through click
    full, full_loaded, full_code, _ = probe(*argv, stdin=stdin, env={**env, "OAUTH2_TIMEOUT": "30"})
    assert full_code == 0 and "click" in full_loaded
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
    stored(expires_in=-10)  # expired, no refresh token: the probe must see click load and exit 7
    stdout, loaded, code, stderr = probe(*argv, stdin=stdin)
    assert (stdout, code) == ("", 7) and "click" in loaded
    assert "oauth2 login work" in stderr


def test_malformed_input_read_by_the_fast_path_reaches_the_full_path_intact(stored):
    # The fast path read stdin; the full path must see the same bytes and name the fault.
    stdout, loaded, code, stderr = probe("git-credential", "get", stdin="protocol https\n")
    assert (stdout, code) == ("", 2) and "is not key=value" in stderr

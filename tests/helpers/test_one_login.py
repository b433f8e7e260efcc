"""One login for many waiting processes: five kube-credential runs at once on a profile with
no tokens open one browser tab, make one authorization-code grant, and all print a credential."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

from tests.conftest import BROWSER_SCRIPT
from tests.helpers.accounts import store, token_grants
from tests.support.cli import run_cli

RUNS = 5


def counting_browser(tmp_path) -> tuple[str, object]:
    """A $BROWSER that notes each launch, then is the stand-in browser (in the background, like a desktop one)."""
    count = tmp_path / "browser-launches"
    wrapper = tmp_path / "counting-browser"
    wrapper.write_text(f"#!/bin/sh\necho launched >> {shlex.quote(str(count))}\n"
                       f"exec {shlex.quote(sys.executable)} {shlex.quote(str(BROWSER_SCRIPT))} \"$1\"\n")
    wrapper.chmod(0o755)
    return f"{wrapper} %s &", count


def test_five_waiting_kubectl_plugins_share_one_browser_login(provider, tmp_path, monkeypatch):
    added = run_cli("profile", "add", "team", "--issuer", provider.issuer, "--client-id", "public-pkce",
                    "--auth-method", "none", "--scope", "openid offline_access")
    assert added.code == 0, added
    browser, count = counting_browser(tmp_path)
    monkeypatch.setenv("BROWSER", browser)
    monkeypatch.setenv("STANDIN_LOG", str(tmp_path / "browser.jsonl"))
    info = json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1",
                       "spec": {"interactive": True}})
    provider.reset_events()
    procs = [subprocess.Popen([sys.executable, "-m", "oauth2cli", "kube-credential", "team", "--browser-timeout", "60"],
                              env={**os.environ, "KUBERNETES_EXEC_INFO": info}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(RUNS)]
    results = [(p.wait(timeout=180), *p.communicate()) for p in procs]

    assert [code for code, _, _ in results] == [0] * RUNS, results
    assert count.read_text().splitlines() == ["launched"], "more than one browser tab"
    assert len(token_grants(provider, "authorization_code")) == 1
    credentials = [json.loads(out) for _, out, _ in results]
    saved = store().load_tokens("team")
    assert {c["status"]["token"] for c in credentials} == {saved.id_token}
    assert all(c["apiVersion"] == "client.authentication.k8s.io/v1" for c in credentials)
    logins = [err for _, _, err in results if "Opening the browser" in err]
    assert len(logins) == 1 and "Logged in to team" in logins[0]


def test_no_terminal_and_no_browser_exits_7_with_the_command(provider):
    assert run_cli("profile", "add", "team", "--issuer", provider.issuer, "--client-id", "public-pkce",
                   "--auth-method", "none", "--scope", "openid").code == 0
    for args in (["kube-credential", "team"], ["exec", "-p", "team", "--", "true"]):
        result = run_cli(*args)
        assert (result.code, result.stdout) == (7, ""), result
        assert "run `oauth2 login team` in a terminal" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

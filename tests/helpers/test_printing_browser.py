"""Issue #25 row 5: a browser (or its launcher) that prints never reaches our stdout, which carries
only data: `login -o json`'s JSON, git's credential answer (real `git credential fill`), and
kubectl's ExecCredential. The browser is the stand-in, launched by a wrapper that first prints
on its stdout and its stderr, as `firefox` does when a session is already open."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from tests.conftest import BROWSER_SCRIPT
from tests.helpers.accounts import store
from tests.support.cli import run_cli

SAID = "Opening in existing browser session."


@pytest.fixture
def printing_browser(tmp_path, monkeypatch):
    wrapper = tmp_path / "printing-browser"
    wrapper.write_text(f"#!/bin/sh\necho {shlex.quote(SAID)}\necho 'on its stderr' >&2\n"
                       f"exec {shlex.quote(sys.executable)} {shlex.quote(str(BROWSER_SCRIPT))} \"$1\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{wrapper} %s")  # in the foreground: it prints before we go on
    monkeypatch.setenv("STANDIN_LOG", str(tmp_path / "browser.jsonl"))


def team(provider) -> None:
    added = run_cli("profile", "add", "team", "--issuer", provider.issuer, "--client-id", "public-pkce",
                    "--auth-method", "none", "--scope", "openid offline_access")
    assert added.code == 0, added


def test_login_o_json_prints_only_the_json(provider, printing_browser):
    team(provider)
    result = run_cli("login", "team", "-o", "json", "--browser-timeout", "60")
    assert result.code == 0, result
    assert json.loads(result.stdout)["token_type"] == "Bearer"
    assert SAID in result.stderr


def test_real_git_credential_fill_gets_a_clean_answer_after_a_login(provider, printing_browser, oauth2_on_path):
    team(provider)
    subprocess.run(["git", "config", "--global", "credential.https://git.example.com.helper",
                    "!oauth2 git-credential -p team"], check=True)
    fill = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=git.example.com\n\n",
                          capture_output=True, text=True, timeout=120)
    assert fill.returncode == 0, fill.stderr
    assert "invalid credential line" not in fill.stderr
    lines = fill.stdout.splitlines()
    assert lines[:3] == ["protocol=https", "host=git.example.com", "username=oauth2"]
    assert f"password={store().load_tokens('team').access_token}" in lines


def test_kube_credential_prints_only_the_exec_credential(provider, printing_browser):
    team(provider)
    info = json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1",
                       "spec": {"interactive": True}})
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", "kube-credential", "team", "--browser-timeout", "60"],
                          env={**os.environ, "KUBERNETES_EXEC_INFO": info}, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    credential = json.loads(proc.stdout)
    assert credential["status"]["token"] == store().load_tokens("team").id_token
    assert SAID in proc.stderr

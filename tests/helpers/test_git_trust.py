"""Issue #25 rows 2 (git's part), 3 and 4: git gets an answer only for what it asked, through real
git (`git credential fill` runs our helper) and the helper run as git runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.test_git_credential import git_config, helper, profile
from tests.support.cli import assert_no_traceback, run_cli

needs_git = pytest.mark.skipif(subprocess.run(["which", "git"], capture_output=True).returncode, reason="needs git")

MALFORMED = ["git.example.com#.evil.example", "git.example.com?.x", "evil.example@git.example.com",
             "git.exa\rmple.com", "git.example.com/x", "git.example.com:0", "[::1", "git..example.com"]


@pytest.mark.parametrize("host", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_host_is_refused_with_one_line(host):
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    code, out, err = helper("get", input=f"protocol=https\nhost={host}\n")
    assert (code, out) == (2, ""), err
    from oauth2cli.core.errors import printable

    assert err.splitlines() == [f"oauth2: error: credential helper input has a malformed host {printable(host)!r}; "
                                "git sends a host name or address, with an optional :port"]


@needs_git
def test_real_git_with_a_malformed_host_gets_no_token(oauth2_on_path):
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    subprocess.run(["git", "config", "--global", "credential.helper", "!oauth2 git-credential"], check=True)
    fill = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=evil.example@git.example.com\n\n",
                          capture_output=True, text=True, timeout=60)
    assert "tok-work" not in fill.stdout + fill.stderr
    assert "malformed host 'evil.example@git.example.com'" in fill.stderr
    good = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=git.example.com\n\n",
                          capture_output=True, text=True, timeout=60)
    assert "password=tok-work" in good.stdout, good.stderr


@needs_git
def test_use_http_path_dot_segments_do_not_leave_the_team(oauth2_on_path):
    profile("team", "tok-team", ("urls", "https://git.example.com/team/"))
    subprocess.run(["git", "config", "--global", "credential.helper", "!oauth2 git-credential"], check=True)
    subprocess.run(["git", "config", "--global", "credential.useHttpPath", "true"], check=True)
    for path in ("team/../other/repo.git", "team/%2e%2e/other/repo.git", "team%2f..%2fother/repo.git"):
        code, out, err = helper("get", input=f"protocol=https\nhost=git.example.com\npath={path}\n")
        assert (code, out, err) == (0, "", ""), (path, err)
    fill = subprocess.run(["git", "credential", "fill"],
                          input="url=https://git.example.com/team/repo.git\n\n", capture_output=True, text=True,
                          timeout=60)
    assert "password=tok-team" in fill.stdout, fill.stderr


def test_plain_http_is_answered_only_for_loopback():
    profile("work", "tok-work")
    code, out, err = helper("-p", "work", "get", input="protocol=http\nhost=git.example.com\n")
    assert (code, out) == (0, "")
    assert err.splitlines() == ["oauth2: not answering for http://git.example.com: a token goes over https only "
                                "(plain http to loopback hosts alone)"]
    code, out, err = helper("-p", "work", "get", input="protocol=http\nhost=127.0.0.1:8080\n")
    assert code == 0 and "password=tok-work" in out, err


@needs_git
def test_setup_git_refuses_plain_http_that_is_not_loopback(oauth2_on_path):
    profile("work", "tok-work")
    result = run_cli("setup-git", "work", "--host", "http://git.example.com")
    assert result.code == 1, result
    assert result.stderr.splitlines() == [
        "oauth2: error: --host 'http://git.example.com' is plain http://: git would send the token unencrypted; "
        "use https:// (plain http is for loopback hosts only)"]
    assert git_config("--global", "--get-regexp", "credential") == []
    assert_no_traceback(result)
    local = run_cli("setup-git", "work", "--host", "http://127.0.0.1:3000")
    assert local.code == 0, local


@needs_git
def test_setup_git_under_umask_000_leaves_gitconfig_not_writable_by_others(oauth2_on_path, tmp_path):
    import os
    import stat
    import sys

    profile("work", "tok-work")
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", "setup-git", "work", "--host", "https://git.example.com"],
                          capture_output=True, text=True, env=dict(os.environ), preexec_fn=lambda: os.umask(0),
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    gitconfig = Path(os.environ["HOME"]) / ".gitconfig"
    assert stat.S_IMODE(gitconfig.stat().st_mode) == 0o644


def test_kube_credential_answers_only_for_a_cluster_within_the_profiles_urls():
    import json

    profile("kube", "tok-kube", ("urls", "https://k8s.example.com:6443/"), ("scope", "api"))
    def info(server):
        return json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1",
                           "spec": {"interactive": False, "cluster": {"server": server}}})
    refused = run_cli("kube-credential", "kube", env={"KUBERNETES_EXEC_INFO": info("https://evil.example:6443")})
    assert (refused.code, refused.stdout) == (1, ""), refused
    assert refused.stderr.splitlines() == [
        "oauth2: error: the token of profile 'kube' may only go to https://k8s.example.com:6443/; kubectl asks for "
        "https://evil.example:6443; add the server with `oauth2 profile set kube url https://evil.example:6443`"]
    ok = run_cli("kube-credential", "kube", env={"KUBERNETES_EXEC_INFO": info("https://K8S.example.com:6443")})
    assert ok.code == 0 and json.loads(ok.stdout)["status"]["token"] == "tok-kube", ok

"""`oauth2 git-credential` as git calls it, `oauth2 setup-git`, and what bad input gets.

Real processes, a real store; the tokens are stored fresh, so no server is involved (the
git-against-a-server story is tests/helpers/test_git_clone.py)."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli


def profile(name: str, token: str, *settings: tuple[str, str], expires_in: float = 3600):
    from oauth2cli.core.tokens import TokenSet

    added = run_cli("profile", "add", name, "--token-url", "http://127.0.0.1:9/token", "--client-id", "cli")
    assert added.code == 0, added
    for key, value in settings:
        assert run_cli("profile", "set", name, key, value).code == 0
    store().save_tokens(name, TokenSet(token, expires_at=time.time() + expires_in, refresh_token="rt-" + name))


def helper(*args: str, input: str | bytes):
    if isinstance(input, bytes):  # binary junk: run by hand, bytes in
        import os
        import sys

        proc = subprocess.run([sys.executable, "-m", "oauth2cli", "git-credential", *args], input=input,
                              capture_output=True, env=dict(os.environ), timeout=60)
        return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
    result = run_cli("git-credential", *args, input=input)
    return result.code, result.stdout, result.stderr


def answer(stdout: str) -> dict:
    return dict(line.split("=", 1) for line in stdout.splitlines())


def test_get_by_url_match_without_a_blank_line_as_git_sends_it():
    # git closes stdin after the attributes and sends no blank line (run_credential_helper in credential.c).
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    profile("other", "tok-other", ("urls", "https://api.example.com/"))
    code, out, err = helper("get", input="protocol=https\nhost=git.example.com\n")
    assert (code, err) == (0, ""), err
    got = answer(out)
    assert got["username"] == "oauth2" and got["password"] == "tok-work"
    assert abs(int(got["password_expiry_utc"]) - (time.time() + 3600)) < 60


def test_port_and_path_matter_when_given():
    profile("p8443", "tok-8443", ("urls", "https://git.example.com:8443/team/"))
    assert helper("get", input="protocol=https\nhost=git.example.com\n\n")[1] == ""  # other port
    assert answer(helper("get", input="protocol=https\nhost=git.example.com:8443\n\n")[1])["password"] == "tok-8443"
    # with credential.useHttpPath git sends the path, and then it must be under the profile's path
    assert helper("get", input="protocol=https\nhost=git.example.com:8443\npath=other/x.git\n\n")[1] == ""
    hit = helper("get", input="protocol=https\nhost=git.example.com:8443\npath=team/x.git\n\n")
    assert answer(hit[1])["password"] == "tok-8443"


@pytest.mark.parametrize("given", [
    "protocol=https\nhost=elsewhere.example.com\n\n",  # no profile claims it
    "protocol=http\nhost=git.example.com\n\n",  # another scheme is another origin
    "protocol=https\nhost=git.example.com\nusername=somebody\n\n",  # someone else's credential
    "protocol=smtp\nhost=git.example.com\n\n",
], ids=["other-host", "other-scheme", "other-user", "smtp"])
def test_nothing_printed_when_not_ours_so_git_asks_its_next_helper(given):
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    assert helper("get", input=given) == (0, "", "")


def test_the_preset_and_the_profile_name_the_username():
    from oauth2cli.core.tokens import TokenSet

    added = run_cli("profile", "add", "gh", "--preset", "github", "--client-id", "Iv1.x")
    assert added.code == 0, added
    store().save_tokens("gh", TokenSet("gho_x", expires_at=time.time() + 3600))
    assert answer(helper("-p", "gh", "get", input="protocol=https\nhost=github.com\n")[1])["username"] == "x-access-token"
    assert run_cli("profile", "set", "gh", "git_username", "octocat").code == 0
    assert answer(helper("-p", "gh", "get", input="protocol=https\nhost=github.com\n")[1])["username"] == "octocat"


def test_erase_expires_the_token_store_changes_nothing_unknown_actions_are_ignored():
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    before = store().load_tokens("work")
    for action in ("store", "capability", "frobnicate"):
        assert helper(action, input="protocol=https\nhost=git.example.com\nusername=oauth2\npassword=tok-work\n") \
            == (0, "", "")
    assert store().load_tokens("work") == before
    # a password that is not the stored token (already replaced) erases nothing
    assert helper("erase", input="protocol=https\nhost=git.example.com\npassword=older\n")[0] == 0
    assert store().load_tokens("work") == before
    code, out, err = helper("erase", input="protocol=https\nhost=git.example.com\npassword=tok-work\n")
    assert (code, out) == (0, "") and "refused the access token of profile 'work'" in err
    after = store().load_tokens("work")
    assert after.expires_at < time.time() and after.refresh_token == before.refresh_token


@pytest.mark.parametrize("data,says", [
    (b"protocol https\nhost example.com\n\n", "is not key=value"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte"),
    (b"protocol=https\nhost=\xff\xfe\n\n", "not UTF-8"),
    (b"protocol=https\npath=x.git\n\n", "no host= line"),
    (b"host=git.example.com\n\n", "no protocol= line"),
    (b"protocol=https\nhost=git.example.com:99999\n\n", "malformed host"),
    (b"", "no host= line"),
], ids=["no-equals", "binary", "not-utf8", "missing-host", "missing-protocol", "bad-port", "empty"])
def test_malformed_input_one_line_exit_2_nothing_on_stdout(data, says):
    profile("work", "tok-work", ("urls", "https://git.example.com/"))
    for args in (("get",), ("-p", "work", "get"), ("erase",)):
        code, out, err = helper(*args, input=data)
        assert (code, out) == (2, ""), (args, code, out, err)
        assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_unknown_profile_and_ambiguous_match():
    code, out, err = helper("-p", "nope", "get", input="protocol=https\nhost=git.example.com\n")
    assert (code, out) == (1, "") and "unknown profile 'nope'" in err and len(err.splitlines()) == 1
    profile("a", "tok-a", ("urls", "https://git.example.com/"))
    profile("b", "tok-b", ("urls", "https://git.example.com/"))
    code, out, err = helper("get", input="protocol=https\nhost=git.example.com\n")
    assert (code, out) == (1, "") and "profiles a, b all claim https://git.example.com" in err


def test_no_token_and_nobody_to_ask_exits_7_with_the_command_to_run():
    assert run_cli("profile", "add", "fresh", "--token-url", "http://127.0.0.1:9/token", "--client-id", "cli").code == 0
    code, out, err = helper("-p", "fresh", "get", input="protocol=https\nhost=git.example.com\n")
    assert (code, out) == (7, "")
    assert "`oauth2 login fresh`" in err and len(err.strip().splitlines()) == 1


# -- setup-git, and status ------------------------------------------------------------

def git_config(*args: str) -> list[str]:
    proc = subprocess.run(["git", "config", *args], capture_output=True, text=True)
    return proc.stdout.splitlines()


@pytest.mark.skipif(subprocess.run(["which", "git"], capture_output=True).returncode, reason="needs git")
def test_setup_git_writes_once_removes_and_status_shows_it(oauth2_on_path, tmp_path):
    profile("work", "tok-work")
    key = "credential.https://git.example.com.helper"
    first = run_cli("setup-git", "work", "--host", "https://git.example.com/")
    assert first.code == 0 and first.stdout == "" and "set credential.https://git.example.com.helper" in first.stderr
    assert git_config("--global", "--get-all", key) == ["", "!oauth2 git-credential -p work"]
    again = run_cli("setup-git", "work", "--host", "git.example.com")
    assert again.code == 0 and "nothing changed" in again.stderr
    assert git_config("--global", "--get-all", key) == ["", "!oauth2 git-credential -p work"]

    status = run_cli("status")
    assert "git asks work for: https://git.example.com" in status.stderr, status
    assert '"git_hosts": [\n        "https://git.example.com"' in run_cli("status", "--json").stdout

    # what git itself now does with it: `git credential fill` runs our helper
    fill = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=git.example.com\n\n",
                          capture_output=True, text=True, timeout=60)
    assert "password=tok-work" in fill.stdout, fill.stderr

    # another profile for the same host replaces the first, and says so
    profile("team", "tok-team")
    switched = run_cli("setup-git", "team", "--host", "https://git.example.com")
    assert "it replaces '!oauth2 git-credential -p work'" in switched.stderr, switched
    assert git_config("--global", "--get-all", key) == ["", "!oauth2 git-credential -p team"]
    assert run_cli("setup-git", "work", "--host", "https://git.example.com").code == 0

    removed = run_cli("setup-git", "work", "--host", "https://git.example.com", "--remove")
    assert removed.code == 0 and "removed" in removed.stderr
    assert git_config("--global", "--get-all", key) == []
    assert "nothing to remove" in run_cli("setup-git", "work", "--host", "https://git.example.com", "--remove").stderr


@pytest.mark.skipif(subprocess.run(["which", "git"], capture_output=True).returncode, reason="needs git")
def test_setup_git_local_and_its_errors(oauth2_on_path, tmp_path, monkeypatch):
    profile("work", "tok-work")
    (tmp_path / "no-repo").mkdir()
    monkeypatch.chdir(tmp_path / "no-repo")
    outside = run_cli("setup-git", "work", "--host", "https://git.example.com", "--local")
    assert outside.code == 1 and len(outside.stderr.splitlines()) == 1 and "git config failed" in outside.stderr
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    monkeypatch.chdir(tmp_path / "repo")
    local = run_cli("setup-git", "work", "--host", "https://git.example.com", "--local")
    assert local.code == 0 and "the local git config" in local.stderr
    assert git_config("--local", "--get-all", "credential.https://git.example.com.helper")[-1] == \
        "!oauth2 git-credential -p work"
    assert git_config("--global", "--get-all", "credential.https://git.example.com.helper") == []
    for bad, says in ((["nope", "--host", "https://x"], "unknown profile 'nope'"),
                      (["work", "--host", "ftp://x"], "is not an http(s) URL")):
        result = run_cli("setup-git", *bad)
        assert result.code == 1 and says in result.stderr and len(result.stderr.splitlines()) == 1, result
        assert_no_traceback(result)

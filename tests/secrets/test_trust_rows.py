"""Issue #25 rows 12 and 13 through the real command: `exec --env` refuses the names a loader or a
shell reads (nothing runs, the token goes nowhere), and the crash cases are one line, exit 1 or 2."""

from __future__ import annotations

import pytest

from tests.call.conftest import fake_tokens, make_profile, oauth2


@pytest.mark.parametrize("name", ["LD_PRELOAD", "DYLD_INSERT_LIBRARIES", "PATH", "BASH_ENV", "ENV", "IFS",
                                  "PYTHONSTARTUP", "NODE_OPTIONS", "ld_library_path"])
def test_exec_env_refuses_what_a_loader_or_shell_reads(name, tmp_path):
    make_profile("work", fake_tokens("work-token"))
    marker = tmp_path / "ran"
    result = oauth2("exec", "-p", "work", "--env", name, "--", "sh", "-c", f"touch {marker}")
    assert (result.code, result.stdout) == (1, b""), result
    assert result.stderr.splitlines() == [
        f"oauth2: error: --env {name} is read by a shell, a dynamic loader or a runtime, which would run or print "
        "the token; name a variable of your own, e.g. --env API_TOKEN"]
    assert not marker.exists()


def test_exec_env_takes_a_name_of_your_own():
    make_profile("work", fake_tokens("work-token"))
    result = oauth2("exec", "-p", "work", "--env", "API_TOKEN", "--", "sh", "-c", 'printf %s "$API_TOKEN"')
    assert (result.code, result.stdout) == (0, b"work-token"), result


LONG = "p" * 300


@pytest.mark.parametrize("args", [
    ["token", LONG], ["login", LONG], ["call", "-p", LONG, "https://api.example/x"], ["kube-credential", LONG],
    ["exec", "-p", LONG, "--", "true"],
    ["call", "-L", "-H", "X: é", "http://127.0.0.1:9/"],
    ["call", "-L", "http://127.0.0.1:9/a\nb"],
    ["call", "-H", "X: a\rb", "http://127.0.0.1:9/"],
], ids=["token-long", "login-long", "call-long", "kube-long", "exec-long", "header-non-ascii", "url-newline",
        "header-cr"])
def test_no_crash_one_line_exit_1_or_2(args):
    result = oauth2(*args)
    assert result.code in (1, 2), result
    assert "unexpected error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, result

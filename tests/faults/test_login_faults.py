"""Faults around a login's code exchange: a store that cannot take the answer stops the login
before the browser opens; a 429 with a short Retry-After is asked once more (it proves the
code was not spent)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.faults.conftest import add_profile, fill, one_line, snapshot, stored_refresh_token
from tests.support.cli import assert_no_traceback, run_cli


def test_a_code_exchange_answered_429_is_sent_once_more(provider, proxy, file_store, standin_browser):
    add_profile(provider, proxy, "busy")
    proxy.rule("/token", "status", status=429, headers=(("Retry-After", "1"),))

    result = run_cli("login", "busy")

    assert result.code == 0, result
    assert_no_traceback(result)
    assert "oauth2: the token endpoint answered 429; trying again in 1 s" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1].startswith("Logged in to busy"), result
    assert proxy.requests_to("/token") == 2
    assert stored_refresh_token("busy")
    again = run_cli("token", "busy", "--min-ttl", "0")
    assert again.code == 0 and again.stdout.strip(), again


def test_a_full_store_stops_a_login_before_the_browser_opens(provider, proxy, mounts, file_store, standin_browser):
    data = mounts.tmpfs(Path(os.environ["XDG_DATA_HOME"]))
    add_profile(provider, proxy, "nospace")
    filler = fill(data)
    before = snapshot(file_store)

    result = run_cli("login", "nospace")

    line = one_line(result)
    assert result.code == 1, result
    assert line.startswith(f"oauth2: error: cannot write the secret file {file_store / 'nospace.json'}: "
                           "No space left on device; nothing was sent to the server"), line
    assert standin_browser.visits() == [] and proxy.requests_to("/token") == 0
    assert snapshot(file_store) == before

    filler.unlink()
    again = run_cli("login", "nospace")
    assert again.code == 0, again
    assert stored_refresh_token("nospace")

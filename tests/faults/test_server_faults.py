"""The token endpoint misbehaves (through the fault proxy): dropped, cut after the server
acted, 500, 503/429 with Retry-After, hanging. One stderr line, the store's bytes unchanged,
and a later `token` works, except where the server processed a rotation whose answer never
arrived (the residual window the README names)."""

from __future__ import annotations

import os

from tests.faults.conftest import (
    add_profile,
    log_in,
    one_line,
    snapshot,
    stored_refresh_token,
    wait_until_expired,
)
from tests.support.cli import assert_no_traceback, run_cli


def expired_profile(provider, proxy, name):
    add_profile(provider, proxy, name)
    old = log_in(provider, name)
    wait_until_expired(old)
    return old


def later_token_works(name: str, old) -> None:
    again = run_cli("token", name)
    assert again.code == 0 and again.stdout.strip(), again
    assert_no_traceback(again)
    assert stored_refresh_token(name) not in (None, old.refresh_token)


def test_a_connection_dropped_before_the_server_saw_it_keeps_the_login(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "drop")
    before = snapshot(file_store)
    proxy.rule("/token", "drop_before")
    result = run_cli("token", "drop")
    line = one_line(result)
    assert result.code == 6, result
    assert line.startswith("oauth2: error: "), line
    assert snapshot(file_store) == before
    later_token_works("drop", old)


def test_a_hanging_token_endpoint_times_out_and_keeps_the_login(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "hang")
    before = snapshot(file_store)
    proxy.rule("/token", "hang")
    result = run_cli("token", "hang", "--timeout", "2")
    line = one_line(result)
    assert result.code == 6, result
    assert "answer from 127.0.0.1:" in line and "within 2 s" in line, line
    assert snapshot(file_store) == before
    later_token_works("hang", old)


def test_a_500_keeps_the_login(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "five")
    before = snapshot(file_store)
    proxy.rule("/token", "status", status=500)
    result = run_cli("token", "five")
    line = one_line(result)
    assert result.code == 3, result
    assert "500" in line or "temporarily_unavailable" in line, line
    assert proxy.requests_to("/token") == 1  # a 500 is not retried: it may have been processed
    assert snapshot(file_store) == before
    later_token_works("five", old)


def test_a_503_with_a_short_retry_after_is_retried_once(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "busy")
    proxy.rule("/token", "status", status=503, headers=(("Retry-After", "1"),))
    result = run_cli("token", "busy")
    assert result.code == 0 and result.stdout.strip(), result
    assert_no_traceback(result)
    assert result.stderr == "oauth2: the token endpoint answered 503; trying again in 1 s\n", result
    assert proxy.requests_to("/token") == 2
    assert stored_refresh_token("busy") not in (None, old.refresh_token)


def test_a_429_is_retried_only_once(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "slow")
    before = snapshot(file_store)
    proxy.rule("/token", "status", status=429, headers=(("Retry-After", "1"),), times=2)
    result = run_cli("token", "slow")
    assert result.code == 3, result
    assert proxy.requests_to("/token") == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "oauth2: the token endpoint answered 429; trying again in 1 s", result
    assert len(lines) == 2 and lines[1].startswith("oauth2: error: "), result
    assert_no_traceback(result)
    assert snapshot(file_store) == before
    later_token_works("slow", old)


def test_a_long_retry_after_is_not_waited_for(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "long")
    proxy.rule("/token", "status", status=503, headers=(("Retry-After", "30"),))
    result = run_cli("token", "long")
    one_line(result)
    assert result.code == 3 and proxy.requests_to("/token") == 1, result
    later_token_works("long", old)


def test_an_answer_held_back_still_lands(provider, proxy, file_store):
    old = expired_profile(provider, proxy, "held")
    proxy.rule("/token", "hold_after", seconds=1.0)
    result = run_cli("token", "held")
    assert result.code == 0, result
    assert stored_refresh_token("held") not in (None, old.refresh_token)


def test_a_connection_cut_after_the_server_rotated_is_the_one_unavoidable_loss(provider, proxy, file_store):
    """The server spent the refresh token and its answer never arrived: nothing on our side
    can keep what we never received. The store stays as it was, the run says so in one line,
    and (this server has no reuse grace period) the next refresh is refused: exit 7."""
    expired_profile(provider, proxy, "cut")
    before = snapshot(file_store)
    proxy.rule("/token", "drop_after")
    result = run_cli("token", "cut")
    one_line(result)
    assert result.code == 6, result
    assert snapshot(file_store) == before
    again = run_cli("token", "cut")
    line = one_line(again)
    assert again.code == 7, again
    assert "invalid_grant" in line and "oauth2 login cut" in line, line
    assert os.path.exists(file_store / "cut.json")

"""The profile lock (oauth2cli/store/lock.py): one lock for Store.lock and the fast paths,
re-entrant within a thread, taken by a waiter when its holder lets go (no poll), with the
store's timeout message, and its SIGALRM handler and timer always put back.

Structure, not timings: the race's timings are benchmarks/run's "20 parallel" row."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from oauth2cli.core.errors import StoreError
from oauth2cli.store.lock import ProfileLock, lock_file
from tests.support.startup import LOADED_PROBE, lean_violations, write_config

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="flock and SIGALRM timers: POSIX")

@pytest.fixture(autouse=True)
def lock_folders(tmp_path):
    """The store makes the lock folders private (store/lock.py) before a fast path waits in them."""
    from oauth2cli.store.xdg import state_dir
    from oauth2cli.store.paths import private_dir

    for state in (tmp_path, Path(state_dir(os.environ))):
        private_dir(state / "locks")


def test_folders_the_store_has_not_made_send_the_fast_path_to_the_full_path(tmp_path):
    from oauth2cli.store.lock import Unprepared

    with pytest.raises(Unprepared):  # an OSError: entry._fast hands the run to click, whose Store.lock makes them
        with ProfileLock(tmp_path / "elsewhere", "work"):
            pass
    state = tmp_path / "state" / "oauth2cli"  # as $XDG_STATE_HOME/oauth2cli is
    os.makedirs(state / "locks", mode=0o755)
    os.chmod(state, 0o755)
    with pytest.raises(Unprepared):
        with ProfileLock(state, "work"):
            pass
    from oauth2cli.store.lock import profile_lock

    with profile_lock(state, "work") as path:  # the store's lock makes them private and holds it
        assert path == state / "locks" / "work.lock"
    assert os.stat(state / "locks").st_mode & 0o077 == 0 and os.stat(state).st_mode & 0o077 == 0
    with ProfileLock(state, "work") as path:  # and from then on the fast paths take it too
        assert path == str(state / "locks" / "work.lock")


HOLD = """
import sys
from oauth2cli.store.lock import ProfileLock
with ProfileLock(sys.argv[1], "work"):
    print("held", flush=True)
    sys.stdin.readline()  # released at EOF
"""
# Exit 0 when another process could take the lock at once, 1 when it is held.
TAKE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    sys.exit(1)
"""


@contextlib.contextmanager
def held_elsewhere(state_dir):
    """Another process holds profile `work`'s lock until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(state_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        yield holder
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def free(path) -> bool:
    return subprocess.run([sys.executable, "-c", TAKE, str(path)], timeout=30).returncode == 0


def has_open(pid: int, path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def wait_until_open(proc, path) -> None:
    """Until `proc` has the lock file open: it has looked at the token and is at the lock."""
    if not Path("/proc/self/fd").is_dir():  # pragma: no cover - no /proc
        time.sleep(3)
        return
    deadline = time.monotonic() + 30
    while not has_open(proc.pid, path):
        assert proc.poll() is None and time.monotonic() < deadline, "never reached the lock"
        time.sleep(0.02)


def alarm_state():
    return signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)


# -- the fast paths wait on it without the store package ----------------------------------------

@pytest.mark.parametrize("argv", [["token", "work"], ["kube-credential", "work", "--access-token"]],
                         ids=["token", "kube-credential"])
def test_a_stale_racer_waits_and_answers_without_the_store_package(monkeypatch, argv):
    """What 19 of 20 racers do: find the token stale, wait for the refresher, print its token.
    Until a racer must refresh itself it loads no Store (only the lean view and the lock), Deps, pathlib, typing or json."""
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import view, xdg

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    write_config('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    environ = dict(os.environ)
    store = Deps(environ=environ).store
    store.save_tokens("work", TokenSet("stale-token", expires_at=time.time() - 10, refresh_token="r"))
    view.read_config(environ, now_ns=time.time_ns() + 10**10)  # remembered, as after a first run
    path = lock_file(xdg.state_dir(environ), "work")

    with store.lock("work"):  # the refresher
        racer = subprocess.Popen([sys.executable, "-c", LOADED_PROBE, *argv], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        wait_until_open(racer, path)
        store.save_tokens("work", TokenSet("new-token", expires_at=time.time() + 3600))
    stdout, stderr = racer.communicate(timeout=30)

    result = json.loads(stderr.rpartition("\nLOADED=")[2])
    assert result["code"] == 0, stderr
    if argv[0] == "token":
        assert stdout == "new-token\n"
    else:
        assert json.loads(stdout)["status"]["token"] == "new-token"
    assert "oauth2cli.store.lock" in result["modules"]  # it did wait on the lock
    assert lean_violations(result["modules"]) == []


# -- one lock, re-entrant within a thread -------------------------------------------------------

def test_the_fast_lock_and_store_lock_are_one_lock_and_re_entrant():
    from oauth2cli.deps import Deps
    from oauth2cli.store.xdg import state_dir

    environ = dict(os.environ)
    store = Deps(environ=environ).store
    with ProfileLock(state_dir(environ), "work") as path:
        # The full path inside a fast path's lock: a second wait would be for ourselves.
        with store.lock("work", wait=0.1) as inner:
            assert str(inner) == path
            assert not free(path)
        assert not free(path)  # the inner exit did not let go
    assert free(path)
    with store.lock("work") as outer:
        with ProfileLock(state_dir(environ), "work", wait=0.1) as inner:
            assert inner == str(outer)
        assert not free(outer)
    assert free(outer)


def test_another_thread_is_another_holder(tmp_path):
    with ProfileLock(tmp_path, "work") as path:
        errors = []

        def other() -> None:
            try:
                with ProfileLock(tmp_path, "work", wait=0.2):
                    pass
            except StoreError as exc:
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)
        assert [e.message for e in errors] == ["profile 'work' is locked by another oauth2 process (waited 0.2 s)"]
    assert free(path)


# -- waiting ------------------------------------------------------------------------------------

@pytest.mark.parametrize("clock", [None, time.monotonic], ids=["woken", "polling"])
def test_a_held_lock_times_out_with_the_stores_message_and_the_alarm_put_back(monkeypatch, tmp_path, clock):
    from oauth2cli.store import lock as profile_lock

    woken, real = [], profile_lock._woken
    monkeypatch.setattr(profile_lock, "_woken", lambda fd, wait: woken.append(real(fd, wait)) or woken[-1])
    before = alarm_state()
    with held_elsewhere(tmp_path):
        with pytest.raises(StoreError) as caught:
            with ProfileLock(tmp_path, "work", wait=0.2, clock=clock):
                pass
    assert caught.value.message == "profile 'work' is locked by another oauth2 process (waited 0.2 s)"
    assert caught.value.hint == f"if none is running, remove {tmp_path / 'locks' / 'work.lock'}"
    assert alarm_state() == before == (signal.SIG_DFL, (0.0, 0.0))
    assert woken == ([False] if clock is None else [])  # the blocking wait timed out, or none was tried


def test_a_waiter_is_woken_by_the_release_not_by_a_poll(tmp_path):
    """The waiter's flock calls and sleeps, recorded: one try that finds it held, then one blocking
    flock that returns when the holder lets go, and no sleep at all."""
    waiter_code = """
import fcntl, json, sys, time
from oauth2cli.store.lock import ProfileLock
calls, real_flock, real_sleep = [], fcntl.flock, time.sleep
def flock(fd, op):
    if op == fcntl.LOCK_EX:
        print("blocking", flush=True)
    try:
        real_flock(fd, op)
    except BlockingIOError:
        calls.append([op, "busy"])
        raise
    calls.append([op, "ok"])
def sleep(seconds):
    calls.append(["sleep", seconds])
    real_sleep(seconds)
fcntl.flock, time.sleep = flock, sleep
with ProfileLock(sys.argv[1], "work", wait=30):
    print(json.dumps(calls), flush=True)
"""
    with ProfileLock(tmp_path, "work"):
        waiter = subprocess.Popen([sys.executable, "-c", waiter_code, str(tmp_path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        assert waiter.stdout.readline() == "blocking\n", waiter.communicate()
    stdout, stderr = waiter.communicate(timeout=30)
    assert waiter.returncode == 0 and stderr == "", stderr
    ex, nb = fcntl.LOCK_EX, fcntl.LOCK_EX | fcntl.LOCK_NB
    assert json.loads(stdout) == [[nb, "busy"], [ex, "ok"], [nb, "ok"]]  # the last: flock on our own lock


def test_a_killed_holder_frees_a_waiter_already_waiting(tmp_path):
    path = lock_file(tmp_path, "work")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    waiter = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom oauth2cli.store.lock import ProfileLock\n"
         "with ProfileLock(sys.argv[1], 'work', wait=30):\n    print('got', flush=True)", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_open(waiter, path)
    holder.kill()
    holder.wait()
    assert waiter.communicate(timeout=30) == ("got\n", "")


def test_a_ring_as_flock_returns_keeps_the_lock_and_says_nothing(tmp_path):
    """The timer may ring between flock's return and its stop: the lock is still ours, the handler
    and timer are put back, and no 'signal ignored' line reaches stderr."""
    code = """
import _signal, fcntl, subprocess, sys, time
from oauth2cli.store.lock import ProfileLock
real, tries = fcntl.flock, []
def flock(fd, op):
    if op == fcntl.LOCK_EX | fcntl.LOCK_NB and not tries:
        tries.append(op)
        raise BlockingIOError  # as if held: the wait blocks, and gets it at once
    real(fd, op)
    if op == fcntl.LOCK_EX:
        end = time.monotonic() + 1
        while time.monotonic() < end:  # the 0.05 s timer rings here, the lock already ours
            pass
fcntl.flock = flock
with ProfileLock(sys.argv[1], "work", wait=0.05) as path:
    held = subprocess.run([sys.executable, "-c", sys.argv[2], path]).returncode == 1
print(held, _signal.getsignal(_signal.SIGALRM) == _signal.SIG_DFL, _signal.getitimer(_signal.ITIMER_REAL))
"""
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path), TAKE], capture_output=True, text=True,
                          timeout=60)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout == "True True (0.0, 0.0)\n"
    assert free(lock_file(tmp_path, "work"))


def test_someone_elses_alarm_is_left_alone(tmp_path):
    """A timer already set (or a thread that may not set handlers) means the wait polls instead."""
    code = """
import signal, sys
from oauth2cli.core.errors import StoreError
from oauth2cli.store.lock import ProfileLock
def mine(signum, frame):
    pass
signal.signal(signal.SIGALRM, mine)
signal.setitimer(signal.ITIMER_REAL, 30)
try:
    with ProfileLock(sys.argv[1], "work", wait=0.2):
        pass
except StoreError as exc:
    print(exc.message)
print(signal.getsignal(signal.SIGALRM) is mine, 29 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30)
"""
    with held_elsewhere(tmp_path):
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "profile 'work' is locked by another oauth2 process (waited 0.2 s)\nTrue True\n", proc.stderr


def test_an_interrupted_wait_puts_the_alarm_back(tmp_path):
    code = """
import _signal, sys
from oauth2cli.store.lock import ProfileLock
try:
    with ProfileLock(sys.argv[1], "work", wait=30):
        pass
except KeyboardInterrupt:
    print("interrupted", _signal.getsignal(_signal.SIGALRM) == _signal.SIG_DFL, _signal.getitimer(_signal.ITIMER_REAL))
"""
    with held_elsewhere(tmp_path):
        waiter = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        wait_until_open(waiter, lock_file(tmp_path, "work"))
        time.sleep(0.2)  # into its wait (were it earlier, the interrupt would still have to put it back)
        waiter.send_signal(signal.SIGINT)
        assert waiter.communicate(timeout=30) == ("interrupted True (0.0, 0.0)\n", "")

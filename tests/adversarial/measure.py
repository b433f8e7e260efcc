"""Run `oauth2` as a real process and measure what it cost: wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from tests.support.cli import Result


@dataclass
class Measured(Result):
    seconds: float = 0.0
    max_rss_kib: int = 0  # peak resident set of the oauth2 process (VmHWM, KiB)


# ru_maxrss is useless here: Linux carries the parent's high-water mark across fork/exec,
# and the test process is big. VmHWM belongs to the process image after exec, so the
# child reads its own at exit.
LAUNCHER = """
import atexit, os, sys
def _hwm():
    with open("/proc/self/status") as f:
        kib = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    with open(os.environ["OAUTH2CLI_TEST_HWM_FILE"], "w") as out:
        out.write(kib)
atexit.register(_hwm)
sys.argv[0] = "oauth2"
from oauth2cli.cli import main
main()
"""


def run_measured(*args: str, env: dict[str, str] | None = None, kill_after: float = 60) -> Measured:
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as hwm:
        full_env["OAUTH2CLI_TEST_HWM_FILE"] = hwm.name
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, *args], env=full_env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = started + kill_after
        while True:
            pid, status = os.waitpid(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status = os.waitpid(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        seconds=seconds, max_rss_kib=int(hwm.read() or 0))

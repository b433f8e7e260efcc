"""20 processes racing on an expired token: one of them asks the token endpoint, the others
wait for it and print the same token; the wall time of the race against one `oauth2 token`
that does the asking alone (the `race` profile: short-conf's tokens live 2 s)."""

from __future__ import annotations

import subprocess
import time

from bench import Bench
from timing import CommandFailed, Row, one_line, timed
from world import OAUTH2

RACERS = 20
NAME = f"{RACERS} parallel oauth2 token P (expired)"
BASELINE = "one oauth2 token P that refreshes"


def races_for(runs: int) -> int:
    return max(3, min(runs, 9))  # each race waits twice for a token to expire


def race(b: Bench) -> None:
    if not b.wanted(NAME, BASELINE):
        return
    w = b.world
    races = races_for(b.runs)
    parallel, single, requests = [], [], []
    try:
        for _ in range(races):
            w.oauth2("token", "race", env=w.profile_env)
            time.sleep(2.2)  # the provider's short-* tokens live 2 s
            w.provider.reset_events()
            start = time.perf_counter()
            procs = [subprocess.Popen([OAUTH2, "token", "race"], env=w.profile_env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(RACERS)]
            try:
                outs = [p.communicate(timeout=120) for p in procs]
            finally:
                for p in procs:  # (only those still running: a racer that hung)
                    if p.poll() is None:
                        p.kill()
                        p.wait()
            parallel.append(time.perf_counter() - start)
            requests.append(w.count_events("token.request"))
            failed = [(p.returncode, err) for p, (_, err) in zip(procs, outs) if p.returncode]
            if failed:
                code, err = failed[0]
                raise CommandFailed(f"{len(failed)} of {RACERS} racers failed, the first exited {code}: "
                                    f"{one_line(err.decode('utf-8', 'replace'))}")
            tokens = {out for out, _ in outs}
            if len(tokens) != 1:
                raise CommandFailed(f"the {RACERS} racers printed {len(tokens)} different tokens")
            time.sleep(2.2)
            single.append(timed([OAUTH2, "token", "race"], w.profile_env))
    except CommandFailed as exc:
        b.add(Row(NAME, BASELINE, 3.0, [], [], error=str(exc)))
        return
    except Exception as exc:  # the provider's event log, a racer that hangs: the row's failure, in one line
        b.add(Row(NAME, BASELINE, 3.0, [], [], error=f"the race could not run: {type(exc).__name__}: "
                                                     f"{(str(exc).strip().splitlines() or [''])[0][:160]}"))
        return
    row = Row(NAME, BASELINE, 3.0, parallel, single, note=f"token requests per race: {sorted(set(requests))}")
    if set(requests) != {1}:
        row.broken = True  # more than one request is a failed race, however fast
    b.add(row)

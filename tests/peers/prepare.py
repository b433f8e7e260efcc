"""Fetch and build the peer servers ahead of the tests that start them:

    python -m tests.peers.prepare           # every peer, one at a time
    python -m tests.peers.prepare keycloak  # only those named

scripts/test starts it in the background before pytest, so Keycloak's download and the Go
builds go on while the rest of the suite runs; a fixture that needs a server first waits for
this step's lock (tests/peers/cache.py) instead of doing the work twice. One line per peer on
stderr: ready (and how long it took), what to install, or why it failed.
"""

from __future__ import annotations

import sys
import time

from tests.peers import cache


def _steps():
    from tests.peers import dex, hydra, keycloak

    return {"keycloak": keycloak.distribution, "hydra": hydra.binary, "dex": dex.binary}


def main(argv: list[str]) -> int:
    steps = _steps()
    failed = 0
    for name in argv or list(steps):
        started = time.monotonic()
        try:
            where = steps[name]()
        except cache.Missing as missing:
            print(f"peers: {name}: skipped, {missing}", file=sys.stderr)
        except (cache.PrepareFailed, OSError) as exc:
            failed = 1
            print(f"peers: {name}: {str(exc).splitlines()[0]}", file=sys.stderr)
        else:
            print(f"peers: {name}: ready in {time.monotonic() - started:.0f}s at {where}", file=sys.stderr)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

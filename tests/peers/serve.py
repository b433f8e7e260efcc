"""Keep one peer server running between test runs, for working on its tests:

    python -m tests.peers.serve keycloak /tmp/kc &      # starts it, writes /tmp/kc/attach.json (0600)
    OAUTH2CLI_PEERS_ATTACH=/tmp/kc scripts/test tests/peers -k keycloak

With OAUTH2CLI_PEERS_ATTACH set, the session fixture of that server attaches to it instead of
starting its own (Keycloak takes a minute or more to start; Hydra and Dex, whose fixtures hold more than a process, start in seconds and cannot be attached).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path


def main(name: str, workdir: str) -> int:
    from tests.peers.conftest import FACTORIES

    path = Path(workdir)
    path.mkdir(parents=True, exist_ok=True)
    server = FACTORIES[name]()(path).start()
    fd = os.open(path / "attach.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"name": name, "state": server.attach_state()}, fh)
    print(f"{name} is up (log: {server.log}); Ctrl-C to stop", file=sys.stderr)
    try:
        stops = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stops)  # sigwait takes them, the default action does not
        signal.sigwait(stops)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

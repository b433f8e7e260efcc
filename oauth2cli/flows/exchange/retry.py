"""One retry of a token request that the server says it did not process (429/503 with a
Retry-After of at most 10 s: core.retry); the request is built again (new assertion, new proof)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from oauth2cli.core.http import HttpResponse
from oauth2cli.core.retry import retry_after

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def send_with_retry(send: Callable[[], HttpResponse], deps: Deps) -> HttpResponse:
    response = send()
    delay = retry_after(response.status, response.header("Retry-After"), deps.clock())
    if delay is None:
        return response
    deps.stderr.write(f"oauth2: the token endpoint answered {response.status}; trying again in {delay:g} s\n")
    deps.stderr.flush()
    getattr(deps, "sleep", time.sleep)(delay)
    return send()

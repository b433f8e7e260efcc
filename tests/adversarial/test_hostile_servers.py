"""Every misbehaviour in hostile.TABLE, met by the real `oauth2` process.

For each case: the documented exit code, ONE stderr line naming the problem, no traceback,
no secret on stderr, bounded time (--timeout holds end to end, stalled bodies included),
bounded memory (peak RSS of the process), and the store exactly as it was — a profile
whose token request fails keeps its refresh token.

Set ADVERSARIAL_FIGURES=path to collect (case, exit code, seconds, peak RSS) as JSON lines.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.adversarial.hostile import SECRETS, TABLE, Case, HostileServer
from tests.adversarial.measure import run_measured
from tests.support.cli import assert_no_traceback

PROFILE = "work"
STORED_ACCESS = "stored-access-token-expired-5d41402abc"
STORED_REFRESH = "stored-refresh-token-keep-me-7d793037a0"
SLOW_TIMEOUT = 2.0
TIMEOUT = 5.0
# Start-up of a Python process on a loaded two-core machine, on top of --timeout.
STARTUP_ALLOWANCE = 3.5
# Peak RSS of one `oauth2 token` run. An idle run measures about 45 MiB here; the cases
# send up to 200 MB (and a gzip bomb inflating to 200 MB), so reading any of them whole
# would blow far past this.
MAX_RSS_MIB = 110


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


def stale_tokens():
    from oauth2cli.core.tokens import TokenSet

    # Expired long ago: any `oauth2 token` must go to the server.
    return TokenSet(access_token=STORED_ACCESS, token_type="Bearer", expires_at=1_000_000.0,
                    refresh_token=STORED_REFRESH, scope="read")


def open_store():
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    return Store(Deps())


def make_profile(hostile: HostileServer, case: str) -> None:
    store = open_store()
    store.save_profile(PROFILE, {"issuer": hostile.issuer(case), "client_id": "hostile-client"})
    store.save_tokens(PROFILE, stale_tokens())


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every stored byte and mode: config.toml, the file store and the test keyring.

    State (locks) and cache are left out: a lock file appearing is not a change of the store.
    """
    files = {}
    for top in ("config", "data"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(root))] = (path.stat().st_mode & 0o777, path.read_bytes())
    keyring_file = root / "keyring.json"
    files["keyring.json"] = (keyring_file.stat().st_mode & 0o777, keyring_file.read_bytes())
    return files


def record(case: Case, result) -> None:
    target = os.environ.get("ADVERSARIAL_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(json.dumps({"case": case.name, "where": case.where, "code": result.code,
                                "seconds": round(result.seconds, 2), "max_rss_mib": round(result.max_rss_kib / 1024, 1),
                                "stderr": result.stderr.strip()}) + "\n")


@pytest.mark.parametrize("case", TABLE, ids=lambda c: c.name)
def test_oauth2_token_against_a_hostile_server(case: Case, hostile: HostileServer, isolate: Path):
    make_profile(hostile, case.name)
    before = snapshot(isolate)
    timeout = SLOW_TIMEOUT if case.slow else TIMEOUT

    result = run_measured("token", PROFILE, "--timeout", f"{timeout:g}")
    record(case, result)

    assert_no_traceback(result)
    assert result.code == case.code, result
    if case.code == 0:
        assert result.stdout == SECRETS[0] + "\n", result
        assert result.stderr == "", result
    else:
        assert result.stdout == "", result
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result
        assert lines[0].startswith("oauth2: error: "), result
        assert re.search(case.message, lines[0]), result
        assert not set(result.stderr) & {"\x1b", "\x07", "\u202e"}, "terminal controls reached stderr"
    for secret in (*SECRETS, STORED_ACCESS, STORED_REFRESH):
        assert secret not in result.stderr, f"{secret} leaked: {result}"

    # --timeout bounds the whole run, a stalled or trickling body included.
    assert result.seconds < timeout + STARTUP_ALLOWANCE, f"{result.seconds:.1f} s: {result}"
    if case.slow:
        assert result.seconds >= timeout - 0.2, "gave up before --timeout"
    assert 0 < result.max_rss_kib < MAX_RSS_MIB * 1024, f"peak RSS {result.max_rss_kib / 1024:.0f} MiB"

    # A failure leaves every stored byte as it was; a success never loses the refresh token.
    if case.code != 0:
        assert snapshot(isolate) == before
    tokens = open_store().load_tokens(PROFILE)
    assert tokens is not None and tokens.refresh_token == STORED_REFRESH


@pytest.mark.parametrize("case", [c for c in TABLE if c.code != 0], ids=lambda c: c.name)
def test_a_failed_refresh_keeps_the_stored_tokens(case: Case, hostile: HostileServer, isolate: Path):
    """The refresh path itself (flows.grants.session.refresh), in process: only our error types escape."""
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.deps import Deps
    from oauth2cli.flows.grants import session
    from oauth2cli.flows.settings import resolve

    make_profile(hostile, case.name)
    before = snapshot(isolate)
    deps = Deps()
    settings = resolve({"timeout": SLOW_TIMEOUT}, deps, PROFILE)
    with pytest.raises(OAuth2CliError) as caught:
        session.refresh(settings, deps, stale=stale_tokens())
    deps.close()
    assert caught.value.exit_code == case.code
    for secret in (*SECRETS, STORED_ACCESS, STORED_REFRESH):
        assert secret not in str(caught.value)
    assert snapshot(isolate) == before
    assert open_store().load_tokens(PROFILE) == stale_tokens()


def test_redirected_token_requests_never_reach_the_target(hostile: HostileServer, isolate: Path):
    make_profile(hostile, "redirect_token")
    seen_before = hostile.hits("/elsewhere")
    result = run_measured("token", PROFILE, "--timeout", "5")
    assert result.code == 3, result
    assert hostile.hits("/redirect_token/token") >= 1
    # RFC 6749 §3.2 / RFC 9700 §4.11: credentials never follow a redirect to another URL.
    assert hostile.hits("/elsewhere") == seen_before


def test_an_idle_run_fits_the_memory_bound(hostile: HostileServer, isolate: Path):
    """The bound is meaningful: a good answer costs well under it, and the figure is recorded."""
    make_profile(hostile, "expires_in_string")
    result = run_measured("token", PROFILE)
    assert result.code == 0, result
    assert result.max_rss_kib < MAX_RSS_MIB * 1024 * 0.8, result.max_rss_kib
    record(Case("baseline_good_answer", "token", None, 0, ""), result)  # type: ignore[arg-type]


REVOCATION_CASES = ["html_502", "error_500_json", "redirect_token", "redirect_loop", "stall_mid_body", "trickle",
                    "disconnect", "error_escape_codes", "length_lie", "huge_header"]


@pytest.mark.parametrize("case", REVOCATION_CASES)
def test_revocation_against_a_hostile_server(case: str, hostile: HostileServer):
    """RFC 7009 revocation (flows.endpoints.revoke), in process: our error types only, in bounded time."""
    import time

    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps
    from oauth2cli.flows.endpoints.revoke import revoke_token

    settings = ClientSettings(client=ClientCredentials("hostile-client"), issuer=hostile.issuer(case),
                              timeout=SLOW_TIMEOUT)
    deps = Deps()
    started = time.monotonic()
    try:
        revoke_token(settings, deps, STORED_REFRESH, "refresh_token")
    except OAuth2CliError as exc:
        assert exc.exit_code in (3, 6)
        assert STORED_REFRESH not in str(exc)
        assert "\n" not in str(exc) and "\x1b" not in str(exc)
    else:
        # RFC 7009 §2.2: HTTP 200 is success whatever the body; no other case may pass.
        pytest.fail(f"{case}: a hostile revocation answer counted as success")
    finally:
        deps.close()
    assert time.monotonic() - started < SLOW_TIMEOUT + 1.0


def test_revocation_200_with_any_body_is_success(hostile: HostileServer):
    """RFC 7009 §2.2: the content of a 200 is ignored (json_string, truncated_json, ...)."""
    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps
    from oauth2cli.flows.endpoints.revoke import revoke_token

    for case in ("json_string", "truncated_json", "empty_200", "json_array", "invalid_utf8", "enormous_body", "gzip_bomb"):
        deps = Deps()
        settings = ClientSettings(client=ClientCredentials("hostile-client"), issuer=hostile.issuer(case))
        revoke_token(settings, deps, STORED_REFRESH)
        deps.close()
        assert hostile.hits(f"/{case}/revoke") >= 1

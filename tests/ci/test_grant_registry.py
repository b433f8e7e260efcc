"""Adding a grant type is one registry entry and its flow (tests/ci/made_up_grant.py): with nothing
else changed, `--grant` takes it, `oauth2 token` runs it, a profile treats it as userless or
personal as its entry says, `call` without a profile takes only a userless one, and the manual
lists it."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from tests.ci.made_up_grant import NAME, PROBE_PREFIX, URN
from tests.ci.test_token_one_path import TokenEndpoint
from tests.support.startup import MODES_PROBE, write_config

ROOT = Path(__file__).resolve().parents[2]


def oauth2(mode: str, *args: str, person: bool = False, env: dict | None = None):
    """(exit code, stdout, stderr, heavy modules loaded) of `oauth2 ARGS` with the made-up grant registered."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH2_")}
    full_env = {**clean, "OAUTH2_CLIENT_SECRET": "s3cret", "MADE_UP_GRANT_PERSON": "1" if person else "0",
                **(env or {})}
    proc = subprocess.run([sys.executable, "-c", PROBE_PREFIX % str(ROOT) + MODES_PROBE, mode, *args],
                          capture_output=True, text=True, env=full_env, timeout=60)
    head, _, loaded = proc.stderr.rpartition("\nLOADED=")
    assert "Traceback" not in head, head
    return proc.returncode, proc.stdout, head, [m for m in loaded.strip().split(",") if m]


@pytest.fixture
def endpoint():
    with TokenEndpoint() as server:
        yield server


def sent(endpoint) -> list[dict]:
    return [dict(parse_qsl(r["body"].decode())) for r in endpoint.requests]


@pytest.mark.parametrize("mode", ["entry", "click"])
@pytest.mark.parametrize("spelling", [NAME, URN])
def test_token_runs_the_made_up_grant_by_its_name_or_urn(endpoint, mode, spelling):
    code, stdout, stderr, loaded = oauth2(mode, "token", "--token-url", endpoint.token_url, "--client-id", "ci",
                                          "--grant", spelling, "--scope", "minds")
    assert (code, stdout, stderr) == (0, "mF_9.B5f-4.1JqM\n", "")
    assert sent(endpoint) == [{"grant_type": URN, "thought": "hello", "scope": "minds"}]
    if mode == "entry":
        assert "click" not in loaded and "httpx" not in loaded


def test_an_unknown_grant_is_refused_with_the_registrys_choices(endpoint):
    code, stdout, stderr, _ = oauth2("entry", "token", "--token-url", endpoint.token_url, "--client-id", "ci",
                                     "--grant", "clairvoyance")
    assert code == 2 and stdout == "" and endpoint.requests == []
    assert f"unknown grant 'clairvoyance'; choose from client_credentials, password" in stderr
    assert f"token-exchange, {NAME} or a full URN" in stderr


def profile(endpoint) -> None:
    write_config(f'[profiles.mind]\ntoken_url = "{endpoint.token_url}"\nclient_id = "ci"\ngrant = "{NAME}"\n')


def test_a_userless_made_up_grant_is_run_again_for_its_profile(endpoint):
    profile(endpoint)
    first = oauth2("entry", "token", "mind")
    second = oauth2("entry", "token", "mind")
    assert first[:3] == second[:3] == (0, "mF_9.B5f-4.1JqM\n", "")
    assert [s["grant_type"] for s in sent(endpoint)] == [URN]  # the second one is the stored token


def test_a_personal_made_up_grant_needs_a_login_for_its_profile(endpoint):
    profile(endpoint)
    code, stdout, stderr, _ = oauth2("entry", "token", "mind", person=True)
    assert code == 7 and stdout == "" and endpoint.requests == []
    assert "profile 'mind' has no token" in stderr and "oauth2 login mind" in stderr


@pytest.mark.parametrize("person", [False, True], ids=["userless", "personal"])
def test_call_without_a_profile_takes_only_a_userless_grant(endpoint, person):
    # The resource is the stand-in too: it answers any POST with the token JSON.
    code, stdout, stderr, _ = oauth2("entry", "call", "-X", "POST", "--token-url", endpoint.token_url, "--client-id", "ci",
                                     "--grant", NAME, endpoint.token_url.replace("/token", "/api"), person=person)
    if person:
        assert code == 1 and endpoint.requests == []
        assert f"`oauth2 call` without a profile cannot use the {NAME} grant" in stderr
        assert "client_credentials, jwt-bearer or token-exchange" in stderr
    else:
        assert code == 0, stderr
        assert [s.get("grant_type") for s in sent(endpoint)][:1] == [URN]
        assert endpoint.requests[1]["path"] == "/api"
        assert ("Authorization", "Bearer mF_9.B5f-4.1JqM") in endpoint.requests[1]["headers"]


def test_the_manual_lists_the_made_up_grant():
    script = (PROBE_PREFIX % str(ROOT) + "import runpy\n"
              "docs = runpy.run_path(%r, run_name='gen_docs')\n"
              "from pathlib import Path\n"
              "print(docs['generate']()[Path('man/oauth2-token.1')])\n") % str(ROOT / "scripts" / "gen-docs")
    page = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MADE_UP_GRANT_PERSON": "0"}, check=True).stdout
    grant_help = page.split("\\fB\\-\\-grant\\fR", 1)[1].split(".TP", 1)[0]
    assert "token\\-exchange, telepathy, or a full grant_type URN." in grant_help
    section = page.split(".SH GRANT TYPES", 1)[1].split(".SH ", 1)[0]
    assert f".TP\n\\fB{NAME}\\fR\na made\\-up grant: the client thinks of a token. Sends grant_type " in section
    assert "No person behind it" in section.split(NAME, 1)[1]


def test_a_profile_with_a_grant_the_registry_does_not_know_is_refused(endpoint):
    write_config(f'[profiles.mind]\ntoken_url = "{endpoint.token_url}"\nclient_id = "ci"\ngrant = "clairvoyance"\n')
    code, stdout, stderr, _ = oauth2("entry", "token", "mind")
    assert code == 1 and stdout == "" and endpoint.requests == []
    assert "unknown grant 'clairvoyance'" in stderr and f"token-exchange, {NAME}, or a full grant_type URI" in stderr

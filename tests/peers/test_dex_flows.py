"""Dex's flows through `oauth2`: a browser login with the static-password connector and PKCE, refresh,
the device flow, and the Kubernetes case end to end: kubectl with `oauth2 kube-credential` as its
exec plugin against an HTTPS stand-in API server that checks Dex's id_token against Dex's JWKS,
five kubectl calls at once making one login. Checked at Dex: its introspection and its log."""

from __future__ import annotations

import os
import subprocess

import httpx
import pytest

from tests.helpers.accounts import store
from tests.helpers.kubeapi import KubeAPI
from tests.helpers.test_kubectl import needs_kubectl
from tests.helpers.test_one_login import counting_browser
from tests.support.cli import assert_no_traceback, run_cli

SCOPE = "openid email offline_access"


def introspect_at(dex, token: str) -> dict:
    return httpx.post(f"{dex.issuer}/token/introspect", data={"token": token}).json()


@pytest.fixture(autouse=True)
def sign_in_by_email(monkeypatch):
    """Dex's static-password connector takes the email address as the login name."""
    monkeypatch.setenv("STANDIN_LOGIN", "alice@example.test")


def logins_at(dex) -> list[dict]:
    return [e for e in dex.log_events() if e.get("msg") == "login successful"]


@pytest.fixture
def dx_profile(dex, standin_browser):
    added = run_cli("profile", "add", "dx", "--issuer", dex.issuer, "--client-id", "cli", "--scope", SCOPE)
    assert added.code == 0, added
    before = len(logins_at(dex))
    result = run_cli("login", "dx")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert len(logins_at(dex)) == before + 1
    return result


def test_browser_login_with_the_static_connector_and_pkce(dex, dx_profile, standin_browser):
    assert "Logged in to dx as " in dx_profile.stderr, dx_profile
    assert standin_browser.visits()[-1]["logins"] == 1
    assert logins_at(dex)[-1]["connector_id"] == "local" and logins_at(dex)[-1]["username"] == "alice"
    tokens = store().load_tokens("dx")
    seen = introspect_at(dex, tokens.access_token)
    assert seen["active"] is True and seen["client_id"] == "cli", seen
    assert tokens.refresh_token


def test_refresh_at_dex(dex, dx_profile):
    first = store().load_tokens("dx")
    result = run_cli("refresh", "dx")
    assert result.code == 0, result
    now = store().load_tokens("dx")
    assert now.id_token != first.id_token and now.refresh_token != first.refresh_token  # Dex rotates
    assert introspect_at(dex, now.access_token)["active"] is True


def test_device_flow(dex, standin_browser):
    added = run_cli("profile", "add", "tv", "--issuer", dex.issuer, "--client-id", "cli", "--scope", SCOPE)
    assert added.code == 0, added
    result = run_cli("login", "tv", "--device", timeout=120)
    assert result.code == 0, result
    assert "enter the code:" in result.stderr, result
    tokens = store().load_tokens("tv")
    assert introspect_at(dex, tokens.access_token)["active"] is True
    assert any(e.get("msg") == "login successful" for e in dex.log_events())


@pytest.fixture
def kube_api(dex, tmp_path):
    jwks = httpx.get(f"{dex.issuer}/keys").json()
    api = KubeAPI(tmp_path, issuer=dex.issuer, jwks=jwks, client_id="kube").start()
    yield api
    api.stop()


@needs_kubectl
def test_five_kubectl_calls_make_one_login_and_get_in_with_dexs_id_token(dex, kube_api, oauth2_on_path, tmp_path,
                                                                         monkeypatch):
    added = run_cli("profile", "add", "cluster", "--issuer", dex.issuer, "--client-id", "kube",
                    "--scope", "openid email groups offline_access")
    assert added.code == 0, added
    browser, launches = counting_browser(tmp_path)
    monkeypatch.setenv("BROWSER", browser)
    monkeypatch.setenv("STANDIN_LOG", str(tmp_path / "browser.jsonl"))
    config = kube_api.kubeconfig(tmp_path / "kubeconfig", ["kube-credential", "cluster", "--browser-timeout", "90"])
    env = {**os.environ, "KUBECONFIG": str(config)}
    before = len(logins_at(dex))
    procs = [subprocess.Popen(["kubectl", "get", "pods"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(5)]
    results = [(p.wait(timeout=240), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 5, results
    assert all("hello" in out for _, out, _ in results)
    assert launches.read_text().splitlines() == ["launched"], "more than one browser tab"
    assert len(logins_at(dex)) == before + 1
    saved = store().load_tokens("cluster")
    # the stand-in let in only Dex's id_token for `kube` (signature by Dex's JWKS, iss, aud, exp)
    assert set(kube_api.accepted) == {saved.id_token} and not kube_api.refused

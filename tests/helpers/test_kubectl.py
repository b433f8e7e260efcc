"""Real kubectl with `oauth2 kube-credential` as its exec plugin, against a stand-in API server
that checks the id_token like Kubernetes' OIDC authenticator (signature against the real
provider's JWKS, iss, aud, exp)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time

import httpx
import pytest

from tests.helpers.accounts import logged_in, store
from tests.helpers.kubeapi import KubeAPI
from tests.support.cli import assert_no_traceback, run_cli


def kubectl_version() -> tuple[int, int] | None:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        return None
    try:
        out = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True, text=True,
                             timeout=30).stdout
        client = json.loads(out)["clientVersion"]
        return int(client["major"]), int(re.match(r"\d+", client["minor"]).group())
    except (OSError, ValueError, KeyError, AttributeError, subprocess.TimeoutExpired):
        return None


VERSION = kubectl_version()
needs_kubectl = pytest.mark.skipif(VERSION is None or VERSION < (1, 22),
                                   reason=f"needs kubectl >= 1.22 (client.authentication.k8s.io/v1); found {VERSION}")


@pytest.fixture
def api(provider, tmp_path):
    jwks = httpx.get(provider.endpoint("jwks_uri")).json()
    instance = KubeAPI(tmp_path, issuer=provider.issuer, jwks=jwks, client_id="public-pkce").start()
    yield instance
    instance.stop()


def kubectl(kubeconfig, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    return subprocess.run(["kubectl", *args], capture_output=True, text=True, env=env, timeout=120)


@needs_kubectl
@pytest.mark.parametrize("api_version", ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"],
                         ids=["v1", "v1beta1"])
def test_kubectl_get_pods_with_the_exec_block(provider, api, oauth2_on_path, tmp_path, api_version):
    tokens = logged_in(provider, "kube", "public-pkce")
    config = api.kubeconfig(tmp_path / "kubeconfig", ["kube-credential", "kube"], api_version)
    result = kubectl(config, "get", "pods")
    assert result.returncode == 0, result.stderr
    assert "hello" in result.stdout and "Running" in result.stdout
    assert api.accepted and set(api.accepted) == {tokens.id_token}  # the profile's id_token, checked
    assert tokens.access_token not in result.stdout + result.stderr


@needs_kubectl
def test_a_wrong_token_is_refused_by_the_stand_in(provider, api, oauth2_on_path, tmp_path):
    # The stand-in really checks: an access token (opaque, not an id_token) does not get in.
    logged_in(provider, "kube", "public-pkce")
    config = api.kubeconfig(tmp_path / "kubeconfig", ["kube-credential", "kube", "--access-token"])
    result = kubectl(config, "get", "pods")
    assert result.returncode != 0 and "hello" not in result.stdout
    assert api.refused and not api.accepted


def test_exec_info_names_the_answer_version_and_the_token_kind(provider):
    tokens = logged_in(provider, "kube", "public-pkce")
    for version in ("client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1"):
        info = json.dumps({"kind": "ExecCredential", "apiVersion": version, "spec": {"interactive": False}})
        result = run_cli("kube-credential", "kube", env={"KUBERNETES_EXEC_INFO": info})
        assert result.code == 0 and result.stderr == "", result
        credential = json.loads(result.stdout)
        assert credential["apiVersion"] == version and credential["kind"] == "ExecCredential"
        assert credential["status"]["token"] == tokens.id_token
        stamp = credential["status"]["expirationTimestamp"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    plain = json.loads(run_cli("kube-credential", "kube", "--access-token").stdout)
    assert plain["apiVersion"] == "client.authentication.k8s.io/v1"
    assert plain["status"]["token"] == tokens.access_token


@pytest.mark.parametrize("info,says", [
    ('{"apiVersion": "client.authentication.k8s.io/v1alpha1"}', "does not speak"),
    ('{"apiVersion": "client.authentication.k8s.io/v2"}', "does not speak"),
    ("not json", "is not JSON"),
    ('["v1"]', "not a JSON object"),
], ids=["v1alpha1", "v2", "junk", "array"])
def test_unknown_api_version_one_line_exit_1_nothing_on_stdout(provider, info, says):
    logged_in(provider, "kube", "public-pkce")
    result = run_cli("kube-credential", "kube", env={"KUBERNETES_EXEC_INFO": info})
    assert (result.code, result.stdout) == (1, ""), result
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert_no_traceback(result)


def test_unknown_profile_and_no_login_possible():
    result = run_cli("kube-credential", "nope")
    assert (result.code, result.stdout) == (1, "") and "unknown profile 'nope'" in result.stderr
    assert run_cli("profile", "add", "bare", "--token-url", "http://127.0.0.1:9/token", "--client-id", "c",
                   "--scope", "profile").code == 0
    result = run_cli("kube-credential", "bare")
    assert (result.code, result.stdout) == (7, ""), result
    assert "`oauth2 login bare`" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def short_id_provider(tmp_path_factory):
    """id_tokens of 6 s with access tokens of an hour: the id_token goes stale on its own."""
    from tests.support.provider import Provider

    instance = Provider(tmp_path_factory.mktemp("provider-id6"), id_token_ttl=6).start()
    yield instance
    instance.stop()


@needs_kubectl
def test_an_id_token_near_its_exp_is_renewed_by_a_refresh(short_id_provider, oauth2_on_path, tmp_path):
    from tests.helpers.accounts import token_grants

    provider = short_id_provider
    jwks = httpx.get(provider.endpoint("jwks_uri")).json()
    api = KubeAPI(tmp_path, issuer=provider.issuer, jwks=jwks, client_id="public-pkce").start()
    try:
        first = logged_in(provider, "kube", "public-pkce")
        time.sleep(3.5)  # past half its life: due for renewal, while the access token has an hour left
        provider.reset_events()
        result = kubectl(api.kubeconfig(tmp_path / "kubeconfig", ["kube-credential", "kube"]), "get", "pods")
        assert result.returncode == 0, result.stderr
        assert len(token_grants(provider, "refresh_token")) == 1
        renewed = store().load_tokens("kube")
        assert renewed.id_token != first.id_token and set(api.accepted) == {renewed.id_token}
    finally:
        api.stop()

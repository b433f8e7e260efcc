"""The microsoft preset against a multi-tenant stand-in that answers as the Microsoft identity
platform documents (learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc):
the common document names the literal issuer ".../{tenantid}/v2.0", and an id_token's iss is
that template with the token's own tid."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.oidc_standin import OidcStandin

TID = "9122040d-6c67-4c5b-b112-36a304b66dad"
OTHER = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
def entra():
    probe = OidcStandin(issuer_path="/common/v2.0")
    base = probe.server.base
    probe.document_issuer = base + "/{tenantid}/v2.0"
    probe.id_token_iss = f"{base}/{TID}/v2.0"
    probe.extra_claims = {"tid": TID, "name": "Megan Bowen", "preferred_username": "megan@contoso.example"}
    with probe as op:
        yield op


def add(op, name="corp", *extra):
    result = run_cli("profile", "add", name, "--preset", "microsoft", "--preset-param", f"authority={op.server.base}",
                     "--client-id", "0000-1111", *extra)
    assert result.code == 0, result
    return result


def test_the_preset_logs_in_with_its_default_scope(entra, standin_browser):
    add(entra)
    result = run_cli("login", "corp")
    assert result.code == 0, result
    assert "Logged in to corp as megan@contoso.example" in result.stderr and "with a refresh token" in result.stderr
    sent = entra.authorizations[-1]
    assert sent["scope"] == "openid profile offline_access"
    assert_no_traceback(result)


def test_an_id_token_whose_iss_does_not_carry_its_tid_is_refused(entra, standin_browser):
    entra.id_token_iss = f"{entra.server.base}/{OTHER}/v2.0"
    add(entra)
    result = run_cli("login", "corp")
    assert result.code == 3, result
    assert (f"iss is '{entra.server.base}/{OTHER}/v2.0', expected '{entra.server.base}/{TID}/v2.0'"
            in result.stderr), result
    from oauth2cli.deps import Deps

    assert Deps().store.load_tokens("corp") is None


def test_an_id_token_without_tid_is_refused(entra, standin_browser):
    entra.extra_claims = {}
    add(entra)
    result = run_cli("login", "corp")
    assert result.code == 3, result
    assert "needs the token's tid, and it has none" in result.stderr


def test_the_template_iss_itself_is_not_accepted_from_a_token(entra, standin_browser):
    entra.id_token_iss = entra.server.base + "/{tenantid}/v2.0"
    add(entra)
    result = run_cli("login", "corp")
    assert result.code == 3, result


def test_without_the_preset_the_template_document_is_refused(entra):
    result = run_cli("discover", entra.issuer)
    assert result.code == 3, result
    assert "names issuer" in result.stderr and "{tenantid}" in result.stderr


def test_a_tenant_named_by_domain_gets_its_tenant_id_issuer(standin_browser):
    with OidcStandin(issuer_path="/contoso.example/v2.0") as op:
        op.document_issuer = f"{op.server.base}/{TID}/v2.0"
        op.id_token_iss = op.document_issuer
        op.extra_claims = {"tid": TID}
        result = run_cli("profile", "add", "c", "--preset", "microsoft", "--preset-param",
                         f"authority={op.server.base}", "--preset-param", "tenant=contoso.example",
                         "--client-id", "0000-1111")
        assert result.code == 0, result
        result = run_cli("login", "c")
        assert result.code == 0, result


def test_preset_listing_shows_its_parameters():
    result = run_cli("profile", "presets", "microsoft")
    assert result.code == 0, result
    assert "tenant" in result.stdout and "default: common" in result.stdout
    assert "authority" in result.stdout
    assert "learn.microsoft.com" in result.stdout


def test_the_readme_example_adds_a_profile_that_can_log_in():
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    line = re.search(r"^oauth2 (profile add corp --preset microsoft .*)$", readme, re.M).group(1)
    result = run_cli(*shlex.split(line), "--timeout", "5")
    assert result.code == 0, result  # offline here: discovery is put off to the first use
    shown = json.loads(run_cli("profile", "show", "corp", "--json").stdout)["settings"]
    assert shown["issuer"]["value"] == "https://login.microsoftonline.com/contoso.com/v2.0"
    assert shown["scope"]["value"] == "openid profile offline_access"
    # The login no longer stops for want of an issuer; here it stops at the (unreachable) network.
    result = run_cli("login", "corp", "--no-browser", "--timeout", "5")
    assert "needs the issuer" not in result.stderr
    assert result.code == 6, result

"""The pure pieces of discovery and multi-tenant issuers, and the login's refresh-token merge."""

from __future__ import annotations

import pytest

from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.http import HttpResponse
from oauth2cli.core.idtoken import tenant_issuer
from oauth2cli.core.metadata import discovery_urls, merge_metadata, parse_metadata, template_matches
from oauth2cli.core.token_merge import keep_refresh_token
from oauth2cli.core.tokens import TokenSet

TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0"
TID = "9122040d-6c67-4c5b-b112-36a304b66dad"


def doc(url: str, body: bytes) -> HttpResponse:
    return HttpResponse(200, (("Content-Type", "application/json"),), body, url=url)


def test_discovery_urls_in_order_for_an_issuer_with_a_path():
    assert discovery_urls("https://as.example/o") == [
        "https://as.example/.well-known/oauth-authorization-server/o",
        "https://as.example/o/.well-known/openid-configuration",
        "https://as.example/o/.well-known/oauth-authorization-server",
        "https://as.example/.well-known/openid-configuration/o",
    ]
    assert discovery_urls("https://as.example") == ["https://as.example/.well-known/oauth-authorization-server",
                                                    "https://as.example/.well-known/openid-configuration"]


def test_merge_first_wins_and_remembers_sources():
    a = parse_metadata(doc("https://as.example/a", b'{"issuer": "https://as.example", "token_endpoint": '
                                                  b'"https://as.example/t1"}'), "https://as.example")
    b = parse_metadata(doc("https://as.example/b", b'{"issuer": "https://as.example", "token_endpoint": '
                                                  b'"https://as.example/t2", "revocation_endpoint": "https://as.example/r"}'),
                       "https://as.example")
    merged = merge_metadata([a, b])
    assert merged.endpoint("token_endpoint") == "https://as.example/t1"
    assert merged.source_of("token_endpoint") == "https://as.example/a"
    assert merged.source_of("revocation_endpoint") == "https://as.example/b"


@pytest.mark.parametrize("found, expected, ok", [
    (TEMPLATE, "https://login.microsoftonline.com/common/v2.0", True),
    (TEMPLATE, "https://login.microsoftonline.com/organizations/v2.0", True),
    (f"https://login.microsoftonline.com/{TID}/v2.0", "https://login.microsoftonline.com/consumers/v2.0", True),
    (f"https://login.microsoftonline.com/{TID}/v2.0", "https://login.microsoftonline.com/contoso.com/v2.0", True),
    (TEMPLATE, "https://login.microsoftonline.com/contoso.com/v2.0", False),  # a domain names one tenant
    (TEMPLATE, f"https://login.microsoftonline.com/{TID}/v2.0", False),  # a tenant id must match exactly
    (TEMPLATE, "https://evil.example/common/v2.0", False),
    ("https://login.microsoftonline.com/other/v2.0", "https://login.microsoftonline.com/common/v2.0", False),
    (TEMPLATE, "https://login.microsoftonline.com/a/b/v2.0", False),
], ids=lambda v: str(v)[-30:])
def test_template_matches_nothing_looser(found, expected, ok):
    assert template_matches(found, expected, TEMPLATE) is ok


def test_without_a_template_the_multi_tenant_document_is_refused():
    response = doc("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
                   b'{"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"}')
    with pytest.raises(ProtocolError, match="RFC 8414 §3.3"):
        parse_metadata(response, "https://login.microsoftonline.com/common/v2.0")
    meta = parse_metadata(response, "https://login.microsoftonline.com/common/v2.0", TEMPLATE)
    assert meta.issuer_template == TEMPLATE


def test_tenant_issuer_fills_the_tokens_own_tid():
    assert tenant_issuer(TEMPLATE, {"tid": TID}) == f"https://login.microsoftonline.com/{TID}/v2.0"
    for claims in ({}, {"tid": "common"}, {"tid": "../x"}, {"tid": 7}):
        with pytest.raises(ProtocolError):
            tenant_issuer(TEMPLATE, claims)


A = {"iss": "https://as.example", "sub": "alice"}


@pytest.mark.parametrize("new_rt, stored_rt, new_claims, stored_claims, outcome, kept", [
    ("new", "old", A, A, None, "new"),
    (None, "old", A, A, "kept", "old"),
    (None, "old", A, {**A, "sub": "bob"}, "none", None),
    (None, "old", A, {**A, "iss": "https://other.example"}, "none", None),
    (None, "old", None, None, "none", None),
    (None, None, A, A, "none", None),
], ids=["answer-has-one", "same-account", "other-sub", "other-iss", "no-id-tokens", "nothing-stored"])
def test_keep_refresh_token(new_rt, stored_rt, new_claims, stored_claims, outcome, kept):
    new = TokenSet("at-new", refresh_token=new_rt)
    stored = TokenSet("at-old", refresh_token=stored_rt)
    merged = keep_refresh_token(new, new_claims, stored, stored_claims)
    assert merged.outcome == outcome
    assert merged.tokens.refresh_token == kept
    assert merged.tokens.access_token == "at-new"

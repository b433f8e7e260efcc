"""core/token_source.py: the SOURCE syntax, GitHub's request URL and answer, the JWT shape check."""

from __future__ import annotations

import base64
import json

import pytest

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.token_source import (
    KUBERNETES_TOKEN,
    TokenSource,
    check_jwt,
    github_answer,
    github_request_url,
    parse_source,
)


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


JWT = f"{_b64({'alg': 'RS256', 'kid': 'k'})}.{_b64({'sub': 'x'})}.c2ln"


@pytest.mark.parametrize("text, kind, arg, path", [
    ("github-actions", "github-actions", None, None),
    ("github-actions:api://AzureADTokenExchange", "github-actions", "api://AzureADTokenExchange", None),
    ("gitlab:VAULT_ID_TOKEN", "gitlab", "VAULT_ID_TOKEN", None),
    ("kubernetes", "kubernetes", None, KUBERNETES_TOKEN),
    ("kubernetes:/var/run/secrets/tokens/oidc", "kubernetes", "/var/run/secrets/tokens/oidc",
     "/var/run/secrets/tokens/oidc"),
    ("env:ID_TOKEN", "env", "ID_TOKEN", None),
    ("file:/tmp/a:b", "file", "/tmp/a:b", "/tmp/a:b"),
], ids=["github", "github-audience", "gitlab", "kubernetes", "kubernetes-path", "env", "file-with-colon"])
def test_parse_source(text, kind, arg, path):
    source = parse_source(text)
    assert (source.kind, source.arg, source.path) == (kind, arg, path)
    assert str(source) == text


@pytest.mark.parametrize("text, words", [
    ("vault:x", "is not a token source"),
    ("gitlab", "needs a variable name"),
    ("env:", "needs a variable name"),
    ("file", "needs a path"),
], ids=["unknown", "gitlab-bare", "env-empty", "file-bare"])
def test_bad_sources(text, words):
    with pytest.raises(ConfigError) as err:
        parse_source(text, "--subject-token-source")
    assert words in err.value.message and "--subject-token-source" in err.value.message


def test_github_request_url_appends_the_audience():
    base = "https://pipelines.actions.githubusercontent.com/abc/_apis/oidc/token?api-version=2.0"
    assert github_request_url(base, "api://Azure AD") == base + "&audience=api%3A%2F%2FAzure%20AD"
    assert github_request_url(base, None) == base
    assert github_request_url("https://x.test/token", "aud") == "https://x.test/token?audience=aud"


def test_github_answer():
    assert github_answer(200, json.dumps({"count": 3, "value": JWT}).encode(), "https://x.test/t") == JWT
    with pytest.raises(ConfigError) as err:
        github_answer(401, b"{}", "https://x.test/t")
    assert "HTTP 401" in err.value.message and "id-token: write" in err.value.hint
    for body in (b"not json", b'{"value": 3}', b"[]"):
        with pytest.raises(ConfigError):
            github_answer(200, body, "https://x.test/t")
    with pytest.raises(ConfigError):
        github_answer(500, b"", "https://x.test/t")


def test_check_jwt():
    assert check_jwt(f"  {JWT}\n", "it") == JWT
    for bad in ("", "a.b", "a.b.c.d", f"{_b64([1])}.{_b64({})}.x", f"{_b64({'typ': 'JWT'})}.{_b64({})}.x",
                "!!!.???.x"):
        with pytest.raises(ConfigError) as err:
            check_jwt(bad, "the token file /t")
        assert err.value.message.startswith("the token file /t is ")


def test_describe_never_holds_the_token():
    assert TokenSource("env", "TOK").describe() == "the token in $TOK"

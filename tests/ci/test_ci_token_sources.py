"""CI token sources (issue #17): a job's signed OIDC token exchanged at the real provider, with no
secret anywhere — GitHub Actions (a stand-in of its ID-token service), GitLab's id_tokens
variable, a Kubernetes projected token file, env: and file:. And what goes wrong, in one line."""

from __future__ import annotations

import pytest

from tests.ci.conftest import accepted, config_bytes, keyring_entries, make_stale, store, token_events
from tests.support.ci_trust import CI_AUDIENCE, CI_ISSUER, JWT_BEARER, TOKEN_EXCHANGE, foreign_key
from tests.support.cli import assert_no_traceback, run_cli


def one_line(result) -> str:
    assert_no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    assert result.stdout == ""
    return lines[0]


def exchange(provider, *extra: str, env=None, client: str = "ci-public"):
    return run_cli("token", "--issuer", provider.issuer, "--client-id", client, "--grant", "token-exchange",
                   *extra, env=env)


def test_github_actions_job_gets_a_token_with_no_secret(provider, github):
    provider.reset_events()
    result = exchange(provider, "--subject-token-source", f"github-actions:{CI_AUDIENCE}", env=github.env())
    assert result.code == 0, result
    assert_no_traceback(result)
    token = result.stdout.strip()
    assert result.stdout == token + "\n" and provider.introspect(token)["active"] is True
    # GitHub's documented request: the URL with &audience= appended, the request token as a bearer.
    (request,) = github.requests
    assert request["query"] == {"api-version": ["2.0"], "audience": [CI_AUDIENCE]}
    assert request["authorization"] == f"bearer {github.request_token}"
    (seen,) = accepted(provider)
    assert (seen["iss"], seen["sub"], seen["aud"]) == (CI_ISSUER, "repo:acme/app:ref:refs/heads/main", CI_AUDIENCE)
    (sent,) = token_events(provider, grant_type=TOKEN_EXCHANGE)
    assert sent["client_id"] == "ci-public" and sent["auth_method"] == "none"
    # Nothing stored: no profile, no secret, no token.
    assert config_bytes() == b"" and not any(keyring_entries().values())
    (jwt,) = github.issued
    assert jwt not in result.stderr


def test_the_ci_token_never_shows_in_the_verbose_trace(provider, github):
    result = exchange(provider, "-v", "--subject-token-source", f"github-actions:{CI_AUDIENCE}", env=github.env())
    assert result.code == 0, result
    (jwt,) = github.issued
    assert "> GET" in result.stderr or "GET " in result.stderr  # the trace is there...
    for secret in (jwt, jwt.split(".")[2], github.request_token, result.stdout.strip()):
        assert secret not in result.stderr  # ...with the JWT, its signature and the request token masked


def test_jwt_bearer_with_a_ci_assertion_and_no_client_sends_no_client_authentication(provider, github):
    provider.reset_events()
    result = run_cli("token", "--token-url", provider.endpoint("token"), "--grant", "jwt-bearer",
                     "--assertion-source", f"github-actions:{CI_AUDIENCE}", env=github.env())
    assert result.code == 0, result
    assert provider.introspect(result.stdout.strip())["active"] is True
    # RFC 7523 §3.1: no client_id, no Authorization: the provider's stand-in client took it.
    (sent,) = token_events(provider, grant_type=JWT_BEARER)
    assert sent["client_id"] == "assertion-public"


def test_gitlab_id_token_variable(provider):
    token = provider.trust.ci_token(audience=CI_AUDIENCE, sub="project_path:acme/app:ref_type:branch:ref:main")
    provider.reset_events()
    result = exchange(provider, "--subject-token-source", "gitlab:OAUTH2_ID_TOKEN", env={"OAUTH2_ID_TOKEN": token})
    assert result.code == 0, result
    (seen,) = accepted(provider)
    assert seen["sub"] == "project_path:acme/app:ref_type:branch:ref:main"


def test_a_kubernetes_profile_rereads_the_projected_token_each_time(provider, tmp_path):
    path = tmp_path / "token"
    path.write_text(provider.trust.ci_token(sub="system:serviceaccount:ci:first") + "\n")
    added = run_cli("profile", "add", "k8s", "--issuer", provider.issuer, "--client-id", "ci-public",
                    "--grant", "token-exchange", "--subject-token-source", f"kubernetes:{path}")
    assert added.code == 0, added
    assert b"kubernetes:" in config_bytes() and b"eyJ" not in config_bytes()
    provider.reset_events()
    first = run_cli("token", "k8s")
    assert first.code == 0, first
    # The kubelet rotates the file; the next renewal must read the new one.
    path.write_text(provider.trust.ci_token(sub="system:serviceaccount:ci:second"))
    make_stale("k8s")
    second = run_cli("token", "k8s")
    assert second.code == 0, second
    assert second.stdout != first.stdout
    assert [e["sub"] for e in accepted(provider)] == ["system:serviceaccount:ci:first", "system:serviceaccount:ci:second"]
    stored = keyring_entries()
    assert not any("eyJ" in value and "subject" in value for value in stored.get("oauth2cli", {}).values())
    assert path.read_text() not in str(stored)  # the source's JWT is never stored


def test_env_and_file_sources(provider, tmp_path):
    path = tmp_path / "jwt"
    path.write_text(provider.trust.ci_token())
    by_file = exchange(provider, "--subject-token-source", f"file:{path}")
    by_env = exchange(provider, "--subject-token-source", "env:MY_JWT", env={"MY_JWT": provider.trust.ci_token()})
    assert by_file.code == by_env.code == 0, (by_file, by_env)


@pytest.mark.parametrize("make, words", [
    (lambda trust: trust.ci_token(lifetime=-60), '"exp" claim timestamp check failed'),
    (lambda trust: trust.ci_token(key=foreign_key()), "signature verification failed"),
    (lambda trust: trust.ci_token(audience="someone-else"), 'unexpected "aud" claim value'),
    (lambda trust: trust.ci_token(issuer="https://evil.example"), "is not trusted"),
], ids=["expired", "foreign-signed", "wrong-audience", "unknown-issuer"])
def test_a_refused_ci_token_is_exit_3_with_the_servers_words(provider, make, words):
    result = exchange(provider, "--subject-token-source", "env:CI_JWT", env={"CI_JWT": make(provider.trust)})
    assert result.code == 3, result
    line = one_line(result)
    assert "invalid_grant" in line and words in line


def test_github_without_id_token_permission(provider):
    result = exchange(provider, "--subject-token-source", "github-actions")
    assert result.code == 1, result
    line = one_line(result)
    assert "ACTIONS_ID_TOKEN_REQUEST_URL" in line and "permissions: id-token: write" in line


def test_github_refuses_a_wrong_request_token(provider, github):
    provider.reset_events()
    result = exchange(provider, "--subject-token-source", "github-actions", env=github.env("not-the-token"))
    assert result.code == 1, result
    line = one_line(result)
    assert "HTTP 401" in line and "refused the request token" in line
    assert github.requests and token_events(provider) == []  # no token request with nothing to exchange


@pytest.mark.parametrize("content, words", [
    (None, "no such file"),
    ("not a jwt at all\n", "is not a JWT"),
    ("", "is empty"),
    ("eyJhbGciOiJub25lIn0.e30", "is not a JWT"),
], ids=["missing", "text", "empty", "two-parts"])
def test_an_unreadable_source_file_is_exit_1(provider, tmp_path, content, words):
    path = tmp_path / "token"
    if content is not None:
        path.write_text(content)
    provider.reset_events()
    result = exchange(provider, "--subject-token-source", f"file:{path}")
    assert result.code == 1, result
    line = one_line(result)
    assert str(path) in line and words in line
    assert token_events(provider) == []


def test_bad_source_syntax_and_missing_variables(provider):
    bad = exchange(provider, "--subject-token-source", "vault:secret/x")
    assert bad.code == 1 and "github-actions[:AUDIENCE]" in one_line(bad), bad
    unset = exchange(provider, "--subject-token-source", "gitlab:ID_TOKEN_NOT_SET")
    assert unset.code == 1 and "id_tokens:" in one_line(unset), unset


def test_a_jwt_bearer_profile_with_a_github_source_and_no_client(provider, github):
    added = run_cli("profile", "add", "gh", "--token-url", provider.endpoint("token"), "--grant", "jwt-bearer",
                    "--assertion-source", f"github-actions:{CI_AUDIENCE}")
    assert added.code == 0, added
    shown = run_cli("profile", "show", "gh")
    assert shown.code == 0 and "github-actions:" + CI_AUDIENCE in shown.stdout, shown
    provider.reset_events()
    first = run_cli("token", "gh", env=github.env())
    assert first.code == 0, first
    assert provider.introspect(first.stdout.strip())["active"] is True
    (sent,) = token_events(provider, grant_type=JWT_BEARER)
    assert sent["client_id"] == "assertion-public"  # no client authentication was sent
    status = run_cli("status")
    assert any(line.startswith("gh") and "service account" in line for line in status.stdout.splitlines()), status
    make_stale("gh")
    second = run_cli("token", "gh", env=github.env())
    assert second.code == 0 and second.stdout != first.stdout, second
    assert len(github.issued) == 2  # a new CI token for the new access token


def test_exec_runs_a_command_with_a_token_from_the_profiles_ci_source(provider, github):
    added = run_cli("profile", "add", "job", "--token-url", provider.endpoint("token"), "--grant", "jwt-bearer",
                    "--assertion-source", f"github-actions:{CI_AUDIENCE}")
    assert added.code == 0, added
    ran = run_cli("exec", "-p", "job", "--", "sh", "-c", 'printf %s "$OAUTH2_ACCESS_TOKEN"; exit 3', env=github.env())
    assert ran.code == 3, ran  # the command's own status
    assert_no_traceback(ran)
    assert provider.introspect(ran.stdout)["active"] is True
    (jwt,) = github.issued
    assert jwt not in ran.stdout + ran.stderr


def test_exec_takes_a_token_source_over_the_profiles(provider, tmp_path):
    added = run_cli("profile", "add", "xchg", "--issuer", provider.issuer, "--client-id", "ci-public",
                    "--auth-method", "none", "--grant", "token-exchange", "--subject-token-source", "env:NOT_SET_HERE")
    assert added.code == 0, added
    path = tmp_path / "jwt"
    path.write_text(provider.trust.ci_token())
    provider.reset_events()
    ran = run_cli("exec", "-p", "xchg", "--subject-token-source", f"file:{path}", "--",
                  "sh", "-c", 'printf %s "$OAUTH2_ACCESS_TOKEN"')
    assert ran.code == 0, ran
    assert provider.introspect(ran.stdout)["active"] is True
    assert len(token_events(provider, grant_type=TOKEN_EXCHANGE)) == 1
    make_stale("xchg")  # the next token needs the profile's own source, which cannot be read
    missing = run_cli("exec", "-p", "xchg", "--", "sh", "-c", "echo ran")
    assert missing.code == 1 and "ran" not in missing.stdout, missing
    assert len(missing.stderr.strip().splitlines()) == 1 and "NOT_SET_HERE" in missing.stderr, missing

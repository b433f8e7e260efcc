"""Each provider preset against a local stand-in that reproduces the provider's documented
behaviour (the page is cited in each preset file): the quirk, not only a happy path.
Google's quirks are in test_login_keeps_refresh_token.py, Microsoft's in test_preset_microsoft.py."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.oidc_standin import OidcStandin
from tests.support.routes import RouteServer

SECRET = {"OAUTH2_CLIENT_SECRET": "app-secret"}


def ok(*args, env=None):
    result = run_cli(*args, env={**SECRET, **(env or {})})
    assert result.code == 0, result
    assert_no_traceback(result)
    return result


def stored(profile: str):
    from oauth2cli.deps import Deps

    return Deps().store.load_tokens(profile)


def settings_of(profile: str) -> dict:
    shown = json.loads(run_cli("profile", "show", profile, "--json").stdout)["settings"]
    return {k: v["value"] for k, v in shown.items()}


def endpoints_of(op: OidcStandin) -> list[str]:
    return ["--authorization-url", op.url("/authorize"), "--token-url", op.url("/token")]


def test_okta_custom_authorization_server_metadata_is_appended_to_the_issuer():
    with RouteServer() as s:
        issuer = s.url("/oauth2/default")
        s.route("GET", "/oauth2/default/.well-known/oauth-authorization-server", 200, {
            "issuer": issuer, "token_endpoint": s.url("/oauth2/default/v1/token"),
            "authorization_endpoint": s.url("/oauth2/default/v1/authorize")})
        s.route("POST", "/oauth2/default/v1/token", 200,
                {"access_token": "eyJraWQiOi-okta", "token_type": "Bearer", "expires_in": 3600, "scope": "api"})
        ok("profile", "add", "okta", "--preset", "okta", "--preset-param", f"org_url={s.base}", "--client-id", "0oa1")
        assert settings_of("okta")["issuer"] == issuer
        assert ok("token", "okta", "--grant", "client_credentials", "--scope", "api").stdout == "eyJraWQiOi-okta\n"
        assert "GET /oauth2/default/.well-known/oauth-authorization-server" in s.paths()


@pytest.mark.parametrize("audience", ["https://api.example.com", None], ids=["with-audience", "without"])
def test_auth0_sends_the_audience_and_takes_its_trailing_slash_issuer(standin_browser, audience):
    with OidcStandin() as op:
        op.document_issuer = op.id_token_iss = op.issuer + "/"  # "https://TENANT.auth0.com/"
        params = ["--preset-param", f"audience={audience}"] if audience else []
        ok("profile", "add", "a0", "--preset", "auth0", "--preset-param", f"tenant_url={op.issuer}", *params,
           "--client-id", "spa")
        ok("login", "a0")
        sent = op.authorizations[-1]
        assert sent.get("audience") == audience
        assert sent["scope"] == "openid profile email offline_access"


def test_keycloak_realm_issuer_from_base_url_and_realm(standin_browser):
    with OidcStandin(issuer_path="/realms/demo") as op:
        ok("profile", "add", "kc", "--preset", "keycloak", "--preset-param", f"base_url={op.server.base}",
           "--preset-param", "realm=demo", "--client-id", "cli")
        assert settings_of("kc")["endpoints.token_endpoint"] == op.url("/token")
        ok("login", "kc")
        assert stored("kc").id_token


def test_keycloak_needs_its_realm():
    result = run_cli("profile", "add", "kc", "--preset", "keycloak", "--preset-param", "base_url=https://sso.example",
                     "--client-id", "cli", "--no-discover")
    assert result.code == 1 and "needs the parameter 'realm'" in result.stderr, result


def test_cognito_issuer_and_the_revocation_endpoint_its_document_leaves_out():
    ok("profile", "add", "cg0", "--preset", "cognito", "--preset-param", "region=eu-west-1",
                "--preset-param", "user_pool_id=eu-west-1_AbC", "--preset-param", "domain=https://x.example",
                "--client-id", "c", "--no-discover")
    assert settings_of("cg0")["issuer"] == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
    with RouteServer() as s:
        issuer = s.url("/eu-west-1_AbC")
        # Cognito's document: no revocation_endpoint.
        s.route("GET", "/eu-west-1_AbC/.well-known/openid-configuration", 200, {
            "issuer": issuer, "authorization_endpoint": s.url("/oauth2/authorize"),
            "token_endpoint": s.url("/oauth2/token"), "jwks_uri": s.url("/eu-west-1_AbC/.well-known/jwks.json")})
        s.route("POST", "/oauth2/revoke", 200, "", "")
        ok("profile", "add", "cg", "--preset", "cognito", "--issuer", issuer, "--preset-param", "region=eu-west-1",
           "--preset-param", "user_pool_id=eu-west-1_AbC", "--preset-param", f"domain={s.base}", "--client-id", "c")
        ok("revoke", "cg", "--client-id", "c", "eyJraWQ-refresh")
        assert s.requests[-1].path == "/oauth2/revoke" and s.requests[-1].form_dict()["token"] == "eyJraWQ-refresh"


def _github_server(s: RouteServer, token_answers: list):
    s.route("POST", "/login/device/code", 200, {
        "device_code": "3584d83530557fdd1f46af8289938c8ef79f9dc5", "user_code": "WDJB-MJHT",
        "verification_uri": "https://github.com/login/device", "expires_in": 900, "interval": 1})

    def token(seen):
        return 200, token_answers.pop(0), "application/json"

    s.route("POST", "/login/oauth/access_token", handler=token)


def test_github_device_flow_errors_in_200_and_refresh_token_expires_in():
    answers = [
        {"error": "authorization_pending", "error_description": "The authorization request is still pending.",
         "error_uri": "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow"},
        {"access_token": "ghu_16C7e42F292c6912E7710c838347Ae178B4a", "expires_in": 28800,
         "refresh_token": "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498",
         "refresh_token_expires_in": 15897600, "scope": "", "token_type": "bearer"},
    ]
    with RouteServer() as s:
        _github_server(s, answers)
        ok("profile", "add", "gh", "--preset", "github", "--client-id", "Iv1.b507a08c87ecfe98",
           "--device-authorization-url", s.url("/login/device/code"), "--token-url", s.url("/login/oauth/access_token"))
        before = time.time()
        result = ok("login", "gh", "--device")
        assert "WDJB-MJHT" in result.stderr
        tokens = stored("gh")
        assert tokens.refresh_token.startswith("ghr_")
        assert before + 15897600 - 5 <= tokens.extra["refresh_token_expires_at"] <= time.time() + 15897600
        assert not answers


def test_github_an_expired_refresh_token_is_not_sent():
    answers = [{"access_token": "ghu_x", "expires_in": 28800, "refresh_token": "ghr_y",
                "refresh_token_expires_in": 0, "scope": "", "token_type": "bearer"}]
    with RouteServer() as s:
        _github_server(s, answers)
        ok("profile", "add", "gh", "--preset", "github", "--client-id", "Iv1.b507a08c87ecfe98",
           "--device-authorization-url", s.url("/login/device/code"), "--token-url", s.url("/login/oauth/access_token"))
        ok("login", "gh", "--device")
        sent = len(s.requests)
        result = run_cli("refresh", "gh")
        assert result.code == 7, result
        assert "the refresh token has expired" in result.stderr
        assert len(s.requests) == sent  # nothing sent


def test_gitlab_under_a_relative_url_with_rotating_refresh_tokens(standin_browser):
    with OidcStandin(issuer_path="/gitlab") as op:
        op.rotate_refresh_tokens = True
        ok("profile", "add", "gl", "--preset", "gitlab", "--preset-param", f"base_url={op.issuer}", "--client-id", "app")
        ok("login", "gl")
        first = stored("gl").refresh_token
        ok("refresh", "gl")
        second = stored("gl").refresh_token
        assert second and second != first
        ok("refresh", "gl")  # the rotated one works; the first is dead at the server
        assert settings_of("gl")["urls"] == [op.issuer + "/api/v4"]


def test_atlassian_sends_audience_and_prompt_consent(standin_browser):
    with OidcStandin() as op:
        op.rotate_refresh_tokens = True
        ok("profile", "add", "atl", "--preset", "atlassian", "--client-id", "app", *endpoints_of(op))
        ok("login", "atl")
        sent = op.authorizations[-1]
        assert (sent["audience"], sent["prompt"]) == ("api.atlassian.com", "consent")
        assert sent["scope"] == "read:me offline_access"
        ok("refresh", "atl")


SLACK_OK = {"ok": True, "app_id": "A0KRD7HC3", "authed_user": {"id": "U1234"}, "scope": "chat:write",
            "token_type": "bot", "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
            "bot_user_id": "U0KRQLJ9H", "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"}}


def test_slack_bot_tokens_and_ok_false_errors(standin_browser):
    with OidcStandin() as op:
        op.shape_answer = lambda answer: dict(SLACK_OK)
        ok("profile", "add", "sl", "--preset", "slack", "--client-id", "app", *endpoints_of(op))
        ok("login", "sl")
        assert ok("token", "sl", "-o", "header").stdout == \
            "Authorization: Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy\n"
        op.shape_answer = lambda answer: {"ok": False, "error": "invalid_code"}
        result = run_cli("login", "sl")
        assert result.code == 3, result
        assert "the token endpoint refused: invalid_code" in result.stderr


def test_salesforce_calls_go_to_the_instance_url_of_the_answer(standin_browser):
    with RouteServer() as api, OidcStandin() as op:
        api.route("GET", "/services/data/v62.0/", 200, [{"label": "Winter '25", "version": "62.0"}])
        op.extra_answer = {"instance_url": api.base, "id": op.url("/id/00Dxx0000001gPL/005xx000001Sv6A")}
        ok("profile", "add", "sf", "--preset", "salesforce", "--preset-param", f"login_url={op.issuer}",
           "--client-id", "3MVG9")
        ok("login", "sf")
        result = ok("call", "-p", "sf", api.url("/services/data/v62.0/"))
        assert json.loads(result.stdout)[0]["version"] == "62.0"
        assert api.requests[-1].headers["authorization"] == "Bearer " + stored("sf").access_token
        result = run_cli("call", "-p", "sf", "http://127.0.0.1:9/elsewhere")
        assert result.code == 1 and "may only go to" in result.stderr, result


@pytest.mark.parametrize("project, scope", [
    ("170079925099375131", "openid profile email offline_access urn:zitadel:iam:org:project:id:170079925099375131:aud"),
    (None, "openid profile email offline_access"),
], ids=["project", "no-project"])
def test_zitadel_project_audience_scope(standin_browser, project, scope):
    with OidcStandin() as op:
        params = ["--preset-param", f"project_id={project}"] if project else []
        ok("profile", "add", "z", "--preset", "zitadel", "--preset-param", f"instance_url={op.issuer}", *params,
           "--client-id", "app")
        ok("login", "z")
        assert op.authorizations[-1]["scope"] == scope


def test_authentik_per_application_issuer_with_a_trailing_slash(standin_browser):
    with OidcStandin(issuer_path="/application/o/grafana") as op:
        op.document_issuer = op.id_token_iss = op.issuer + "/"
        ok("profile", "add", "ak", "--preset", "authentik", "--preset-param", f"base_url={op.server.base}",
           "--preset-param", "slug=grafana", "--client-id", "app")
        assert settings_of("ak")["issuer"] == op.issuer + "/"
        ok("login", "ak")
        assert stored("ak").id_token


def test_dropbox_asks_for_offline_access_and_keeps_its_refresh_token(standin_browser):
    with OidcStandin() as op:
        ok("profile", "add", "dbx", "--preset", "dropbox", "--client-id", "app", *endpoints_of(op))
        ok("login", "dbx")
        assert op.authorizations[-1]["token_access_type"] == "offline"
        first = stored("dbx").refresh_token
        ok("refresh", "dbx")  # Dropbox's refresh answer has no refresh_token
        assert stored("dbx").refresh_token == first


def test_every_preset_cites_its_documentation():
    from oauth2cli.providers import load, names

    for name in names():
        preset = load(name)
        if name != "oidc":
            assert preset.docs and preset.docs.startswith("https://"), name
        assert name in ok("profile", "presets").stdout

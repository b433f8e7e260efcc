"""Compliance fixes, switched on by name, against a local server that answers like the
non-standard servers they exist for; and plug-ins from installed packages (entry points)."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.tokenserver import TokenServer

SECRET_ENV = {"OAUTH2_CLIENT_SECRET": "s3cret"}
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture
def server():
    with TokenServer() as s:
        yield s
        s.assert_all_used()


def token(server, *args, env=None):
    return run_cli("token", "--token-url", server.url(), "--client-id", "app", *args, env={**SECRET_ENV, **(env or {})})


GITHUB_ANSWER = "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer"


def test_github_form_answer_is_read_by_its_label_without_the_fix(server):
    # golang.org/x/oauth2 (oauth2c, oauth2l, kubelogin) reads such answers by their Content-Type too.
    server.answer(200, GITHUB_ANSWER, FORM)
    result = token(server, "-o", "json", "-v")
    assert result.code == 0, result
    assert json.loads(result.stdout)["access_token"] == "gho_16C7e42F292c6912E7710c838347Ae178B4a"
    assert "read the application/x-www-form-urlencoded answer as a form" in result.stderr
    assert_no_traceback(result)


def test_github_form_answer_with_the_fix(server):
    server.answer(200, GITHUB_ANSWER, FORM)
    result = token(server, "--compliance-fix", "form_token_response", "-o", "json")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["access_token"] == "gho_16C7e42F292c6912E7710c838347Ae178B4a"
    assert data["token_type"] == "Bearer" and data["scope"] == "repo,gist"
    # We ask for JSON anyway; the fix is for servers that ignore it.
    assert server.requests[0].headers["accept"] == "application/json"


def test_github_form_error_in_a_200_answer_exits_3(server):
    server.answer(200, "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired."
                       "&error_uri=https%3A%2F%2Fdocs.github.com%2Fapps", FORM)
    result = token(server, "--compliance-fix", "form_token_response")
    assert result.code == 3, result
    assert "bad_verification_code: The code passed is incorrect or expired. (see https://docs.github.com/apps)" in result.stderr


def test_expires_instead_of_expires_in(server):
    server.answer(200, {"access_token": "fb", "token_type": "bearer", "expires": 5183999})
    result = token(server, "--compliance-fix", "expires", "-o", "json")
    assert result.code == 0, result
    assert 5183990 <= json.loads(result.stdout)["expires_in"] <= 5183999


def test_missing_token_type_assumes_bearer(server):
    server.answer(200, {"access_token": "no-type"})
    result = token(server, "--compliance-fix", "missing_token_type", "-o", "header")
    assert result.code == 0, result
    assert result.stdout == "Authorization: Bearer no-type\n"


def test_error_in_a_200_answer_in_facebooks_shape(server):
    server.answer(200, {"error": {"message": "Error validating verification code.", "type": "OAuthException",
                                  "code": 100, "fbtrace_id": "A1b2"}})
    result = token(server, "--compliance-fix", "error_in_200")
    assert result.code == 3, result
    assert result.stderr.strip() == ("oauth2: error: the token endpoint refused: OAuthException: "
                                     "Error validating verification code.")


def test_the_seeds_stack_overflow_example(server):
    # site= on every request, and an answer that is form-encoded, says `expires` and has no token_type.
    server.answer(200, "access_token=so-token&expires=86400", "text/plain")
    result = token(server, "--compliance-fix", "query_param:site=stackoverflow", "--compliance-fix", "form_token_response",
                   "--compliance-fix", "expires", "--compliance-fix", "missing_token_type", "-o", "json")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["access_token"] == "so-token" and data["token_type"] == "Bearer"
    assert 86390 <= data["expires_in"] <= 86400
    assert server.requests[0].query == [("site", "stackoverflow")]


def test_fixes_from_a_profile_apply_to_revoke_and_introspect_requests(server, isolate):
    config = isolate / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(textwrap.dedent(f"""\
        [profiles.so]
        client_id = "app"
        token_url = "{server.url('/token')}"
        revocation_url = "{server.url('/revoke')}"
        introspection_url = "{server.url('/introspect')}"
        compliance_fixes = ["query_param:site=stackoverflow"]
        """))
    server.answer(200, "")
    server.answer(200, {"active": False})
    revoked = run_cli("revoke", "so", "-", input="tok\n", env=SECRET_ENV)
    introspected = run_cli("introspect", "so", "-", input="tok\n", env=SECRET_ENV)
    assert revoked.code == 0 and introspected.code == 0, (revoked, introspected)
    assert [(r.path, r.query) for r in server.requests] == [
        ("/revoke", [("site", "stackoverflow")]), ("/introspect", [("site", "stackoverflow")])]
    assert json.loads(introspected.stdout) == {"active": False}


@pytest.mark.parametrize(("spec", "message"), [
    ("made_up", "unknown compliance fix 'made_up'"),
    ("query_param", "query_param needs KEY=VALUE"),
    ("expires:now", "takes no argument"),
])
def test_bad_fix_names_exit_1_before_any_request(server, spec, message):
    result = token(server, "--compliance-fix", spec)
    assert result.code == 1, result
    assert message in result.stderr
    assert server.requests == []


# -- plug-ins ----------------------------------------------------------------------

PLUGIN = '''
import os
from oauth2cli.core.compliance import ComplianceFix, with_json, json_object

open(os.environ["PLUGIN_MARKER"], "a").write("imported\\n")

def api_key(request, client):
    return request.with_header("X-Api-Key", client.client_id).with_form(("key_holder", client.client_id))

def renamed(arg):
    def fix(response):
        data = json_object(response)
        data["access_token"] = data.pop(arg or "tok")
        return with_json(response, data)
    return {"access_token_response": fix}
'''


@pytest.fixture
def plugin_env(tmp_path):
    root = tmp_path / "site"
    (root / "o2plug").mkdir(parents=True)
    (root / "o2plug" / "__init__.py").write_text(PLUGIN)
    info = root / "o2plug-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: o2plug\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[oauth2cli.client_auth]\napi_key = o2plug:api_key\n\n"
        "[oauth2cli.compliance_fixes]\nrenamed = o2plug:renamed\n")
    marker = tmp_path / "imported.txt"
    return {"PYTHONPATH": os.pathsep.join([str(root), os.environ["PYTHONPATH"]]), "PLUGIN_MARKER": str(marker)}, marker


def test_plugins_from_entry_points(server, plugin_env):
    env, marker = plugin_env
    server.answer(200, {"weird_token": "plugged", "token_type": "Bearer"})
    result = token(server, "--auth-method", "api_key", "--compliance-fix", "renamed:weird_token", env=env)
    assert result.code == 0, result
    assert result.stdout == "plugged\n"
    seen = server.requests[0]
    assert seen.headers["x-api-key"] == "app" and ("key_holder", "app") in seen.form
    assert marker.read_text() == "imported\n"


def test_plugins_load_only_when_named(server, plugin_env):
    env, marker = plugin_env
    server.answer(200, {"access_token": "plain", "token_type": "Bearer"})
    result = token(server, env=env)
    assert result.code == 0, result
    assert not marker.exists()
    listing = token(server, "--auth-method", "nope", env=env)
    assert listing.code == 1 and "api_key" in listing.stderr, listing
    assert not marker.exists()

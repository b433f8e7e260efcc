"""Profiles through the real CLI: add (with discovery), list, show, set, rename, remove,
the corrupt config, unknown names, and what lands where."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.memkeyring import FileBackedTestKeyring


def config_path() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"


def keyring_entries() -> dict:
    return FileBackedTestKeyring(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"]).entries().get("oauth2cli", {})


def add(*args, env=None):
    result = run_cli("profile", "add", *args, env=env)
    assert result.code == 0, result
    return result


def test_add_discovers_and_stores_endpoints_and_keeps_the_secret_out_of_the_file(provider):
    secret = provider.clients["conf-basic"]["client_secret"]
    result = add("work", "--issuer", provider.issuer, "--client-id", "conf-basic", "--scope", "openid",
                 env={"OAUTH2_CLIENT_SECRET": secret})
    assert "added profile 'work'" in result.stderr
    text = config_path().read_text()
    assert secret not in text
    assert f'token_endpoint = "{provider.endpoint("token")}"' in text
    assert f'revocation_endpoint = "{provider.endpoint("revocation")}"' in text
    assert keyring_entries() == {"work:client_secret": secret}
    assert stat.S_IMODE(config_path().stat().st_mode) == 0o600

    listed = run_cli("profile", "list", "--json")
    assert json.loads(listed.stdout)[0] | {} == {
        "name": "work", "default": True, "preset": None, "issuer": provider.issuer,
        "token_endpoint": provider.endpoint("token"), "client_id": "conf-basic", "grant": None}

    shown = run_cli("profile", "show", "work")
    assert shown.code == 0, shown
    assert secret not in shown.stdout
    assert "client_secret = ********" in shown.stdout
    assert "scope = openid    [profile]" in shown.stdout


def test_a_profile_feeds_a_client_credentials_token_and_a_flag_or_variable_wins(provider):
    client = provider.clients["cc-only"]
    add("svc", "--token-url", "http://127.0.0.1:9/nothing-listens-here", "--client-id", "cc-only",
        env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    unreachable = run_cli("token", "svc", "--grant", "client_credentials")
    assert unreachable.code == 6, unreachable
    # The secret comes from the store; the endpoint from the flag, or from its variable.
    by_flag = run_cli("token", "svc", "--grant", "client_credentials", "--token-url", provider.endpoint("token"))
    assert by_flag.code == 0, by_flag
    assert provider.introspect(by_flag.stdout.strip())["active"] is True
    by_env = run_cli("token", "svc", "--grant", "client_credentials", env={"OAUTH2_TOKEN_URL": provider.endpoint("token")})
    assert by_env.code == 0, by_env


def test_the_timeout_default_does_not_override_the_profile():
    from oauth2cli.deps import Deps
    from oauth2cli.flows.settings import resolve

    add("slow", "--token-url", "http://127.0.0.1:9/token", "--client-id", "x", "--timeout", "7")
    deps = Deps(environ=dict(os.environ))
    assert resolve({"timeout": None}, deps, "slow").timeout == 7.0
    assert resolve({"timeout": 3.0}, deps, "slow").timeout == 3.0
    assert resolve({"timeout": None, "client_id": "y"}, deps, None).timeout == 30.0


def test_layering_flag_over_profile_over_preset():
    from oauth2cli.deps import Deps
    from oauth2cli.flows.settings import resolve

    add("corp", "--preset", "microsoft", "--preset-param", "tenant=contoso.com", "--client-id", "abc",
        "--scope", "User.Read")
    deps = Deps(environ=dict(os.environ))
    s = resolve({}, deps, "corp")
    assert s.issuer == "https://login.microsoftonline.com/contoso.com/v2.0"
    assert s.issuer_template == "https://login.microsoftonline.com/{tenantid}/v2.0"
    assert s.scope == "User.Read"  # profile over preset
    assert s.urls == ("https://graph.microsoft.com",)  # preset over default
    assert s.preset == "microsoft"
    s = resolve({"scope": "openid", "token_url": "http://127.0.0.1:1/t"}, deps, "corp")
    assert (s.scope, s.endpoints["token_endpoint"]) == ("openid", "http://127.0.0.1:1/t")

    changed = run_cli("profile", "set", "corp", "tenant", "fabrikam.com")
    assert changed.code == 0, changed
    deps = Deps(environ=dict(os.environ))
    assert resolve({}, deps, "corp").issuer == "https://login.microsoftonline.com/fabrikam.com/v2.0"


def test_an_unknown_profile_named_like_a_preset_is_created_from_it(capsys):
    import io

    from oauth2cli.core.errors import ConfigError
    from oauth2cli.deps import Deps
    from oauth2cli.flows.settings import resolve

    deps = Deps(environ=dict(os.environ), stdin=io.StringIO(""), stderr=io.StringIO())
    with pytest.raises(ConfigError, match="needs a client id") as info:
        resolve({}, deps, "github")
    assert "--client-id" in info.value.hint
    assert not config_path().exists()

    deps = Deps(environ=dict(os.environ), stderr=io.StringIO())
    s = resolve({"client_id": "Iv1.abc"}, deps, "github")
    assert s.endpoints["token_endpoint"] == "https://github.com/login/oauth/access_token"
    assert s.urls == ("https://api.github.com",)
    assert "created profile 'github' from the github preset" in deps.stderr.getvalue()
    assert 'preset = "github"' in config_path().read_text()


def test_every_preset_loads():
    from oauth2cli.providers import load, names

    assert set(names()) >= {"github", "google", "microsoft", "gitlab", "oidc"}
    gitlab = load("gitlab").values({"base_url": "https://git.example.com/"})
    assert gitlab["issuer"] == "https://git.example.com"
    assert gitlab["urls"] == ["https://git.example.com/api/v4"]
    assert load("google").values({})["auth_params"] == {"access_type": "offline", "prompt": "consent"}


def test_generic_oidc_preset_needs_an_issuer():
    result = run_cli("profile", "add", "x", "--preset", "oidc", "--client-id", "c")
    assert result.code == 1, result
    assert "preset 'oidc' needs issuer: give --issuer" in result.stderr


@pytest.mark.parametrize("name", ["_bad", "a b", "../etc", "x" * 65, "ü"])
def test_profile_names_are_validated(name):
    result = run_cli("profile", "add", name, "--token-url", "http://127.0.0.1:9/t", "--client-id", "c")
    assert result.code == 1, result
    assert "invalid profile name" in result.stderr
    assert not config_path().exists()


def test_an_unknown_profile_lists_the_known_ones():
    add("alpha", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c")
    add("beta", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c")
    result = run_cli("token", "gamma")
    assert result.code == 1, result
    assert result.stderr.strip().splitlines() == [
        "oauth2: error: unknown profile 'gamma' (known: alpha, beta); add it with `oauth2 profile add gamma ...`"]


CORRUPT = '# my profiles\ndefault = "work"\n[profiles.work]\nclient_id = "cli"\nscope = "openid\n'


@pytest.mark.parametrize("argv", [
    ["profile", "list"],
    ["status"],
    ["token", "work"],
    ["profile", "add", "new", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c"],
    ["profile", "set", "work", "scope", "x"],
    ["profile", "remove", "work"],
], ids=" ".join)
def test_a_corrupt_config_is_reported_with_path_and_line_and_never_overwritten(argv):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CORRUPT)
    result = run_cli(*argv)
    assert result.code == 1, result
    assert_no_traceback(result)
    assert f"the config file {path} is not valid TOML" in result.stderr
    assert "line 5" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_text() == CORRUPT


def test_a_secret_key_in_the_config_is_refused():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[profiles.w]\nclient_id = "c"\nclient_secret = "oops"\ntoken_url = "x"\n')
    result = run_cli("token", "w")
    assert result.code == 1, result
    assert "client_secret does not belong in config.toml" in result.stderr
    assert "oops" not in result.stderr


def test_remove_takes_secrets_and_tokens_with_it():
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    add("gone", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c", env={"OAUTH2_CLIENT_SECRET": "s3"})
    add("kept", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c", env={"OAUTH2_CLIENT_SECRET": "k3"})
    Store(Deps(environ=dict(os.environ))).save_tokens("gone", TokenSet("at", refresh_token="rt", id_token="i" * 5000))
    assert any(k.startswith("gone:tokens#") for k in keyring_entries())

    result = run_cli("profile", "remove", "gone")
    assert result.code == 0, result
    assert keyring_entries() == {"kept:client_secret": "k3"}
    assert "gone" not in config_path().read_text()
    assert run_cli("profile", "show", "gone").code == 1


def test_rename_moves_secrets_and_default_and_set_unset():
    add("old", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c", env={"OAUTH2_CLIENT_SECRET": "s3"})
    assert run_cli("profile", "rename", "old", "new").code == 0
    assert keyring_entries() == {"new:client_secret": "s3"}
    assert run_cli("profile", "default").stdout == "new\n"
    assert run_cli("profile", "set", "new", "leeway", "5").code == 0
    assert run_cli("profile", "set", "new", "redirect-port", "8400,8401").code == 0
    bad = run_cli("profile", "set", "new", "leeway", "soon")
    assert bad.code == 1 and "leeway is a number" in bad.stderr
    unknown = run_cli("profile", "set", "new", "colour", "blue")
    assert unknown.code == 1 and "unknown key 'colour'" in unknown.stderr
    text = config_path().read_text()
    assert "leeway = 5.0" in text and "redirect_ports = [8400, 8401]" in text
    assert run_cli("profile", "unset", "new", "leeway").code == 0
    assert "leeway" not in config_path().read_text()


def test_comments_survive_an_edit():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# mine\n[profiles.w]  # the work one\nclient_id = "c"  # from the portal\n')
    assert run_cli("profile", "set", "w", "scope", "openid").code == 0
    text = path.read_text()
    assert "# mine" in text and "# the work one" in text and "# from the portal" in text


def test_secret_from_stdin_never_argv():
    add("s", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c")
    result = run_cli("profile", "secret", "s", input="from-stdin\n")
    assert result.code == 0, result
    assert keyring_entries() == {"s:client_secret": "from-stdin"}


def test_status_and_logout_with_revocation(provider):
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    client = provider.clients["conf-basic"]
    add("op", "--issuer", provider.issuer, "--client-id", "conf-basic", env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    got = provider.post_as("conf-basic", "token", {"grant_type": "client_credentials"}).json()
    Store(Deps(environ=dict(os.environ))).save_tokens(
        "op", TokenSet(got["access_token"], expires_at=time.time() + 3000, scope="openid"))
    status = run_cli("status")
    assert status.code == 0, status
    assert status.stdout.splitlines()[1].split("\t")[:2] == ["op *", "logged in"]
    assert "secrets and tokens: keyring" in status.stderr
    assert provider.introspect(got["access_token"])["active"] is True

    out = run_cli("logout", "op")
    assert out.code == 0, out
    assert "logged out of 'op' (tokens revoked)" in out.stderr
    assert provider.introspect(got["access_token"])["active"] is False
    assert "op:tokens" not in keyring_entries()
    assert json.loads(run_cli("status", "--json").stdout)["profiles"][0]["logged_in"] is False

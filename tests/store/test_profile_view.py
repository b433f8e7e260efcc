"""The one lean view of a profile (store/view.py): what `oauth2 token P`, the git and kubectl helpers
and `call` answer from before click loads is what the full path answers, because both read the same
config.toml the same way (store/memo.py), layer the same preset with the same `{param}`s filled
(store/presets.py) and take the same lock. Each case runs the real command twice: through the
entry point (the lean view first) and straight into click, and a user sees the same."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.support.routes import RouteServer
from tests.support.startup import lean_violations, write_config

GIT_IN = "protocol=https\nhost=git.example.com\n"


def _b64(data: dict) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


ID_TOKEN = _b64({"alg": "RS256"}) + "." + _b64({"iss": "https://gitlab.com", "exp": int(time.time()) + 3000,
                                               "iat": int(time.time()), "sub": "u"}) + ".c2ln"


@pytest.fixture(autouse=True)
def file_store(monkeypatch):
    monkeypatch.setenv("OAUTH2CLI_STORE", "file")


def save_token(name: str, access_token: str, expires_in: float = 3600, **extra) -> None:
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    Deps(environ=dict(os.environ)).store.save_tokens(name, TokenSet(access_token, expires_at=time.time() + expires_in,
                                                                     **extra))


def settle() -> None:
    """config.toml's parse remembered, as after a first run some seconds ago."""
    from oauth2cli.store import view

    view.read_config(dict(os.environ), now_ns=time.time_ns() + 10**10)


def entry(*argv: str, stdin: str | None = None) -> tuple[str, str, int, list[str]]:
    """`oauth2 ARGV` through the entry point: (stdout, stderr, exit code, modules loaded)."""
    import subprocess
    import sys

    from tests.support.startup import LOADED_PROBE

    proc = subprocess.run([sys.executable, "-c", LOADED_PROBE, *argv], input=stdin, capture_output=True, text=True,
                          timeout=60)
    head, _, tail = proc.stderr.rpartition("\nLOADED=")
    result = json.loads(tail)
    return proc.stdout, head, result["code"] or 0, result["modules"]


def click(*argv: str, stdin: str | None = None) -> tuple[str, str, int]:
    import subprocess
    import sys

    from tests.support.startup import CLICK_PROBE

    proc = subprocess.run([sys.executable, "-c", CLICK_PROBE, *argv], input=stdin, capture_output=True, text=True,
                          timeout=60)
    return proc.stdout, proc.stderr, proc.returncode


# -- presets with parameters are served by the lean view ---------------------------------------

PARAM_PRESETS = [
    ("gitlab", 'base_url = "https://gitlab.example.com/"', "oauth2"),
    ("gitlab", "", "oauth2"),  # the parameter's default, https://gitlab.com
    ("salesforce", 'login_url = "https://test.salesforce.com"', "oauth2"),
    ("okta", 'org_url = "https://dev-1.okta.com"', "oauth2"),
    ("auth0", 'tenant_url = "https://t.auth0.com"\naudience = "https://api.example.com"', "oauth2"),
    ("zitadel", 'instance_url = "https://z.example.com"', "oauth2"),  # project_id optional, unset
    ("microsoft", 'tenant = "contoso"', "oauth2"),
    ("github", "", "x-access-token"),
]


@pytest.mark.parametrize("preset,params,username", PARAM_PRESETS,
                         ids=[f"{p}-{'params' if a else 'defaults'}" for p, a, _ in PARAM_PRESETS])
def test_a_preset_profile_with_a_fresh_token_is_answered_before_click(preset, params, username):
    write_config(f'[profiles.p]\npreset = "{preset}"\nclient_id = "cli"\n{params}\n')
    save_token("p", "tok-p")
    settle()
    first = entry("token", "p")  # may parse the preset file once; its parse is remembered too
    stdout, stderr, code, modules = entry("token", "p")
    assert (stdout, code) == ("tok-p\n", 0) == (first[0], first[2]), stderr
    assert lean_violations(modules) == []  # no click, tomllib, json, pathlib, typing, Store
    assert click("token", "p")[:3:2] == ("tok-p\n", 0)
    stdout, stderr, code, modules = entry("git-credential", "-p", "p", "get", stdin=GIT_IN)
    assert stdout.startswith(f"username={username}\npassword=tok-p\npassword_expiry_utc=") and code == 0, stderr
    assert "click" not in modules
    assert click("git-credential", "-p", "p", "get", stdin=GIT_IN)[0] == stdout


def test_a_gitlab_profiles_token_goes_to_its_filled_api_url_on_the_lean_path():
    """urls = ["{base_url}/api/v4"]: filled with the profile's base_url, the lean `call` sends the token
    there; before, the placeholder was compared unfilled and every call went to click."""
    with RouteServer() as api:
        api.route("GET", "/gitlab/api/v4/user", 200, {"username": "me"})
        write_config(f'[profiles.gl]\npreset = "gitlab"\nclient_id = "cli"\nbase_url = "{api.base}/gitlab/"\n')
        save_token("gl", "tok-gl")
        settle()
        entry("token", "gl")  # the preset's parse remembered
        stdout, stderr, code, modules = entry("call", "-p", "gl", api.url("/gitlab/api/v4/user"))
        assert (json.loads(stdout), code) == ({"username": "me"}, 0), stderr
        assert "click" not in modules and "httpx" not in modules
        assert api.requests[-1].headers["authorization"] == "Bearer tok-gl"
        # the full path agrees: the same URL is within the profile's urls
        assert json.loads(click("call", "-p", "gl", api.url("/gitlab/api/v4/user"))[0]) == {"username": "me"}
        assert api.requests[-1].headers["authorization"] == "Bearer tok-gl"


def test_kube_credential_reads_the_scope_from_the_preset():
    # gitlab's scope has openid: kube-credential hands over the id_token, lean and full alike
    write_config('[profiles.k]\npreset = "gitlab"\nclient_id = "cli"\n')
    save_token("k", "tok-k", id_token=ID_TOKEN)
    settle()
    stdout, stderr, code, modules = entry("kube-credential", "k")
    assert code == 0 and json.loads(stdout)["status"]["token"] == ID_TOKEN, stderr
    assert "click" not in modules
    assert json.loads(click("kube-credential", "k")[0]) == json.loads(stdout)


# -- what is wrong is said once, in the full path's words, and no token is printed -------------

BAD = [
    ("[profiles\nbroken", "is not valid TOML", "damaged-toml"),
    ("[profiles]\np = 1\n", "[profiles] must hold one table per profile", "non-table-profile"),
    ('default = 3\n[profiles.p]\nclient_id = "cli"\n', "default must be a profile name", "non-string-default"),
    ('[profiles.p]\npreset = "nope"\nclient_id = "cli"\n', "unknown preset 'nope'", "unknown-preset"),
    ('[profiles.p]\npreset = 7\nclient_id = "cli"\n', "preset", "non-string-preset"),
    ('[profiles.p]\npreset = "auth0"\nclient_id = "cli"\n', "needs the parameter 'tenant_url'", "param-missing"),
    ('[profiles.p]\npreset = "gitlab"\nclient_id = "cli"\nbase_url = ""\n', "needs the parameter 'base_url'",
     "param-empty"),
    ('[profiles.p]\npreset = "oidc"\nclient_id = "cli"\n', "preset 'oidc' needs issuer", "requirement-missing"),
]


@pytest.mark.parametrize("config,said", [(c, s) for c, s, _ in BAD], ids=[i for _, _, i in BAD])
@pytest.mark.parametrize("argv,stdin", [(["token", "p"], None), (["git-credential", "-p", "p", "get"], GIT_IN),
                                        (["kube-credential", "p", "--access-token"], None)],
                         ids=["token", "git-credential", "kube-credential"])
def test_a_bad_config_is_the_full_paths_error_and_no_token(config, said, argv, stdin):
    write_config(config)
    save_token("p", "tok-p")
    settle()
    stdout, stderr, code, modules = entry(*argv, stdin=stdin)
    assert "tok-p" not in stdout and code == 1, (stdout, stderr)
    assert said in stderr and stderr.startswith("oauth2: error: ") and "Traceback" not in stderr, stderr
    assert (stdout, stderr, code) == click(*argv, stdin=stdin)


def test_a_preset_that_does_not_exist_is_not_remembered_as_one(tmp_path):
    from oauth2cli.store import view

    write_config('[profiles.p]\npreset = "../../etc/passwd"\nclient_id = "cli"\n')
    assert view.settings(dict(os.environ), "p") is None  # no path outside the presets' folder is read
    stdout, stderr, code, _ = entry("token", "p")
    assert code == 1 and "unknown preset '../../etc/passwd'" in stderr


# -- one implementation --------------------------------------------------------------------------

def test_a_presets_parameters_are_filled_by_one_function_for_both_paths():
    """`profile show` (the full path's layering, flows/settings.layers) and the lean view show the
    preset's settings filled the same: both are store/presets.layers."""
    from oauth2cli.store import view

    write_config('[profiles.p]\npreset = "okta"\nclient_id = "cli"\norg_url = "https://dev-1.okta.com/"\n'
                 'authorization_server = "aus1"\n')
    shown = json.loads(click("profile", "show", "p", "--json")[0])["settings"]
    lean = view.settings(dict(os.environ), "p")
    assert shown["issuer"] == {"value": "https://dev-1.okta.com/oauth2/aus1", "source": "preset okta"}
    assert lean["issuer"] == shown["issuer"]["value"] and lean["scope"] == shown["scope"]["value"]


def test_the_package_reads_toml_and_the_xdg_variables_in_one_place_each():
    """No second copy to keep in sync: tomllib is imported by store/memo.py alone, the XDG base
    variables are read by store/xdg.py alone, and no module fills placeholders but store/presets.py."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "oauth2cli"
    toml, xdg, fill = set(), set(), set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        if re.search(r"^\s*(import tomllib|import tomli|from tomllib)", text, re.M):
            toml.add(name)
        if re.search(r"""environ(\.get\(|\[)\s*["']XDG_|["']XDG_[A-Z]+_HOME["'],""", text):
            xdg.add(name)
        if "{([a-z_]+)}" in text or "_substitute(" in text:
            fill.add(name)
    assert toml == {"store/memo.py"}
    # store/direct.py reads keyring's own config root (keyring's rule for XDG_CONFIG_HOME, not ours)
    assert xdg == {"store/xdg.py", "store/direct.py"}
    assert fill == {"store/presets.py"}
    assert not (root / "flows" / "cached.py").exists()


from hypothesis import given, settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}ab_cZ9/ .", max_size=24), st.dictionaries(st.sampled_from(["a", "b_c", "ab", "c"]),
                                                                    st.text(alphabet="xy{}/", max_size=4), max_size=3))
def test_a_placeholder_is_filled_as_the_preset_files_document_it(text, params):
    """"{NAME}" (a-z and _) stands for a parameter's value; anything else, and an unknown name, stays
    as written (providers/__init__.py's rule, without the re module on the lean path)."""
    import re

    from oauth2cli.store.presets import _substitute

    expected = re.sub(r"\{([a-z_]+)\}", lambda m: params.get(m.group(1), m.group(0)), text)
    assert _substitute(text, params) == expected

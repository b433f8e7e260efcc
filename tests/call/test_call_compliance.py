"""A compliance fix's `protected_request` hook (core/compliance.py, plug-ins through flows/exchange/plugins.py)
runs for `oauth2 call` as for every request to a protected resource: the seed's Authlib session
calls its protected_request hooks on each request it sends with a token."""

from __future__ import annotations

import json
import os

import pytest

from tests.call.conftest import fake_tokens, make_profile, oauth2
from tests.support.startup import run_mode

PLUGIN = '''
from dataclasses import replace

from oauth2cli.core.compliance import add_query


def site_key(arg):
    def hook(request):
        return replace(request, url=add_query(request.url, [("key", arg)])).with_header("X-Site", "yes")
    return {"protected_request": hook}
'''


@pytest.fixture
def plugin_env(tmp_path):
    root = tmp_path / "site"
    (root / "o2site").mkdir(parents=True)
    (root / "o2site" / "__init__.py").write_text(PLUGIN)
    info = root / "o2site-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: o2site\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[oauth2cli.compliance_fixes]\nsite_key = o2site:site_key\n")
    return {"PYTHONPATH": os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)}


@pytest.mark.parametrize("mode", ["entry", "click"], ids=["lean-parser", "click"])
def test_a_plugins_protected_request_hook_shapes_the_call(resource, plugin_env, mode):
    make_profile("so", fake_tokens("so-tok"), urls=[resource.base],
                 compliance_fixes=["site_key:abc", "token_in_query"])
    code, stdout, stderr, loaded = run_mode(mode, "call", "-X", "POST", "--json", '{"a":1}', resource.base + "/echo?q=1",
                                            env={**os.environ, **plugin_env})
    assert code == 0, stderr
    seen = json.loads(stdout)
    # the hook's query parameter before the token's (token_in_query is the auth flow's, RFC 6750 §2.3)
    assert seen["path"] == "/echo?q=1&key=abc&access_token=so-tok"
    assert seen["headers"]["X-Site"] == "yes" and seen["body"] == '{"a":1}'
    assert ("click" in loaded) == (mode == "click")


def test_a_plugin_fix_that_does_not_exist_sends_nothing(resource):
    make_profile("bad", fake_tokens("b-tok"), urls=[resource.base], compliance_fixes=["nowhere_to_be_found"])
    run = oauth2("call", resource.base + "/echo")
    assert run.code == 1 and "unknown compliance fix 'nowhere_to_be_found'" in run.stderr, str(run)
    assert resource.requests == []

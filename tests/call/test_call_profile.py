"""The lean view of a call's profile (flows/call/call_profile.py) reads what core.settings' ClientSettings
reads, and steps aside for anything it does not know: an allow-list, so a new profile key can make
`oauth2 call` slower, never make it ignore how a request is to be sent."""

from __future__ import annotations

import pytest

from tests.call.conftest import fake_tokens, make_profile

READ = ("profile", "urls", "timeout", "step_up", "allow_http", "cacert", "insecure", "cert", "key", "dpop",
        "compliance_fixes")


def views(name: str):
    from oauth2cli.deps import Deps
    from oauth2cli.flows.call import call_profile

    deps = Deps()
    return call_profile.lean(deps, name), call_profile.full_settings(deps, name)


@pytest.mark.parametrize("values", [
    {},
    {"urls": "https://api.example.com/v1"},
    {"urls": ["https://a.example/", "https://b.example/x"], "timeout": 5, "step_up": True, "allow_http": True},
    {"timeout": 12.5, "scope": "read write", "issuer": "https://id.example.com", "leeway": 30},
], ids=["bare", "one-url", "read-keys", "idle-keys"])
def test_the_lean_view_reads_what_client_settings_reads(values):
    make_profile("p", fake_tokens("tok-p"), **values)
    lean, full = views("p")
    assert lean is not None
    assert {k: getattr(lean, k) for k in READ} == {k: getattr(full, k) for k in READ}
    assert lean.fresh_token().access_token == "tok-p"
    assert lean.full() == full


@pytest.mark.parametrize("values", [
    {"dpop": True}, {"cacert": "/etc/ssl/ca.pem"}, {"insecure": True}, {"compliance_fixes": ["token_in_query"]},
    {"fapi2": True}, {"preset": "no-such-preset"}, {"url": "https://api.example.com/"}, {"timeout": 0},
    {"a_key_from_tomorrow": "x"},
], ids=["dpop", "cacert", "insecure", "compliance-fix", "fapi2", "unknown-preset", "url-alias", "zero-timeout",
        "new-key"])
def test_anything_else_is_read_by_client_settings(values):
    from oauth2cli.deps import Deps
    from oauth2cli.flows.call import call_profile

    make_profile("q", fake_tokens("tok-q"), **values)
    assert call_profile.lean(Deps(), "q") is None


def test_a_preset_is_layered_by_the_stores_view():
    """The profile over its preset, parameters filled (store/view.settings): github's urls."""
    from oauth2cli.deps import Deps
    from oauth2cli.flows.call import call_profile

    make_profile("gh", fake_tokens("tok-gh"), preset="github")
    view = call_profile.lean(Deps(), "gh")
    assert view is not None and view.urls == ("https://api.github.com",)


def test_a_token_answer_that_names_its_api_is_the_full_reads():
    """Salesforce's instance_url widens `urls` (flows/origins.answered_urls): the full read does that."""
    from oauth2cli.deps import Deps
    from oauth2cli.flows.call import call_profile

    make_profile("sf", fake_tokens("tok-sf", extra={"instance_url": "https://org.example.com"}),
                 urls=["https://login.example.com/"])
    assert call_profile.lean(Deps(), "sf") is None


def test_every_key_the_view_knows_is_a_profile_key():
    from oauth2cli.flows.call.call_profile import KNOWN
    from oauth2cli.flows.profile_keys import ENDPOINT_OPTIONS, PROFILE_KEYS
    from oauth2cli.flows.settings import RENAMED

    assert KNOWN <= set(PROFILE_KEYS) | set(RENAMED) | set(ENDPOINT_OPTIONS)

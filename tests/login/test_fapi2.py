"""--fapi2: PAR + PKCE S256 + a signed request object + DPoP + the iss check against the real
provider, and weaker choices beside it refused before anything is sent."""

from __future__ import annotations

import pytest

from oauth2cli.core import jose
from tests.login.conftest import stored_tokens, write_profile
from tests.login.extensions import ext_provider  # noqa: F401 (fixture)
from tests.support.cli import assert_no_traceback, run_cli


def _profile(provider, key_path, name="fapi"):
    write_profile(name, issuer=provider.issuer, client_id="jar-rsa", auth_method="private_key_jwt",
                  private_key=str(key_path), scope="openid")


def test_fapi2_login(ext_provider, standin_browser):
    provider, key_path = ext_provider
    _profile(provider, key_path)
    result = run_cli("login", "fapi", "--fapi2")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert set(provider.authorizations()[-1]) == {"client_id", "request_uri"}  # pushed, and signed inside
    tokens = stored_tokens("fapi")
    assert tokens.token_type == "DPoP"  # sender-constrained
    assert jose.split_jwt(tokens.id_token)[1]["sub"] == "alice"


@pytest.mark.parametrize(("args", "message"), [
    (("--no-pkce",), "--fapi2 refuses PKCE none: only S256 is allowed"),
    (("--no-par",), "--fapi2 refuses --no-par"),
    (("--no-request-object",), "--fapi2 refuses --no-request-object"),
    (("--response-mode", "form_post"), "--fapi2 refuses response_mode form_post"),
    (("--auth-method", "none"), "--fapi2 refuses client authentication none"),
], ids=["no-pkce", "no-par", "no-request-object", "form_post", "public-client"])
def test_fapi2_refuses_weaker_choices(ext_provider, standin_browser, args, message):
    provider, key_path = ext_provider
    _profile(provider, key_path, "weak")
    result = run_cli("login", "weak", "--fapi2", *args)
    assert result.code == 1, result
    errors = [line for line in result.stderr.splitlines() if line.startswith("oauth2: error")]
    assert len(errors) == 1 and message in errors[0], result
    assert standin_browser.visits() == [] and stored_tokens("weak") is None

"""The JWKS cache (issue #13): a cache folder that cannot be written is one warning line naming
it; the command still verifies, exits 0, and prints its data unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.oidc.test_provider import logged_in  # noqa: F401 (the fixture: a real login's tokens)
from tests.support.cli import assert_no_traceback, run_cli


def test_an_unwritable_jwks_cache_is_one_warning_and_the_token_still_verifies(provider, logged_in):  # noqa: F811
    tokens, claims = logged_in
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "oauth2cli"
    if cache.is_dir():
        import shutil

        shutil.rmtree(cache)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder")  # every write below it fails (ENOTDIR), even as root
    result = run_cli("decode", "--verify", "--issuer", provider.issuer, tokens.id_token)
    assert result.code == 0, result
    assert_no_traceback(result)
    assert json.loads(result.stdout)["claims"] == claims
    warning, verified = result.stderr.splitlines()
    assert warning.startswith("oauth2: warning: cannot cache the server's signing keys in ")
    assert str(cache / "jwks") in warning and "fetched again next time" in warning
    assert verified == "verified: signature, exp, iat, iss"
    assert cache.read_text() == "not a folder"  # nothing of ours was put in its place

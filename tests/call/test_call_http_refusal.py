"""RFC 6750 §5.3: `oauth2 call` sends a bearer token over TLS only (loopback excepted)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.support.cli import assert_no_traceback, run_cli


def default_profile_with_token():
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('default = "api"\n\n[profiles.api]\nclient_id = "c"\ntoken_url = "https://id.example.test/token"\n'
                      'urls = ["http://192.0.2.1:9/"]\n')
    Deps(environ=dict(os.environ)).store.save_tokens("api", TokenSet("secret-bearer", expires_at=time.time() + 3600))


def test_plain_http_to_another_host_is_refused_before_any_connection():
    default_profile_with_token()
    # TEST-NET-1 (RFC 5737): nothing answers there, and the refusal comes before any connection.
    result = run_cli("call", "http://192.0.2.1:9/resource", timeout=20)
    assert result.code == 1, result
    assert result.stderr.strip().splitlines() == [
        "oauth2: error: refusing plain http:// to 192.0.2.1:9: OAuth requires TLS (RFC 6749 §3.1, §3.2); "
        "credentials and tokens would cross the network unencrypted; use https://, or --allow-http if you "
        "really mean it (loopback hosts need neither)"]
    assert "secret-bearer" not in result.stderr + result.stdout
    assert_no_traceback(result)

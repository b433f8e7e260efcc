"""Secrets stay secret: every command that exists, run with -v and -vv against the real
provider, never shows a client secret or token on stderr (and stdout carries only the data
asked for); --reveal-secrets shows them, with a warning; files are 0600 in 0700 dirs.

Commands that land later (login, refresh, revoke, introspect, call, ...) add a row to
INVOCATIONS; the checks stay the same.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.cli import assert_no_traceback, run_cli


def secret_forms(value: str) -> set[str]:
    """A secret as it may appear on the wire or in a trace: raw, URL-encoded, inside Basic."""
    forms = {value, quote(value, safe="")}
    return {f for f in forms if len(f) >= 8}


def basic_forms(client_id: str, secret: str) -> set[str]:
    user = quote(client_id, safe="")
    password = quote(secret, safe="")
    return {base64.b64encode(f"{user}:{password}".encode()).decode(),
            base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def token_like(text: str) -> set[str]:
    """Values of token fields in a JSON document (what the server issued)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {text.strip()} if text.strip() else set()
    return {v for k, v in data.items() if k in ("access_token", "refresh_token", "id_token") and isinstance(v, str)}


# (name, client, argv after the global options, what stdout may hold)
INVOCATIONS = [
    ("token basic", "cc-only", ["token", "--grant", "client_credentials"], "token"),
    ("token basic json", "conf-basic", ["token", "--grant", "client_credentials", "--output", "json"], "token"),
    ("token post header", "conf-post", ["token", "--grant", "client_credentials", "--auth-method",
                                        "client_secret_post", "--output", "header"], "token"),
    ("token post env", "conf-post", ["token", "--grant", "client_credentials", "--auth-method",
                                     "client_secret_post", "--output", "env"], "token"),
    ("token wrong secret", "cc-only:wrong", ["token", "--grant", "client_credentials"], "nothing"),
    ("discover", "cc-only", ["discover", "{issuer}"], "nothing"),
]


def _args(argv: list[str], provider, client_id: str) -> list[str]:
    out = [a.replace("{issuer}", provider.issuer) for a in argv]
    if out[0] == "token":
        out += ["--issuer", provider.issuer, "--client-id", client_id]
    return out


@pytest.mark.parametrize("verbosity", ["-v", "-vv"])
@pytest.mark.parametrize("name,client,argv,stdout_holds", INVOCATIONS, ids=[i[0] for i in INVOCATIONS])
def test_verbose_runs_mask_every_secret(provider, name, client, argv, stdout_holds, verbosity, isolate):
    client_name, _, variant = client.partition(":")
    info = provider.clients[client_name]
    client_secret = info["client_secret"] if variant != "wrong" else "wrong-secret-" + "x" * 24
    result = run_cli(verbosity, *_args(argv, provider, info["client_id"]),
                     env={"OAUTH2_CLIENT_SECRET": client_secret})
    assert_no_traceback(result)
    assert result.code in (0, 3), result
    assert "> " in result.stderr or argv[0] != "token", "the trace is on: -v must show the exchange"

    guarded = secret_forms(client_secret) | basic_forms(info["client_id"], client_secret)
    issued = set()
    if stdout_holds == "token" and result.code == 0:
        issued = {line.split("=", 1)[-1].split(" ")[-1].strip("'") for line in result.stdout.splitlines()
                  if "TOKEN=" in line or line.startswith("Authorization:")} | token_like(result.stdout)
        issued = {t for t in issued if len(t) >= 16 and t not in ("Bearer",)}
        assert issued, f"no token found on stdout: {result}"
    for secret in guarded | issued:
        assert secret not in result.stderr, f"{name}: secret on stderr\n{result}"
    for secret in guarded:
        assert secret not in result.stdout, f"{name}: client secret on stdout\n{result}"
    # Files the run left behind hold no secret either (the cache never does).
    for path in Path(isolate).rglob("*"):
        if path.is_file() and path.name != "keyring.json":
            data = path.read_bytes()
            for secret in guarded | issued:
                assert secret.encode() not in data, f"{secret!r} written to {path}"


def test_reveal_secrets_shows_them_with_a_warning(provider):
    info = provider.clients["conf-post"]
    result = run_cli("-v", "--reveal-secrets", "token", "--issuer", provider.issuer, "--client-id", info["client_id"],
                     "--grant", "client_credentials", "--auth-method", "client_secret_post",
                     env={"OAUTH2_CLIENT_SECRET": info["client_secret"]})
    assert result.code == 0, result
    assert result.stderr.splitlines()[0] == "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace"
    assert info["client_secret"] in result.stderr  # the form body, as sent
    assert result.stdout.strip() in result.stderr  # the token, as received


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in sorted(root.rglob("*"))}


def test_files_the_tool_writes_are_0600_in_0700_directories(isolate, monkeypatch):
    """Config, secrets and tokens through the store API, with a permissive umask."""
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    old = os.umask(0o022)
    try:
        deps = Deps()
        deps.store_choice = "file"  # the fallback writes files; the keyring does not
        store = Store(deps)
        store.save_profile("work", {"issuer": "https://id.example.com", "client_id": "cli"})
        store.secrets.set("work", "client_secret", "s3cret-value-for-mode-test")
        store.save_tokens("work", TokenSet(access_token="at-for-mode-test-123456", refresh_token="rt-for-mode-test-123456"))
    finally:
        os.umask(old)

    config_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli"
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli"
    written = {}
    for top in (config_dir, data_dir):
        written.update({str(top / k): v for k, v in _modes(top).items()})
    assert any(k.endswith("config.toml") for k in written), written
    assert any(k.endswith("work.json") for k in written), written
    for path, mode in written.items():
        expected = 0o700 if Path(path).is_dir() else 0o600
        assert mode == expected, f"{path}: {oct(mode)}"
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    # config.toml is for what may be shown: no secret in it.
    text = (config_dir / "config.toml").read_text()
    assert "s3cret-value-for-mode-test" not in text and "at-for-mode-test" not in text
    cache = Path(os.environ["XDG_CACHE_HOME"])
    for path in cache.rglob("*"):
        assert not path.is_file() or b"for-mode-test" not in path.read_bytes()


def test_the_app_data_directory_is_0700_too(isolate):
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    old = os.umask(0o022)
    try:
        deps = Deps()
        deps.store_choice = "file"
        Store(deps).secrets.set("work", "client_secret", "s3cret-value-for-mode-test")
    finally:
        os.umask(old)
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "oauth2cli"
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


@pytest.mark.parametrize("case", ["truncated_json", "form_encoded_200", "text_plain_json", "json_array",
                                  "access_token_object", "enormous_body", "error_in_200"])
def test_the_trace_masks_tokens_in_broken_answers(case):
    """A -v trace of an answer that is not clean JSON still hides the tokens inside it."""
    from tests.adversarial.hostile import SECRETS, HostileServer

    server = HostileServer().start()
    try:
        result = run_cli("-v", "token", "--token-url", server.url(case, "token"), "--client-id", "c",
                         "--timeout", "5")
    finally:
        server.stop()
    assert_no_traceback(result)
    assert "< HTTP 200" in result.stderr or "< HTTP" in result.stderr, result
    for secret in SECRETS:
        assert secret not in result.stderr, f"{case}: {secret} in the trace\n{result}"

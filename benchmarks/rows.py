"""Every row of the table: what `oauth2` runs, against which baseline, and the goal of the ratio.

The goals are issue 24's ("Speed everywhere"); rows from earlier issues keep theirs. Each row's
two sides make the same request: curl gets the same method, headers, body and output file as
`oauth2 call`, and the Bearer token `oauth2` would send (the resource refuses any other).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
from pathlib import Path

from bench import Bench
from timing import WARM_UPS, one_line, shown
from world import OAUTH2, PY

FLOOR = "python -c pass"
FLOOR_ARGV = [PY, "-c", "pass"]
# The seed's way to get a client_credentials token in a script (argv: token URL, client id).
AUTHLIB = """
import os, sys
from authlib.integrations.requests_client import OAuth2Session
session = OAuth2Session(sys.argv[2], os.environ["OAUTH2_CLIENT_SECRET"])
print(session.fetch_token(sys.argv[1], grant_type="client_credentials")["access_token"])
"""
# The same with private_key_jwt, as Authlib documents it (argv: token URL, client id, PEM, kid).
AUTHLIB_PKJWT = """
import sys
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
token_url, client_id, pem, kid = sys.argv[1:5]
session = OAuth2Session(client_id, open(pem).read(), token_endpoint_auth_method="private_key_jwt")
session.register_client_auth_method(PrivateKeyJWT(token_url, headers={"kid": kid}))
print(session.fetch_token(token_url, grant_type="client_credentials")["access_token"])
"""


def startup(b: Bench) -> None:
    """Rows that answer from the disk alone: the floor is Python starting and doing nothing."""
    w = b.world
    env = w.profile_env
    b.pair("oauth2 --version", FLOOR, 1.3, [OAUTH2, "--version"], FLOOR_ARGV, w.env)
    b.pair("oauth2 --help", "python -c 'import click'", 1.3, [OAUTH2, "--help"], [PY, "-c", "import click"], w.env)
    b.pair("oauth2 token P (cached, file store)", FLOOR, 1.6, [OAUTH2, "token", "bench"], FLOOR_ARGV, env, cached=True)
    for output in ("json", "header", "env"):
        b.pair(f"oauth2 token P -o {output} (cached)", FLOOR, 2.5, [OAUTH2, "token", "bench", "-o", output],
               FLOOR_ARGV, env, cached=True)
    b.pair("oauth2 status", FLOOR, 2.5, [OAUTH2, "status"], FLOOR_ARGV, env, cached=True)
    b.pair("oauth2 profile list", FLOOR, 2.5, [OAUTH2, "profile", "list"], FLOOR_ARGV, env, cached=True)
    b.pair("oauth2 profile show P", FLOOR, 2.5, [OAUTH2, "profile", "show", "bench"], FLOOR_ARGV, env, cached=True)
    # git and kubectl run their helpers on every fetch and call (issue #15); -p is what setup-git writes
    git_in = w.work / "git-credential.in"
    git_in.write_text(f"protocol=http\nhost={w.resource.origin.split('/')[2]}\n")
    via_sh = lambda cmd: ["sh", "-c", f"exec {cmd} < {shlex.quote(str(git_in))}"]  # noqa: E731
    b.pair("oauth2 git-credential -p P get (cached)", f"{FLOOR} (both via sh <FILE)", 2.5,
           via_sh(f"{shlex.quote(OAUTH2)} git-credential -p bench get"), via_sh(f"{shlex.quote(PY)} -c pass"), env,
           check=lambda: _prints(via_sh(f"{shlex.quote(OAUTH2)} git-credential -p bench get"), env,
                                 f"password={w.token}"), cached=True)
    b.pair("oauth2 kube-credential P (cached)", FLOOR, 2.5, [OAUTH2, "kube-credential", "bench"], FLOOR_ARGV, env,
           check=lambda: _prints([OAUTH2, "kube-credential", "bench"], env, w.token), cached=True)
    b.pair("oauth2 exec -p P -- true", FLOOR, 2.5, [OAUTH2, "exec", "-p", "bench", "--", "true"], FLOOR_ARGV, env,
           cached=True)


def completion(b: Bench) -> None:
    """A TAB runs `oauth2` on every key press (click's protocol: _OAUTH2_COMPLETE, COMP_WORDS)."""
    w = b.world
    for what, words, cword, expect in (("a command name", "oauth2 to", 1, "plain,token"),
                                       ("an option", "oauth2 call --he", 2, "plain,--header"),
                                       ("a profile name", "oauth2 token ", 2, "plain,bench")):
        comp_env = dict(w.file_env, _OAUTH2_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(cword))
        b.pair(f"TAB on {what} ({words!r})", FLOOR, 2.0, [OAUTH2], FLOOR_ARGV, comp_env, w.file_env,
               check=lambda comp_env=comp_env, expect=expect: _prints([OAUTH2], comp_env, expect))


def calls(b: Bench) -> None:
    """`oauth2 call` with a fresh stored token, against curl making the same request."""
    w = b.world
    curl = shutil.which("curl")
    url, env = w.resource.url, w.profile_env
    bearer = f"Authorization: Bearer {w.token}"
    out_a, out_b = w.work / "call-o.out", w.work / "curl-o.out"
    shapes = [
        ("", [], url, None),
        ("-X POST -d a=b", ["-X", "POST", "-d", "a=b"], url, None),
        ("--json '{\"a\": 1}'", ["--json", '{"a": 1}'], url, None),
        ("-F a=b", ["-F", "a=b"], url, None),
        ("-i", ["-i"], url, None),
        ("-H 'X-Bench: 1'", ["-H", "X-Bench: 1"], url, None),
        ("-o FILE", ["-o", "{out}"], url, lambda: _same_file(out_a, out_b)),
        ("-L (same-origin 302)", ["-L"], w.resource.redirect_url, None),
    ]
    for label, options, target, check in shapes:
        name = f"oauth2 call -p P {label} URL".replace("  ", " ") + ("" if label else " (GET)")
        if not curl:
            b.skip(name, "curl is not installed")
            continue
        mine = [OAUTH2, "call", "-p", "bench", *[str(out_a) if o == "{out}" else o for o in options], target]
        theirs = [curl, "-s", "-H", bearer, *[str(out_b) if o == "{out}" else o for o in options], target]
        b.pair(name, f"curl -s -H 'Authorization: Bearer …' {label} URL".replace("  ", " "), 5.0, mine, theirs, env,
               check=check, cached=True)
    httpx_get = f"import httpx; httpx.get({url!r}, headers={{'Authorization': {('Bearer ' + w.token)!r}}})"
    b.pair("oauth2 call -p P URL vs httpx", "python -c 'import httpx; httpx.get(URL, headers=…)'", 1.0,
           [OAUTH2, "call", "-p", "bench", url], [PY, "-c", httpx_get], env, cached=True)
    http = shutil.which("http", path=str(Path(PY).parent)) or shutil.which("http")
    if http:
        b.pair("oauth2 call -p P URL vs HTTPie", "http URL 'Authorization:Bearer …' (HTTPie)", 1.0,
               [OAUTH2, "call", "-p", "bench", url], [http, "--ignore-stdin", url, f"Authorization:Bearer {w.token}"],
               env, cached=True)
    else:
        b.skip("oauth2 call -p P URL vs HTTPie", "HTTPie is not installed (pip install -e '.[bench]')")


def servers(b: Bench) -> None:
    """Commands that ask the authorization server (the one loopback oidc-provider)."""
    w = b.world
    pairs = WARM_UPS + b.runs
    b.pair("oauth2 userinfo P", FLOOR, 4.0, [OAUTH2, "userinfo", "user"], FLOOR_ARGV, w.profile_env,
           check=lambda: _prints([OAUTH2, "userinfo", "user"], w.profile_env, '"sub"'), cached=True)
    b.pair("oauth2 introspect P", FLOOR, 4.0, [OAUTH2, "introspect", "bench"], FLOOR_ARGV, w.profile_env,
           check=lambda: _prints([OAUTH2, "introspect", "bench"], w.profile_env, '"active": true'), cached=True)
    # a token never revoked before, for every run (minted outside the timing)
    b.pair("oauth2 revoke P TOKEN", FLOOR, 4.0, lambda: [OAUTH2, "revoke", "bench", w.fresh_access_token()],
           FLOOR_ARGV, w.profile_env, before=w.provider.reset_events,
           check=lambda: _events(w, pairs, "revocation.request", what="revocation requests"))
    b.pair("oauth2 refresh P", FLOOR, 4.0, [OAUTH2, "refresh", "user"], FLOOR_ARGV, w.profile_env,
           before=w.provider.reset_events,
           check=lambda: _events(w, pairs, "token.request", "refresh_token", what="refresh_token grants"))
    b.pair("oauth2 discover ISSUER", FLOOR, 4.0, [OAUTH2, "discover", w.provider.issuer], FLOOR_ARGV, w.env,
           check=lambda: _prints([OAUTH2, "discover", w.provider.issuer], w.env, w.token_url), cached=True)


def adhoc(b: Bench) -> None:
    """A CI job's token: nothing stored, every run asks the token endpoint."""
    w = b.world
    name = "oauth2 token --grant client_credentials (ad-hoc, secret)"
    name_jwt = "oauth2 token --grant client_credentials (ad-hoc, private_key_jwt)"
    if not (importlib.util.find_spec("authlib") and importlib.util.find_spec("requests")):
        for n in (name, name_jwt):
            b.skip(n, "Authlib or requests is not installed (pip install -e '.[bench]')")
        return
    pairs = WARM_UPS + b.runs
    cc = w.provider.clients["cc-only"]
    # the secret in the environment, as in CI; Authlib refuses http:// without AUTHLIB_INSECURE_TRANSPORT
    env = dict(w.secret_env, AUTHLIB_INSECURE_TRANSPORT="1")
    b.pair(name, "Authlib OAuth2Session.fetch_token script", 0.4,
           [OAUTH2, "token", "--token-url", w.token_url, "--client-id", cc["client_id"], "--grant", "client_credentials"],
           [PY, "-c", AUTHLIB, w.token_url, cc["client_id"]], env, before=w.provider.reset_events,
           check=lambda: _events(w, 2 * pairs, "token.request", "client_credentials", what="token requests"))
    pk = w.provider.clients["pkjwt-rsa"]
    env = dict(w.file_env, AUTHLIB_INSECURE_TRANSPORT="1")  # no secret: the key is the credential
    b.pair(name_jwt, "Authlib OAuth2Session + PrivateKeyJWT script", 0.4,
           [OAUTH2, "token", "--token-url", w.token_url, "--client-id", pk["client_id"], "--grant", "client_credentials",
            "--auth-method", "private_key_jwt", "--private-key", pk["private_key_path"], "--key-id", pk["kid"]],
           [PY, "-c", AUTHLIB_PKJWT, w.token_url, pk["client_id"], pk["private_key_path"], pk["kid"]], env,
           before=w.provider.reset_events,
           check=lambda: _events(w, 2 * pairs, "token.request", "client_credentials", what="private_key_jwt grants",
                                 auth_method="private_key_jwt"))


def memory(b: Bench) -> None:
    """Peak RSS, as GNU time reports it, against the same baselines."""
    w = b.world
    url, env = w.resource.url, w.profile_env
    b.pair("peak RSS: oauth2 token P (cached)", FLOOR, 1.5, [OAUTH2, "token", "bench"], FLOOR_ARGV, env, rss=True,
           cached=True)
    httpx_get = f"import httpx; httpx.get({url!r}, headers={{'Authorization': {('Bearer ' + w.token)!r}}})"
    b.pair("peak RSS: oauth2 call -p P URL", "python -c 'import httpx; httpx.get(URL, headers=…)'", 1.0,
           [OAUTH2, "call", "-p", "bench", url], [PY, "-c", httpx_get], env, rss=True, cached=True)
    b.pair("peak RSS: oauth2 call -p P -X POST --json '{\"a\": 1}' URL", FLOOR, 1.5,
           [OAUTH2, "call", "-p", "bench", "-X", "POST", "--json", '{"a": 1}', url], FLOOR_ARGV, env, rss=True,
           cached=True)


def keyring(b: Bench) -> None:
    w = b.world
    name = "oauth2 token P (cached, keyring store)"
    if not b.wanted(name, "keyring"):
        return
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        b.skip(name, "no D-Bus session (run inside `dbus-run-session` with gnome-keyring unlocked)")
        return
    cc = w.provider.clients["cc-only"]
    kr_env = dict(w.env, OAUTH2CLI_STORE="keyring", OAUTH2_CLIENT_SECRET=cc["client_secret"])
    done = subprocess.run([OAUTH2, "token", "bench"], env=kr_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        b.skip(name, f"`oauth2 token bench` with the keyring store exited {done.returncode}: {done.stderr.strip()[-200:]}")
        return
    b.pair(name, "python -c 'import click, keyring'", 1.3, [OAUTH2, "token", "bench"],
           [PY, "-c", "import click, keyring"], kr_env)


def _prints(cmd: list[str], env: dict[str, str], expect: str) -> str:
    """"" when one more run of cmd prints `expect` on stdout, else what went wrong."""
    done = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or expect not in done.stdout:
        return f"`{shown(cmd)}` printed no {expect[:40]!r} (exit {done.returncode}): {one_line(done.stderr)}"
    return ""


def _same_file(a: Path, b: Path) -> str:
    from loopback import BODY

    if a.read_bytes() != BODY or b.read_bytes() != BODY:
        return f"-o FILE wrote {a.read_bytes()[:40]!r} (oauth2) and {b.read_bytes()[:40]!r} (curl), not the body"
    return ""


def _events(w, expected: int, type_: str, grant_type: str | None = None, *, what: str, auth_method: str | None = None) -> str:
    """"" when the provider saw `expected` successful `type_` requests since the row's reset."""
    seen = [e for e in w.provider.events() if e.get("type") == type_
            and (grant_type is None or e.get("grant_type") == grant_type)]
    good = [e for e in seen if e.get("status") == 200 and (auth_method is None or e.get("auth_method") == auth_method)]
    if len(good) != expected:
        errors = sorted({str(e.get("error")) for e in seen if e.get("status") != 200})
        return f"the provider saw {len(good)} successful {what}, not {expected}" + (f" ({', '.join(errors)})" if errors else "")
    return ""

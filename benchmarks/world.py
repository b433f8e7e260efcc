"""The isolated world every row runs in: one test provider (tests/provider, oidc-provider on
Node), one loopback resource, XDG folders of its own, and three profiles set up the way a user
would (the CLI only: `profile add`, `token`, `login` through the stand-in browser):

- `bench`, the default: the provider's `cc-only` client (client_credentials, the secret from
  OAUTH2_CLIENT_SECRET), whose `urls` are the resource's origin; its token is fetched once and
  then found cached;
- `user`: the public `public-pkce` client, logged in as a person (scope openid offline_access),
  for userinfo and refresh;
- `race`: `short-conf` (2 s tokens), for the 20 processes racing on an expired token.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from loopback import Resource
from timing import CommandFailed, one_line, shown

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
OAUTH2 = str(Path(PY).parent / "oauth2")


class World:
    def __init__(self) -> None:
        from tests.support.provider import Provider

        self.work = Path(tempfile.mkdtemp(prefix="oauth2cli-bench-"))
        self.provider = Provider(self.work / "provider")
        self.resource = Resource()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OAUTH2_", "OAUTH2CLI_", "STANDIN_"))}
        for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                         ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
            (self.work / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(self.work / sub)
        env["NO_COLOR"] = "1"
        env.pop("BROWSER", None)
        self.env = env  # no store chosen, no secret: the baselines' environment
        self.file_env = dict(env, OAUTH2CLI_STORE="file")
        self.config = self.work / "config" / "oauth2cli" / "config.toml"

    def start(self) -> World:
        self.provider.start()
        self.resource.start()
        cc = self.provider.clients["cc-only"]
        race = self.provider.clients["short-conf"]
        # `profile add` puts OAUTH2_CLIENT_SECRET in the store; the rows run without it, as git and kubectl
        # run the helpers on a user's machine. An ad-hoc CI job has it in its environment (secret_env).
        self.secret_env = dict(self.file_env, OAUTH2_CLIENT_SECRET=cc["client_secret"])
        self.profile_env = self.file_env
        self.metadata = json.loads(urllib.request.urlopen(
            f"{self.provider.issuer}/.well-known/openid-configuration", timeout=10).read())
        self.token_url = self.metadata["token_endpoint"]

        self.oauth2("profile", "add", "bench", "--issuer", self.provider.issuer, "--client-id", cc["client_id"],
                    "--grant", "client_credentials", "--url", f"{self.resource.origin}/", env=self.secret_env)
        self.oauth2("profile", "add", "user", "--issuer", self.provider.issuer, "--client-id", "public-pkce",
                    "--auth-method", "none", "--scope", "openid offline_access", env=self.profile_env)
        self.oauth2("profile", "add", "race", "--issuer", self.provider.issuer, "--client-id", race["client_id"],
                    "--grant", "client_credentials", env=dict(self.file_env, OAUTH2_CLIENT_SECRET=race["client_secret"]))
        self.oauth2("profile", "default", "bench", env=self.file_env)
        # The first run fetches and stores the token; the measured runs find it cached.
        self.token = self.oauth2("token", "bench", env=self.profile_env).strip()
        self.resource.tokens.add(self.token)
        browser = f"{shlex.quote(PY)} {shlex.quote(str(ROOT / 'tests' / 'support' / 'browser.py'))} %s"
        self.oauth2("login", "user", env=dict(self.profile_env, BROWSER=browser))
        # config.toml's parse is remembered only once the file is 2 s old (store/memo.py, SETTLED_NS), as it
        # is on a user's machine; without this wait, the first cached rows of a short run parse it each time.
        time.sleep(max(0.0, self.config.stat().st_mtime + 2.5 - time.time()))
        return self

    def oauth2(self, *args: str, env: dict[str, str]) -> str:
        proc = subprocess.run([OAUTH2, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            raise CommandFailed(f"`oauth2 {shown(args)}` exited {proc.returncode}: {one_line(proc.stderr)}")
        return proc.stdout

    def fresh_access_token(self, client: str = "cc-only") -> str:
        """A token nobody has used yet, straight from the provider (outside any timing). Not one that
        starts with "-" (1 in 64 of base64url tokens): `revoke P TOKEN` would read it as an option,
        as any command line does without a "--" before it."""
        while True:
            resp = self.provider.post_as(client, "token", {"grant_type": "client_credentials"})
            resp.raise_for_status()
            token = resp.json()["access_token"]
            if not token.startswith("-"):
                return token

    def count_events(self, type_: str, grant_type: str | None = None) -> int:
        return sum(1 for e in self.provider.events()
                   if e.get("type") == type_ and (grant_type is None or e.get("grant_type") == grant_type))

    def stop(self) -> None:
        self.resource.stop()
        self.provider.stop()
        shutil.rmtree(self.work, ignore_errors=True)

"""Helpers for the login tests: profiles, a CLI run in the background, stub servers, Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.support.loopback_http import LoopbackServer, QuietHandler

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def write_profile(name: str, **values) -> None:
    """A profile in config.toml (the keys are ClientSettings field names)."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    lines.append(f"[profiles.{name}]")
    lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def stored_tokens(profile: str):
    from oauth2cli.deps import Deps

    return Deps().store.load_tokens(profile)


class Background:
    """`oauth2 ...` running as a real process, its stderr read line by line as it comes."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "oauth2cli", *args], env=full_env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    match = regex.search(line)
                    if match:
                        return match
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"no line matching {pattern!r} in stderr:\n{''.join(self.lines)}")
                self._cond.wait(min(remaining, 0.2))

    def auth_url(self) -> str:
        return self.wait_for(r"^\s+(http://\S+)$").group(1)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        # not communicate(): the reader thread owns stderr
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        stdout = self.proc.stdout.read()
        self._reader.join(5)
        return self.proc.returncode, stdout, "".join(self.lines)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def background():
    started: list[Background] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Background:
        bg = Background(*args, env=env)
        started.append(bg)
        return bg

    yield start
    for bg in started:
        bg.kill()


class StubAuthorizationServer:
    """A tiny authorization endpoint of our own for what oidc-provider will not do (a wrong iss,
    the implicit grant, hostile error text): GET /authorize redirects to the redirect_uri with
    whatever `answer(query)` returns: ("query"|"fragment", params)."""

    def __init__(self, answer) -> None:
        stub = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                stub.requests.append(query)
                where, params = answer(query)
                sep = "#" if where == "fragment" else "?"
                self.reply(302, b"", None, {"Location": query["redirect_uri"] + sep + urlencode(params)})

            def do_POST(self) -> None:  # noqa: N802 - a token endpoint that accepts any code
                stub.token_requests.append(parse_qs(self.body().decode()))
                self.reply(200, {"access_token": "stub-access-token", "token_type": "Bearer", "expires_in": 3600})

        self.token_requests: list[dict] = []
        self.requests: list[dict] = []
        self.server = LoopbackServer(Handler).start()
        self.base = self.server.base
        self.url = self.base + "/authorize"
        self.token_url = self.base + "/token"

    def close(self) -> None:
        self.server.stop()


@pytest.fixture
def stub_server():
    made: list[StubAuthorizationServer] = []

    def make(answer) -> StubAuthorizationServer:
        stub = StubAuthorizationServer(answer)
        made.append(stub)
        return stub

    yield make
    for stub in made:
        stub.close()


@pytest.fixture
def chromium(tmp_path: Path):
    """The command line of a fresh headless Chromium (skips when it is not installed)."""
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    profile_dir = tmp_path / "chromium-profile"
    return [CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), *CHROMIUM_FLAGS,
            f"--user-data-dir={profile_dir}"]


def chromium_browser(chromium: list[str], tmp_path: Path, *extra: str) -> tuple[str, Path]:
    """A $BROWSER value that runs headless Chromium on the URL and keeps the final DOM in the returned file."""
    import shlex

    dom = tmp_path / "dom.html"
    script = tmp_path / "chromium-browser.sh"
    script.write_text("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in chromium) + " "
                      + " ".join(shlex.quote(a) for a in extra)
                      + f' "$1" > {shlex.quote(str(dom))} 2> {shlex.quote(str(tmp_path / "chromium.err"))}\n')
    script.chmod(0o755)
    return f"{script} %s", dom


EXACT_SECRET = "exact-web-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def exact_provider(tmp_path_factory):
    """A provider of its own with a web client whose redirect URI has a fixed port (exact match)."""
    from tests.support.loopback_http import free_port
    from tests.support.provider import Provider

    port = free_port()
    client = {
        "client_id": "exact-web",
        "client_secret": EXACT_SECRET,
        "application_type": "web",
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "redirect_uris": [f"http://127.0.0.1:{port}/oauth/cb"],
    }
    instance = Provider(tmp_path_factory.mktemp("exact-provider"), extra_clients=[client]).start()
    try:
        yield instance, port
    finally:
        instance.stop()

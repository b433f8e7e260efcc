"""A private git server over smart HTTP: Debian's `git http-backend` (CGI) behind a small
Python server on 127.0.0.1 that demands HTTP Basic, and lets a request through only when
the real provider's introspection endpoint (RFC 7662) calls the password an active token.

    server = GitServer(root, introspect=provider.introspect).start()
    server.url("repo.git")       # http://127.0.0.1:PORT/repo.git
    server.seen                  # [(username, password, active)] per authenticated request
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.support.loopback_http import LoopbackServer, QuietHandler

HTTP_BACKEND = Path("/usr/lib/git-core/git-http-backend")


def git_available() -> bool:
    return bool(shutil.which("git")) and HTTP_BACKEND.exists()


class GitServer:
    def __init__(self, root: Path, introspect: Callable[[str], dict]) -> None:
        self.root = root
        self.introspect = introspect
        self.seen: list[tuple[str, str, bool]] = []
        self.refused: set[str] = set()  # tokens this server turns away although the provider calls them active
        self._server: LoopbackServer | None = None

    def make_repo(self, name: str, files: dict[str, str]) -> None:
        """A bare repository NAME with one commit holding `files`."""
        work = self.root / (name + ".src")
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.test",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.test", "GIT_CONFIG_NOSYSTEM": "1"}
        subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
        for path, text in files.items():
            (work / path).write_text(text)
        subprocess.run(["git", "-C", str(work), "add", "."], check=True, env=env)
        subprocess.run(["git", "-C", str(work), "commit", "-q", "-m", "first"], check=True, env=env)
        subprocess.run(["git", "clone", "-q", "--bare", str(work), str(self.root / name)], check=True, env=env)

    def commit(self, name: str, path: str, text: str) -> None:
        """Push one more commit into the bare repository NAME (from its source checkout)."""
        work = self.root / (name + ".src")
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.test",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.test", "GIT_CONFIG_NOSYSTEM": "1"}
        (work / path).write_text(text)
        subprocess.run(["git", "-C", str(work), "commit", "-q", "-am", "more"], check=True, env=env)
        subprocess.run(["git", "-C", str(work), "push", "-q", str(self.root / name), "main"], check=True, env=env)

    def url(self, path: str = "") -> str:
        assert self._server is not None
        return self._server.url("/" + path)

    def start(self) -> GitServer:
        owner = self

        class Handler(QuietHandler):
            def _refuse(self) -> None:
                self.reply(401, b"", None, {"WWW-Authenticate": 'Basic realm="test git"'})

            def _serve(self) -> None:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return self._refuse()
                username, _, password = base64.b64decode(header[6:]).decode().partition(":")
                active = password not in owner.refused and bool(owner.introspect(password).get("active"))
                owner.seen.append((username, password, active))
                if not active:
                    return self._refuse()
                body = self.body()
                path, _, query = self.path.partition("?")
                env = {
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_PROJECT_ROOT": str(owner.root),
                    "GIT_HTTP_EXPORT_ALL": "1", "REQUEST_METHOD": self.command, "PATH_INFO": path,
                    "QUERY_STRING": query, "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                    "CONTENT_LENGTH": str(len(body)), "REMOTE_USER": username, "REMOTE_ADDR": "127.0.0.1",
                    "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(owner.root),
                }
                for name in ("Content-Encoding", "Git-Protocol"):
                    if self.headers.get(name):
                        env["HTTP_" + name.upper().replace("-", "_")] = self.headers[name]
                proc = subprocess.run([str(HTTP_BACKEND)], input=body, capture_output=True, env=env)
                head, _, payload = proc.stdout.partition(b"\r\n\r\n")
                status, headers = 200, []
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.reply(status, payload, None, headers)

            do_GET = do_POST = _serve  # noqa: N815

        self._server = LoopbackServer(Handler).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

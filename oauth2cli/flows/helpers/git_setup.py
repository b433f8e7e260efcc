"""`oauth2 setup-git`: tell git to ask oauth2 for the credentials of one host, and which
profiles git asks oauth2 about (for `oauth2 status`).

The section written is the one gh writes for GitHub:

    [credential "https://git.example.com"]
        helper =
        helper = !oauth2 git-credential -p work

The empty value first clears the helpers configured for every host (a `store` or `cache`
helper would otherwise answer with a stale token before oauth2 is asked).
"""

from __future__ import annotations

import os

from oauth2cli.core.errors import ConfigError, printable

TYPE_CHECKING = False  # `oauth2 status` asks git which hosts it sends here: no typing, dataclasses, subprocess
if TYPE_CHECKING:
    import subprocess

    from oauth2cli.deps import Deps

HELPER_PREFIX = "!oauth2 git-credential -p "
_HELPERS = r"^credential\..*\.helper$"


def helper_command(profile: str) -> str:
    return HELPER_PREFIX + profile


def normalize_host(url: str) -> str:
    """`git.example.com` or `https://git.example.com[:port][/path]`, as git's credential.<url> key."""
    from urllib.parse import urlsplit

    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"--host {printable(url, 100)!r} is not an http(s) URL or a host name",
                          hint="give it as https://git.example.com")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(f"--host {printable(url, 100)!r} must be a plain URL (no user, query or fragment)")
    if parts.scheme == "http":
        from oauth2cli.flows.helpers.git_credential import plain_http_ok

        if not plain_http_ok(parts.netloc):
            raise ConfigError(f"--host {printable(url, 100)!r} is plain http://: git would send the token unencrypted",
                              hint="use https:// (plain http is for loopback hosts only)")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _git(deps: Deps, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    import shutil
    import subprocess

    git = shutil.which("git", path=deps.environ.get("PATH"))
    if not git:
        raise ConfigError("git is not on PATH", hint="install git first")
    proc = subprocess.run([git, *args], capture_output=True, text=True, env=dict(deps.environ), stdin=subprocess.DEVNULL)
    # git config: 1 = no such key/value (for --get-all, --unset-all); anything else is a real failure
    if check and proc.returncode not in (0, 1):
        message = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise ConfigError(f"git config failed: {printable(message, 300)}",
                          hint="--local needs to be run inside a git repository" if "--local" in args else None)
    return proc


class SetupResult:
    """What setup() did: changed or not, in which scope ("global" or "local"), the key, and the
    other helpers this URL had, now gone."""

    __slots__ = ("changed", "scope", "key", "replaced")

    def __init__(self, changed: bool, scope: str, key: str, replaced: tuple[str, ...] = ()) -> None:
        self.changed, self.scope, self.key, self.replaced = changed, scope, key, replaced

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SetupResult) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __repr__(self) -> str:
        return "SetupResult(" + ", ".join(f"{a}={getattr(self, a)!r}" for a in self.__slots__) + ")"


def setup(deps: Deps, profile: str, host: str, *, local: bool = False, remove: bool = False) -> SetupResult:
    deps.store.profile(profile)  # an unknown profile is said before git's config is touched
    url = normalize_host(host)
    scope = "--local" if local else "--global"
    key = f"credential.{url}.helper"
    current = _git(deps, "config", scope, "--get-all", key).stdout.splitlines()
    ours = helper_command(profile)
    result = SetupResult(False, scope[2:], key)
    if remove:
        if ours not in current:
            return result
        import re

        _git(deps, "config", scope, "--unset-all", key, "^" + re.escape(ours) + "$")
        if [v for v in current if v != ours] == [""]:
            _git(deps, "config", scope, "--unset-all", key, "^$")
        return SetupResult(True, scope[2:], key)
    if current == ["", ours]:
        return result  # already so: idempotent
    # Ours replaces any helper of this URL (another oauth2 profile's too), after the reset line.
    if current:
        _git(deps, "config", scope, "--unset-all", key)
    _git(deps, "config", scope, "--add", key, "")
    _git(deps, "config", scope, "--add", key, ours)
    _not_writable_by_others(deps, scope)
    return SetupResult(True, scope[2:], key, tuple(v for v in current if v not in ("", ours)))


def _not_writable_by_others(deps: Deps, scope: str) -> None:
    """git writes its config with the user's umask (0666 under umask 000); a config that names the
    credential helper must not be writable by others, who could swap in their own helper."""
    import os
    import stat

    origin = _git(deps, "config", scope, "--show-origin", "--get-regexp", r"^credential\.", check=False).stdout
    path = origin.partition("\t")[0].removeprefix("file:")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if path and mode & 0o022:
            os.chmod(path, mode & ~0o022)
    except OSError:
        pass


def git_hosts(deps: Deps) -> dict[str, list[str]]:
    """profile -> the URLs git asks it about (every git config scope); {} without git."""
    listing = _helpers_listing(deps)
    hosts: dict[str, list[str]] = {}
    for line in (listing or "").splitlines():
        key, _, value = line.partition(" ")
        if key.startswith("credential.") and key.endswith(".helper") and len(key) > 18 and value.startswith(HELPER_PREFIX):
            hosts.setdefault(value[len(HELPER_PREFIX):].strip(), []).append(key[11:-7])
    return hosts


def _helpers_listing(deps: Deps) -> str | None:
    """`git config --get-regexp` of every credential.URL.helper, its stdout; None when git cannot be run.
    On POSIX spawned directly (subprocess and its threading cost `status` more than git itself)."""
    if not hasattr(os, "posix_spawn"):  # pragma: no cover - Windows
        try:
            return _git(deps, "config", "--get-regexp", _HELPERS, check=False).stdout
        except (OSError, ConfigError):
            return None
    git = next((p for p in (os.path.join(d or ".", "git") for d in (deps.environ.get("PATH") or os.defpath).split(os.pathsep))
                if os.path.isfile(p) and os.access(p, os.X_OK)), None)
    if git is None:
        return None
    read, write = os.pipe()
    try:
        null = os.open(os.devnull, os.O_RDWR)
        try:
            pid = os.posix_spawn(git, [git, "config", "--get-regexp", _HELPERS], dict(deps.environ), file_actions=[
                (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, write, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
        finally:
            os.close(null)
            os.close(write)
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
        os.waitpid(pid, 0)
    except OSError:
        return None
    finally:
        os.close(read)
    return b"".join(chunks).decode("utf-8", "replace")

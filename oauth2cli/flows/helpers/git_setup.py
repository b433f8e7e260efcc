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

import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, printable

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

HELPER_PREFIX = "!oauth2 git-credential -p "
_HELPER_KEY = re.compile(r"^credential\.(.+)\.helper$")


def helper_command(profile: str) -> str:
    return HELPER_PREFIX + profile


def normalize_host(url: str) -> str:
    """`git.example.com` or `https://git.example.com[:port][/path]`, as git's credential.<url> key."""
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


@dataclass(frozen=True)
class SetupResult:
    changed: bool
    scope: str  # "global" or "local"
    key: str
    replaced: tuple[str, ...] = ()  # other helpers this URL had, now gone


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
    if not shutil.which("git", path=deps.environ.get("PATH")):
        return {}
    try:
        proc = _git(deps, "config", "--get-regexp", r"^credential\..*\.helper$", check=False)
    except (OSError, ConfigError):
        return {}
    hosts: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(" ")
        match = _HELPER_KEY.match(key)
        if match and value.startswith(HELPER_PREFIX):
            hosts.setdefault(value[len(HELPER_PREFIX):].strip(), []).append(match.group(1))
    return hosts

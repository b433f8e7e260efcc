"""A store folder mode 0555, for a user who cannot override permissions: `nobody` (setpriv),
or, where this machine lets no other user run programs, root without CAP_DAC_OVERRIDE.
The refresh is refused before it is sent, in one line, and the store's bytes stay."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from tests.faults.conftest import add_profile, log_in, one_line, snapshot, wait_until_expired
from tests.support.cli import Result

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534
SETPRIV = shutil.which("setpriv")
DROP_CAPS = ["--bounding-set=-dac_override,-dac_read_search,-fowner",
             "--inh-caps=-dac_override,-dac_read_search,-fowner"]


def _as_nobody(argv: list[str]) -> list[str]:
    return [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *argv]


def _without_dac(argv: list[str]) -> list[str]:
    return [SETPRIV, *DROP_CAPS, "--", *argv]


def _python_for_nobody() -> str:
    # The venv's interpreter may live under /root (0700); the system's of the same minor version
    # runs the same code with the venv's site-packages on PYTHONPATH.
    system = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    return system if os.path.exists(system) else sys.executable


def _reason(how: str) -> str | None:
    if os.geteuid() != 0:
        return "needs root, to switch user or drop capabilities (CI runs as root)"
    if not SETPRIV:
        return "setpriv (util-linux) is not installed"
    argv = _as_nobody([_python_for_nobody(), "-c", "pass"]) if how == "nobody" else _without_dac(["true"])
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        return (f"this machine does not let {'nobody' if how == 'nobody' else 'a capability-less root'} run "
                f"programs ({done.stderr.strip()[:160]}); the other variant covers the same refusal")
    return None


@pytest.mark.parametrize("how", ["nobody", "root-without-dac-override"])
def test_a_0555_store_folder_refuses_the_refresh_before_sending_it(provider, proxy, how):
    reason = _reason(how)
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="oauth2cli-0555-"))
    try:
        os.chmod(root, 0o755)
        env = {var: str(root / sub) for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
               ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"))}
        for path in env.values():
            Path(path).mkdir(parents=True)
        env.update(OAUTH2CLI_STORE="file", NO_COLOR="1", PATH=os.environ.get("PATH", "/usr/bin:/bin"),
                   PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]]))
        add_profile(provider, proxy, "locked", env=env)
        old = log_in(provider, "locked", environ=env)
        secrets = root / "data" / "oauth2cli" / "secrets"
        if how == "nobody":
            subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(root)], check=True)
        os.chmod(secrets, 0o555)
        before = snapshot(secrets)
        wait_until_expired(old)

        def run(*args: str) -> Result:
            python = _python_for_nobody() if how == "nobody" else sys.executable
            argv = [python, "-m", "oauth2cli", *args]
            argv = _as_nobody(argv) if how == "nobody" else _without_dac(argv)
            done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, cwd=root)
            return Result(done.returncode, done.stdout, done.stderr)

        result = run("token", "locked")

        line = one_line(result)
        assert result.code == 1 and result.stdout == "", result
        assert line.startswith(f"oauth2: error: cannot write the secret file {secrets / 'locked.json'}: "
                               "Permission denied; nothing was sent to the server"), line
        assert f"make {secrets} writable for" in line, line
        assert proxy.requests_to("/token") == 0
        assert snapshot(secrets) == before

        os.chmod(secrets, 0o700)
        again = run("token", "locked")
        assert again.code == 0 and again.stdout.strip(), again
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", str(root)], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

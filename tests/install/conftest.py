"""A fresh machine for the install tests, built once per session (building and installing are slow).

There is no container engine here, so "a fresh Debian 12 with only python3 and git" is emulated:
a throw-away HOME laid out from /etc/skel, a PATH without ~/.local/bin, pipx or uv, and as
`python3` a copy of the system interpreter whose stdlib (linked file by file) lacks `ensurepip`
and site-packages and carries the PEP 668 `EXTERNALLY-MANAGED` marker - what Debian's python3
is before python3-venv and python3-pip are installed. PyPI is the only network it uses; pip's
own cache is shared with the developer's. Everything the installs need is downloaded once per
session into a wheelhouse, and the installs then run offline from it (PIP_NO_INDEX,
PIP_FIND_LINKS), which keeps them fast and immune to a slow index; test_mkvenv.py fetches pip
from the real index, the one step the wheelhouse would otherwise stand in for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "scripts" / "install"
# What pip and npm need from the outer environment (certificates, mirrors, the shared cache).
PASSED_ON = ("PIP_CERT", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT",
             "SSL_CERT_FILE", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "LANG", "TERM")


REAL_HOME = os.path.expanduser("~")  # read at import, before any test's HOME is replaced


def _real_pip_cache() -> str:
    proc = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                          env=dict(os.environ, HOME=REAL_HOME))
    return proc.stdout.strip() or os.path.join(REAL_HOME, ".cache", "pip")


@dataclass
class Machine:
    """A home and an environment that look like a new user's on a fresh machine."""

    root: Path
    home: Path
    sysbin: Path
    python: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, command: str | list[str], *, cwd: Path = ROOT, timeout: float = 300, login: bool = False,
            extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """A command in a new bash (a login shell with login=True, which reads ~/.profile)."""
        if isinstance(command, str):
            command = ["bash", "-l" if login else "--norc", "-c", command]
        return subprocess.run(command, cwd=cwd, env=dict(self.env, **(extra or {})), capture_output=True,
                              text=True, timeout=timeout)


def _base_python() -> Path:
    """Debian's own python3 when it is new enough, else the interpreter under the test venv."""
    debian = Path("/usr/bin/python3")
    if debian.exists():
        ok = subprocess.run([str(debian), "-c", "import sys; assert sys.version_info >= (3, 10)"],
                            capture_output=True)
        if ok.returncode == 0:
            return debian.resolve()
    return Path(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable).resolve()


def emulated_debian_python(dest: Path) -> Path:
    """dest/bin/python3: the base interpreter with a stdlib minus ensurepip and installed packages."""
    base = _base_python()
    info = subprocess.run([str(base), "-c", "import sys, sysconfig; print(sysconfig.get_paths()['stdlib']); "
                           "print('python%d.%d' % sys.version_info[:2])"], capture_output=True, text=True, check=True)
    stdlib, name = info.stdout.split()
    libdir = dest / "lib" / name
    libdir.mkdir(parents=True)
    (dest / "bin").mkdir()
    shutil.copy2(base, dest / "bin" / name)  # a copy, not a link: Python finds its prefix from here
    (dest / "bin" / "python3").symlink_to(name)
    for entry in Path(stdlib).iterdir():
        if entry.name not in ("ensurepip", "site-packages", "dist-packages", "EXTERNALLY-MANAGED"):
            (libdir / entry.name).symlink_to(entry)
    (libdir / "site-packages").mkdir()
    (libdir / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=To install Python packages system-wide, try apt install python3-xyz "
        "(emulated by tests/install for a fresh Debian 12).\n")
    return dest / "bin" / "python3"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built once (python -m build, without isolation: offline)."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def _version_of(python: Path | str) -> str:
    return subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="session")
def wheelhouse(dist, tmp_path_factory) -> Path:
    """The wheel, its dependencies, hatchling (to build from the checkout) and pip, from PyPI once."""
    house = tmp_path_factory.mktemp("wheelhouse")
    versions = {_version_of(_base_python()), _version_of(sys.executable)}
    for version in sorted(versions):
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                               "--only-binary", ":all:", "--python-version", version, "--dest", str(house),
                               str(dist["wheel"]), "hatchling>=1.27", "pip", "pipx", "uv"],
                              capture_output=True, text=True, timeout=600, env=dict(os.environ, HOME=REAL_HOME))
        assert proc.returncode == 0, proc.stderr
    return house


def new_machine(root: Path, wheelhouse: Path) -> Machine:
    home = root / "home"
    shutil.copytree("/etc/skel", home, symlinks=True) if Path("/etc/skel").is_dir() else home.mkdir(parents=True)
    python = emulated_debian_python(root / "python")
    # Its own bin first (a link elsewhere would let a venv's Python fall back to the real stdlib),
    # then the system's; nothing from pyenv, ~/.local/bin, pipx or uv.
    sysbin = python.parent
    path = os.pathsep.join([str(sysbin), "/usr/local/sbin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
    env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
    env.update(HOME=str(home), PATH=path, USER="tester", LANG=env.get("LANG", "C.UTF-8"),
               PIP_CACHE_DIR=_real_pip_cache(), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse),
               # no bytecode for the 30 packages: it is most of an install's time here, and tests nothing
               PIP_COMPILE="0")
    return Machine(root=root, home=home, sysbin=sysbin, python=python, env=env)


@pytest.fixture(scope="session")
def machine(tmp_path_factory, wheelhouse) -> Machine:
    return new_machine(tmp_path_factory.mktemp("fresh-debian"), wheelhouse)

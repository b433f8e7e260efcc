"""What a registry sees: metadata (twine check), the LICENSE, and an sdist whose own tests pass."""

from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from oauth2cli import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_twine_check_passes_for_both(dist):
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(dist["sdist"]), str(dist["wheel"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_wheel_metadata_names_license_authors_urls_and_classifiers(dist):
    with zipfile.ZipFile(dist["wheel"]) as whl:
        names = whl.namelist()
        meta = email.parser.Parser().parsestr(whl.read(f"oauth2cli-{__version__}.dist-info/METADATA").decode())
        license_text = whl.read(f"oauth2cli-{__version__}.dist-info/licenses/LICENSE").decode()
    assert meta["License-Expression"] == "MIT" and meta["License-File"] == "LICENSE"
    assert license_text == (ROOT / "LICENSE").read_text() and license_text.startswith("MIT License")
    assert meta["Author"] or meta["Author-email"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Documentation", "Issues", "Source"} <= set(urls)
    classifiers = meta.get_all("Classifier")
    assert "Environment :: Console" in classifiers and "Programming Language :: Python :: 3.10" in classifiers
    assert meta["Requires-Python"] == ">=3.10"
    data = f"oauth2cli-{__version__}.data/data/share/man/man1/"
    assert sorted(n[len(data):] for n in names if n.startswith(data)) == sorted(p.name for p in (ROOT / "man").glob("*.1"))


def _tracked(*paths: str) -> set[str]:
    proc = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", *paths],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("not a git checkout")
    return {line for line in proc.stdout.splitlines() if (ROOT / line).exists()}


@pytest.fixture(scope="session")
def unpacked_sdist(dist, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("sdist")
    with tarfile.open(dist["sdist"]) as tar:
        tar.extractall(dest, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(dest)
    return dest / f"oauth2cli-{__version__}"


def test_sdist_holds_every_file_of_the_checkout_the_tests_use(unpacked_sdist):
    wanted = _tracked("oauth2cli", "tests", "scripts", "man", "completions", "benchmarks", ".ci",
                      "LICENSE", "README.md", "pyproject.toml")
    have = {str(p.relative_to(unpacked_sdist)) for p in unpacked_sdist.rglob("*") if p.is_file()}
    assert sorted(wanted - have) == []
    assert not any(name.startswith("tests/provider/node_modules/") for name in have)
    assert (unpacked_sdist / "scripts" / "gen-docs").stat().st_mode & 0o111


def test_the_sdists_own_docs_tests_pass_from_it(unpacked_sdist):
    # The tests that once failed from the sdist (scripts/gen-docs was left out), run in it.
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/docs/test_gen_docs.py"], cwd=unpacked_sdist, capture_output=True, text=True,
                          timeout=300, env={**__import__("os").environ, "PYTHONPATH": str(unpacked_sdist)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout

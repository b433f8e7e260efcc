"""Fixtures for the helpers other programs run (git-credential, kube-credential, exec)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.shim import oauth2_bin, path_with


@pytest.fixture
def oauth2_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`oauth2` on PATH, as git and kubectl find it; git reads only the isolated HOME's config."""
    directory = oauth2_bin(tmp_path / "bin")
    monkeypatch.setenv("PATH", path_with(directory))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")  # a failed helper must not hang on a prompt
    # Never inside this checkout: a stray `git config --local` would land in the developer's repository.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return directory

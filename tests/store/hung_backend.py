"""Keyring backends for tests: one that never answers (a locked keyring waiting on a prompt)."""

from __future__ import annotations

import time

from keyring.backend import KeyringBackend


class HungKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        time.sleep(3600)

    def set_password(self, service, username, password):
        time.sleep(3600)

    def delete_password(self, service, username):
        time.sleep(3600)

"""The profile store: profiles in config.toml (store.config), secrets and tokens in the
keyring or an announced file store (store.secrets)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from oauth2cli.core.errors import StoreError
from oauth2cli.store import paths

if TYPE_CHECKING:
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps
    from oauth2cli.store.config import ConfigFile
    from oauth2cli.store.secrets import SecretStore


class Store:
    """What commands use: profiles, secrets and token sets of one run."""

    def __init__(self, deps: Deps, secrets: SecretStore | None = None) -> None:
        self.deps = deps
        self._secrets = secrets
        self._config: ConfigFile | None = None

    # -- profiles ---------------------------------------------------------
    @property
    def config_path(self):
        return paths.config_file(self.deps.environ)

    @property
    def config(self) -> ConfigFile:
        if self._config is None:
            from oauth2cli.store.config import load

            self._config = load(self.config_path)
        return self._config

    def profile(self, name: str) -> dict:
        return self.config.get(name)

    def save_profile(self, name: str, values: dict) -> None:
        from oauth2cli.store.config import check_name, set_profile

        set_profile(self.config_path, check_name(name), values)
        self._config = None

    # -- secrets ----------------------------------------------------------
    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            self._secrets = open_secrets(self.deps)
        return self._secrets

    def load_tokens(self, profile: str) -> TokenSet | None:
        from oauth2cli.core.tokens import TokenSet

        raw = self.secrets.get(profile, "tokens")
        if raw is None:
            return None
        try:
            return TokenSet.from_dict(json.loads(raw))
        except (ValueError, TypeError) as exc:
            raise StoreError(f"the stored tokens of profile {profile!r} are unreadable: {exc}") from None

    def save_tokens(self, profile: str, tokens: TokenSet) -> None:
        self.secrets.set(profile, "tokens", json.dumps(tokens.to_dict(), separators=(",", ":")))

    def delete_tokens(self, profile: str) -> None:
        self.secrets.delete(profile, "tokens")


def open_secrets(deps: Deps) -> SecretStore:
    choice = deps.store_choice or deps.environ.get("OAUTH2CLI_STORE") or "auto"
    from oauth2cli.store.secrets import FileStore, KeyringStore

    file_store = FileStore(paths.data_dir(deps.environ) / "secrets")
    if choice == "file":
        return file_store
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if not isinstance(backend, fail.Keyring):
        return KeyringStore(backend)
    if choice == "keyring":
        raise StoreError("no usable keyring (OAUTH2CLI_STORE=keyring forbids the file fallback)")
    deps.stderr.write(f"oauth2: warning: no usable keyring; secrets and tokens go to {file_store.directory} (mode 0600)\n")
    return file_store


def open_store(deps: Deps) -> Store:
    return Store(deps)

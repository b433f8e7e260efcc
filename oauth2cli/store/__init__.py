"""The profile store: profiles in config.toml (store.config), secrets and tokens in the
keyring or an announced file store (store.secrets), the per-profile lock (store.lock), and one
lean read of a profile for every command (store.view).

This package's own module stays empty of imports: the lean reads (store.view, store.xdg,
store.memo, store.presets) live here and must cost no more than Python's own start. `Store` and
`open_store` (store.profile_store) are imported the first time they are asked for.
"""

# Kept beside the token response in the stored JSON, never part of the TokenSet.
SAVED_AT = "oauth2cli_saved_at"

_LAZY = ("Store", "open_store", "Context")


def __getattr__(name: str):
    if name in _LAZY:
        from oauth2cli.store import profile_store

        return getattr(profile_store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""curl's -H argument, read without anything else loaded (the call fast path uses it too):
`Name: value` sends a header, `Name:` removes one the client would send, `Name;` sends it empty."""

from __future__ import annotations


def header_arg(value: str) -> tuple[str, str | None]:
    """(name, value to send) or (name, None) to remove it; ConfigError when it is neither."""
    if ":" in value:
        name, _, val = value.partition(":")
        name, val = name.strip(), val.strip()
        if not name:
            from oauth2cli.core.errors import ConfigError

            raise ConfigError(f"not a header: {value!r}")
        return name, val or None
    if value.rstrip().endswith(";"):
        return value.rstrip()[:-1].strip(), ""
    from oauth2cli.core.errors import ConfigError

    raise ConfigError(f"a header is 'Name: value', got {value!r}")

"""The options object a use case gets: one attribute per option and argument of its command,
named as in the table (a parameter's dest), whichever parser read the command line."""

from __future__ import annotations


class Options:
    def __init__(self, values: dict | None = None, **more) -> None:
        self.__dict__.update(values or {}, **more)

    def __eq__(self, other) -> bool:
        return isinstance(other, Options) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Options({', '.join(f'{k}={v!r}' for k, v in sorted(vars(self).items()))})"

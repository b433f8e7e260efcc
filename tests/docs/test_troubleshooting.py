"""Issue #28: the README's "Troubleshooting" lists the lines a person may see, from the one table
the code gives its hints from (core/advice.py), and every row of it is a hint the code gives."""

from __future__ import annotations

from pathlib import Path

from oauth2cli.core.advice import EXAMPLES, TABLE, hint

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_hint_the_code_gives():
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    for key, advice in TABLE.items():
        assert f"| {advice.seen} | {advice.means} | {hint(key, **EXAMPLES)} |" in section, key


def test_every_row_is_given_somewhere():
    own = (ROOT / "oauth2cli" / "core" / "advice.py").read_text("utf-8")
    rules = own[own.index("\ndef hint("):]  # the rules below the table choose some hints themselves
    sources = rules + "\n".join(p.read_text("utf-8") for p in (ROOT / "oauth2cli").rglob("*.py")
                                 if p.name != "advice.py")
    for key in TABLE:
        assert f'"{key}"' in sources or f"'{key}'" in sources, f"no code gives the hint {key!r}"

"""TAB on a command name or a profile name, answered without click.

The completion scripts (commands/completion.py) run `oauth2` with `_OAUTH2_COMPLETE=<shell>_complete`
and COMP_WORDS/COMP_CWORD on every key press. The answers people wait for most — the command
names after `oauth2`, a command's options right after it, and the profile names after a command
whose first argument is a PROFILE — come from the option table (cmdline/tree.py and the
command's entry) and config.toml, in click's own protocol and format (tests/cli/test_fast_paths.py
compares them with click's, item for item, on every command). Anything else — an option after
others, a value, a word with quotes, a root option before the command — returns None and click
answers.
"""

from __future__ import annotations

import os
import sys

from oauth2cli.cli import ALIASES, COMMANDS, SHORT_HELP

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def profile_first(name: str) -> bool:
    """Whether the first argument of command `name` is a PROFILE, as its option table entry says."""
    from oauth2cli.cmdline.spec import PROFILE, load

    entry = COMMANDS.get(ALIASES.get(name, name))
    if entry is None:
        return False
    command = load(entry[0])
    arguments = [p for p in command.params if not p.is_option]
    return command.commands is None and bool(arguments) and arguments[0].kw.get("type") is PROFILE

SHELLS = ("bash", "zsh", "fish")


def _words(text: str) -> list[str] | None:
    """click's split_arg_string for the plain case: no quote, escape or unusual blank."""
    if any(c in "'\"\\" or (c.isspace() and c != " ") for c in text):
        return None
    return text.split(" ")


def _args_and_incomplete(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """What click's BashComplete/ZshComplete/FishComplete.get_completion_args return."""
    words = _words(environ.get("COMP_WORDS", ""))
    if words is None:
        return None
    words = [w for w in words if w]
    if shell == "fish":
        incomplete = environ.get("COMP_CWORD", "")
        parts = _words(incomplete)
        if parts is None or len([p for p in parts if p]) > 1:
            return None
        incomplete = incomplete.strip(" ")
        args = words[1:]
        if incomplete and args and args[-1] == incomplete:
            args.pop()
        return args, incomplete
    try:
        cword = int(environ.get("COMP_CWORD", ""))
    except ValueError:
        return None
    if cword < 1:
        return None
    return words[1:cword], (words[cword] if cword < len(words) else "")


def _items(args: list[str], incomplete: str, environ: Mapping[str, str]) -> list[tuple[str, str | None]] | None:
    if incomplete.startswith("-"):
        return option_items(args[0], incomplete) if len(args) == 1 and "=" not in incomplete else None
    if not args:
        names = sorted(set(COMMANDS) | set(ALIASES))
        return [(n, SHORT_HELP.get(ALIASES.get(n, n))) for n in names if n.startswith(incomplete)]
    if len(args) == 1 and profile_first(args[0]):
        return [(n, None) for n in profile_names(environ) if n.startswith(incomplete)]
    return None


def option_items(name: str, incomplete: str) -> list[tuple[str, str | None]] | None:
    """The options of command `name` that start with `incomplete`, as click's Command.shell_complete
    offers them right after the command (none given yet): each visible option's spellings with its
    help, then the help option's; None for a group or a command of its own click class."""
    from oauth2cli.cmdline.spec import load
    from oauth2cli.cmdline.tree import ROOT

    entry = COMMANDS.get(ALIASES.get(name, name))
    if entry is None:
        return None
    command = load(entry[0])
    if command.commands is not None or command.cls or command.version:
        return None
    items = []
    for p in command.params:
        if p.kw.get("deprecated"):
            return None  # click adds its label to the help
        if p.is_option and not p.kw.get("hidden"):
            items += [(o, _clean_help(p.kw.get("help"))) for o in (*p.opts, *p.secondary) if o.startswith(incomplete)]
    names = command.context_settings.get("help_option_names", ROOT.context_settings["help_option_names"])
    return items + [(o, "Show this message and exit.") for o in names if o.startswith(incomplete)]


def _clean_help(text: str | None) -> str | None:
    """The help as click keeps it (inspect.cleandoc, which leaves the table's one-line texts as they are)."""
    if not text or (text == text.lstrip() and "\n" not in text and "\t" not in text):
        return text
    import inspect

    return inspect.cleandoc(text)


def profile_names(environ: Mapping[str, str]) -> list[str]:
    """The names ProfileName.shell_complete offers: none when config.toml is unreadable or malformed."""
    from oauth2cli.store.view import profiles

    found = profiles(environ)
    return sorted(found) if found else []


def _format(shell: str, value: str, help_: str | None) -> str:
    if shell == "bash":
        return f"plain,{value}"
    if shell == "zsh":
        shown = help_ or "_"
        return f"plain\n{value if shown == '_' else value.replace(':', chr(92) + ':')}\n{shown}"
    if help_:
        return f"plain,{value}\t" + help_.replace("\n", "\\n").replace("\t", " ")
    return f"plain,{value}"


def answer(environ: Mapping[str, str] = os.environ) -> str | None:
    """The completion reply (what click would print), or None when click must answer."""
    shell, _, instruction = environ.get("_OAUTH2_COMPLETE", "").partition("_")
    if shell not in SHELLS or instruction != "complete":
        return None
    parsed = _args_and_incomplete(shell, environ)
    if parsed is None:
        return None
    items = _items(*parsed, environ)
    if items is None:
        return None
    return "\n".join(_format(shell, value, help_) for value, help_ in items) + "\n"


def main(args: list[str], environ: Mapping[str, str]) -> int | None:
    """entry.py's fast path: print the reply and exit 0, or None to let click answer."""
    reply = answer(environ)
    if reply is None:
        return None
    sys.stdout.buffer.write(reply.encode())
    sys.stdout.flush()
    return 0

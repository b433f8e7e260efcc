"""A usage error worded as click words it, for a command line the lean parser read:

    Usage: oauth2 CMD [OPTIONS] ARGS
    Try 'oauth2 CMD --help' for help.

    Error: MESSAGE

tests/cli/test_usage_wording.py compares it with click's for every command of the tree.
"""

from __future__ import annotations


def _metavar(p) -> str:
    metavar = p.kw.get("metavar")
    if metavar is not None:
        return metavar
    nargs = p.kw.get("nargs", 1)
    required = p.kw.get("required", nargs > 0 and "default" not in p.kw)
    kind = p.kw.get("type")
    if kind is not None and kind.kind == "Choice":
        choices = "|".join(map(str, kind.args["choices"]))
        var = f"{{{choices}}}" if required else f"[{choices}]"
    else:
        var = p.dest.upper()
    if not required and not (var.startswith("[") and var.endswith("]")):
        var = f"[{var}]"
    if nargs != 1:
        var += "..."
    return var


def usage_line(path: tuple[str, ...], command) -> str:
    pieces = ["[OPTIONS]"] + [_metavar(p) for p in command.params if not p.is_option]
    if command.commands is not None:
        pieces.append("COMMAND [ARGS]...")
    return "Usage: " + " ".join(("oauth2", *path)) + " " + " ".join(pieces)


def usage_error(path: tuple[str, ...], command, message: str) -> str:
    from oauth2cli.cmdline.tree import ROOT

    help_option = max(ROOT.context_settings["help_option_names"], key=len)  # click names the longest
    return (f"{usage_line(path, command)}\nTry '{' '.join(('oauth2', *path))} {help_option}' for help.\n\n"
            f"Error: {message}\n")

"""`oauth2 call` read without click: the command line parsed by cli/fast.py's lean parser over
OPTIONS, then the one pipeline (commands/call.run), the same one click's command calls.

Every shape the table covers is served here — any method, -d and its variants, --json, -F,
-G, -i, -I, -H, -o, -s, -f, --max-time, -L, --cacert, -k, --allow-http, -v, --print-curl,
--step-up — whatever the profile's settings say (DPoP, mTLS, compliance fixes: the pipeline
reads them). What the table cannot decide exactly goes to click before anything is read or
sent (None): an option it does not know (the ad-hoc ones, which also come from OAUTH2_*
variables), `--`, a value click would refuse, a wrong command line (click words the usage
error). Once the pipeline runs, its answer is the answer: nothing is handed over after a send.
"""

from __future__ import annotations

import os

from oauth2cli.cli.fast import FLAG, VALUE, VALUES, parse, seconds

TYPE_CHECKING = False  # typing costs ~5 ms to import; this path does without it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def _pairs(dest: str, *spellings: str) -> dict:
    return {s: (dest, (VALUES, s if s.startswith("--") else "-d")) for s in spellings}


OPTIONS = {
    "-p": ("profile", VALUE), "--profile": ("profile", VALUE),
    "-X": ("request", VALUE), "--request": ("request", VALUE),
    "-H": ("headers", VALUES), "--header": ("headers", VALUES),
    # curl joins -d, --data-binary, ... in command-line order: (flag, value) pairs, one list
    **_pairs("data", "-d", "--data"), **_pairs("data", "--data-binary"), **_pairs("data", "--data-raw"),
    **_pairs("data", "--data-urlencode"),
    "--json": ("json", VALUES),
    "-F": ("form", VALUES), "--form": ("form", VALUES),
    "-G": ("get", FLAG), "--get": ("get", FLAG),
    "-i": ("include", FLAG), "--include": ("include", FLAG),
    "-I": ("head", FLAG), "--head": ("head", FLAG),
    "-o": ("output", VALUE), "--output": ("output", VALUE),
    "-s": ("silent", FLAG), "--silent": ("silent", FLAG),
    "-f": ("fail", FLAG), "--fail": ("fail", FLAG),
    "-L": ("location", FLAG), "--location": ("location", FLAG),
    "--max-time": ("max_time", VALUE),
    "--cacert": ("cacert", VALUE),
    "-k": ("insecure", FLAG), "--insecure": ("insecure", FLAG),
    "--allow-http": ("allow_http", FLAG),
    "-v": ("verbose", FLAG), "--verbose": ("verbose", FLAG),
    "--print-curl": ("print_curl", FLAG),
    "--step-up": ("step_up", FLAG),
}
# `-d` is the flag curl (and --print-curl) names for -d and --data alike.
OPTIONS["--data"] = ("data", (VALUES, "-d"))


def plain_call(args: list[str], environ: Mapping[str, str]) -> dict | None:
    """The options of a call this parser reads exactly (CallOptions' fields), else None."""
    if args[:1] != ["call"]:
        return None
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in environ):
        return None  # flags in disguise (an ad-hoc call among them): click reads them
    parsed = parse(args[1:], OPTIONS)
    if parsed is None:
        return None
    values, positional = parsed
    if not positional:
        return None  # click says that ARGS is missing
    values["args"] = tuple(positional)
    for name in ("headers", "data", "json", "form"):
        if name in values:
            values[name] = tuple(values[name])
    if "max_time" in values:
        values["max_time"] = seconds(values["max_time"])
        if values["max_time"] is None:
            return None
    for name in ("output", "cacert"):  # click's Path(dir_okay=False) says what is wrong
        path = values.get(name)
        if path is not None and path != "-" * (name == "output") and (not path or os.path.isdir(path)):
            return None
    return values


def serve(args: list[str], environ: Mapping[str, str], full_path: Callable[[list[str]], None] | None = None) -> int | None:
    """The exit code of a call answered by the one pipeline, or None for click (nothing was sent)."""
    values = plain_call(args, environ)
    if values is None:
        return None
    from oauth2cli.commands.call import run
    from oauth2cli.commands.call_options import CallOptions
    from oauth2cli.core.errors import OAuth2CliError, UsageError, printable
    from oauth2cli.cli.fast import say_error
    from oauth2cli.deps import Deps

    deps = Deps(environ=environ)
    try:
        return run(CallOptions(**values), deps)
    except UsageError:
        return None  # found before anything was read or sent: click says it in its words
    except BrokenPipeError:
        raise
    except OAuth2CliError as exc:
        return say_error(exc)
    except OSError as exc:  # the network's are NetworkErrors already (transport/wire.py): this is ours
        return say_error(OAuth2CliError(f"cannot write the answer: {exc.strerror or exc}"))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - cli/errors.py's last line of defence, in its words
        import sys

        sys.stderr.write(f"oauth2: unexpected error: {type(exc).__name__}: {printable(exc, 300)}; "
                         "run again with --debug for a traceback, and report it\n")
        return 1
    finally:
        deps.close()

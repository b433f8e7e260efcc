"""How `oauth2 call` prints an answer: the body byte for byte on a pipe, pretty on a terminal,
curl's -i/-I/-o/-f, and the one-line summary on stderr."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~3 ms; every `oauth2 call` prints through here

if TYPE_CHECKING:
    from oauth2cli.commands.call_options import CallOptions


def line(stream, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()


def stderr_line(deps):
    def one(text: str) -> None:
        from oauth2cli.core.errors import printable

        deps.stderr.write(printable(text, 4000) + "\n")

    return one


def render_response(opts: CallOptions, deps, call, response, started: float, deadline: float | None,
                    chunks=None) -> None:
    """`response` (transport/client.Client.open's: wire's answer, or httpx's in the same shape) as
    curl would print it; `chunks` is its decoded body, read within the deadline."""
    import time

    from oauth2cli.core.errors import ConfigError, HttpStatusError, printable

    status = response.status_code
    failed = opts.fail and status >= 400
    out = _binary_stdout(deps)
    to_terminal = _isatty(deps.stdout) and not (opts.output and opts.output != "-")
    if (opts.include or opts.head) and not failed:
        out.write(_head_block(response, b"\n" if to_terminal else b"\r\n"))
        out.flush()
    size = 0
    if chunks is None:
        from oauth2cli.flows.call import call as flow

        chunks = flow.body_chunks(response, deadline, opts.max_time or call.settings.timeout)
    if failed:
        excerpt = b""
        for chunk in chunks:
            excerpt += chunk
            if len(excerpt) > 400:
                break
        text = " ".join(excerpt.decode("utf-8", "replace").split())[:200]
        from oauth2cli.transport.trace import mask_url

        raise HttpStatusError(
            f"HTTP {status} {printable(response.reason_phrase, 60)} from {printable(mask_url(str(response.url)), 200)}"
            + (f": {printable(text)}" if text else ""), status)
    if opts.head:
        pass
    elif opts.output and opts.output != "-":
        try:
            with open(opts.output, "wb") as f:
                for chunk in chunks:
                    f.write(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise ConfigError(f"cannot write {opts.output}: {exc.strerror or exc}") from None
    elif to_terminal and opts.output != "-":
        body = b"".join(chunks)
        size = len(body)
        _pretty(deps, response, body)
    else:
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    out.flush()
    if not opts.silent and _isatty(deps.stderr) and (to_terminal or opts.output):
        ms = (time.monotonic() - started) * 1000
        ctype = response.headers.get("content-type", "").split(";")[0] or "no content type"
        note = " · token refreshed" if call.refreshes else ""
        deps.stderr.write(f"HTTP {status} {printable(response.reason_phrase, 60)} · {ctype} · {_size(size)} · {ms:.0f} ms{note}\n")


def _head_block(response, newline: bytes) -> bytes:
    """The status line and headers as they came (names in their own case), like curl -i."""
    version = response.http_version or "HTTP/1.1"
    lines = [f"{version} {response.status_code} {response.reason_phrase}".rstrip().encode("latin-1", "replace")]
    lines += [name + b": " + value for name, value in response.headers.raw]
    return newline.join(lines) + newline + newline


def _pretty(deps, response, body: bytes) -> None:
    import json

    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            value = json.loads(body)
        except ValueError:
            value = None
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            if deps.use_color(deps.stdout):
                from rich.console import Console
                from rich.json import JSON

                Console(file=deps.stdout, soft_wrap=True).print(JSON(text))
            else:
                deps.stdout.write(text + "\n")
            return
    if b"\x00" in body[:8192]:
        # curl's rule: binary output can mess up a terminal.
        line(deps.stderr, "oauth2: warning: binary output can mess up your terminal; use `-o FILE`, or `-o -` to print it anyway")
        return
    text = body.decode("utf-8", "replace")
    deps.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _TextBytes:
    """Bytes onto a text stream that has no buffer (a StringIO in tests)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8", "replace"))

    def flush(self) -> None:
        self.stream.flush()


def _binary_stdout(deps):
    stream = deps.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return _TextBytes(stream)
    stream.flush()
    return buffer

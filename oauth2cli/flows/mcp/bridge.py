"""The stdio ↔ Streamable HTTP bridge of `oauth2 mcp` (MCP specification, transports, 2025-06-18
and 2025-11-25): each JSON-RPC message read from stdin is POSTed to the server, and what the server
sends back (a JSON body, or the messages of an event stream) is written to stdout, one message a
line. No click, no httpx here; every request goes through flows/call's Call (a fresh token each
time, one refresh and replay on a 401) on the one transport (transport/client.Client).

- Messages go out in the order they are read: the next one is sent once the last one's answer
  has its head in (so the session id of the answer to `initialize` is on every later request);
  an event stream's messages are written as they come, by a thread of their own.
- `Mcp-Session-Id` from the answer to `initialize` goes on every later request, and
  `MCP-Protocol-Version` once the version is agreed.
- After `notifications/initialized`, a GET opens the server's own stream (server-initiated
  messages); a 405 means the server offers none.
- A stream that breaks off is resumed with a GET and `Last-Event-ID` when its events had ids;
  otherwise a request left without an answer gets a JSON-RPC error, so the client does not wait.
- End of stdin: the session is ended with a DELETE (a 405 means the server does not allow that).
"""

from __future__ import annotations

import json
import threading
import time

from oauth2cli.core.errors import OAuth2CliError
from oauth2cli.flows.call.request_spec import RequestSpec

ACCEPT = "application/json, text/event-stream"
LOST = -32000  # a JSON-RPC server error of ours: the answer could not be had
RECONNECTS = 5  # attempts in a row to reopen the server's stream before giving up on it
DEFAULT_RETRY = 1.0  # seconds before reopening a stream, unless the server's `retry` said otherwise


class Bridge:
    def __init__(self, call, client, url: str, write, say, set_up=None) -> None:
        """call: a flows/call Call (the profile's token); write(bytes): one message line to stdout;
        say(text): one line on stderr. set_up: when given, no profile claims URL yet: the first
        message goes without a token, and set_up(its 401) returns the (call, client) of the profile
        zero set-up logged in (or None), after which the message goes once more with its token."""
        self.call, self.client, self.url = call, client, url
        self._set_up, self._set_up_failed = set_up, None
        self._write, self.say = write, say
        self._lock = threading.Lock()
        self.session_id: str | None = None
        self.protocol_version: str | None = None
        self._initialize_id = None
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._get_stream = None

    # -- the client's side --------------------------------------------------
    def run(self, lines) -> int:
        """Forward every message of `lines` (stdin's, bytes), then end the session: the exit code."""
        for line in lines:
            line = line.strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except ValueError:
                self.say("oauth2: warning: a line on stdin is not JSON; answered with a parse error")
                self.emit({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
                continue
            self.post(message, line)
        self.close()
        return 0

    def post(self, message, body: bytes) -> None:
        ids = _request_ids(message)
        if isinstance(message, dict) and message.get("method") == "initialize":
            self._initialize_id = message.get("id")
        try:
            response = self._send("POST", body, content_type=True, idle=True)
        except OAuth2CliError as exc:
            self._fail(ids, exc.message)
            if exc is self._set_up_failed:
                raise  # no login, no session: the command ends with the error's exit code
            self.say(f"oauth2: error: {exc.message}")
            return
        status = response.status_code
        session = response.headers.get("mcp-session-id")
        if session and self.session_id is None:
            self.session_id = session
        if status == 202:
            response.close()
            if isinstance(message, dict) and message.get("method") == "notifications/initialized":
                self._open_get_stream()
            return
        kind = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        if status == 200 and kind == "text/event-stream":
            self._spawn(self._read_stream, response, set(ids), "POST")
            return
        try:
            data = _read(response)
        except OAuth2CliError as exc:
            self.say(f"oauth2: error: {exc.message}")
            self._fail(ids, exc.message)
            return
        if status == 200 and kind == "application/json":
            self._emit_text(data)
            return
        self._refused(status, data, ids)

    def _refused(self, status: int, data: bytes, ids) -> None:
        if status == 404 and self.session_id:
            why = "the server ended the session (HTTP 404); restart the MCP client to begin a new one"
        elif status in (401, 403):
            why = f"the server refused the token (HTTP {status}); log in again with `oauth2 login {self.call.settings.profile}`"
        else:
            text = data[:200].decode("utf-8", "replace").strip()
            why = f"the server answered HTTP {status}" + (f": {text}" if text else "")
        self.say(f"oauth2: error: {why}")
        self._fail(ids, why)

    def _fail(self, ids, why: str) -> None:
        for id_ in ids:
            self.emit({"jsonrpc": "2.0", "id": id_, "error": {"code": LOST, "message": f"oauth2 mcp: {why}"}})

    # -- the server's side --------------------------------------------------
    def _open_get_stream(self) -> None:
        try:
            response = self._send("GET", None, idle=True)
        except OAuth2CliError as exc:
            self.say(f"oauth2: warning: the server's own stream could not be opened: {exc.message}")
            return
        kind = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        if response.status_code != 200 or kind != "text/event-stream":
            response.close()  # 405: the server offers no stream of its own
            return
        self._get_stream = self._spawn(self._read_stream, response, None, "GET")

    def _read_stream(self, response, waiting: set | None, what: str) -> None:
        """Write the stream's messages; resume it with Last-Event-ID when it breaks off. waiting: the
        ids of the requests the stream answers (None: the server's own stream, reopened until the end)."""
        from oauth2cli.core.sse import EventParser

        parser = EventParser()
        failures = 0
        while not self._closed.is_set():
            broke = None
            try:
                for chunk in response.iter_bytes():
                    for event in parser.feed(chunk):
                        if event.name == "message" and event.data.strip():
                            answered = self._emit_text(event.data.encode("utf-8"))
                            if waiting is not None:
                                waiting.difference_update(answered)
                    failures = 0
                    if waiting is not None and not waiting:
                        break  # every answer is in: the stream has done its part (a replay may stay open)
            except OAuth2CliError as exc:
                broke = exc.message
            finally:
                response.close()
                parser.end()
            if self._closed.is_set() or (waiting is not None and not waiting):
                return
            if waiting is not None and parser.last_id is None:
                why = broke or "the server's stream ended before the answer"
                self.say(f"oauth2: error: {why}")
                self._fail(sorted(waiting, key=str), why)
                return
            failures += 1
            if failures > RECONNECTS:
                self.say(f"oauth2: warning: gave up reopening the server's {what} stream")
                self._fail(sorted(waiting or (), key=str), "the server's stream could not be resumed")
                return
            time.sleep(parser.retry / 1000 if parser.retry is not None else DEFAULT_RETRY)
            if self._closed.is_set():
                return
            extra = [("Last-Event-ID", parser.last_id)] if parser.last_id is not None else []
            try:
                response = self._send("GET", None, idle=True, extra=extra)
            except OAuth2CliError as exc:
                self.say(f"oauth2: warning: reopening the server's stream failed: {exc.message}")
                continue
            kind = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            if response.status_code != 200 or kind != "text/event-stream":
                response.close()
                if waiting is not None:
                    self._refused(response.status_code, b"", sorted(waiting, key=str))
                return

    # -- both ---------------------------------------------------------------
    def _send(self, method: str, body: bytes | None, *, content_type: bool = False, idle: bool = False, extra=()):
        headers = [("Accept", ACCEPT if method == "POST" else "text/event-stream")]
        if content_type:
            headers.append(("Content-Type", "application/json"))
        if self.session_id:
            headers.append(("Mcp-Session-Id", self.session_id))
        if self.protocol_version:
            headers.append(("MCP-Protocol-Version", self.protocol_version))
        headers.extend(extra)
        spec = RequestSpec(method, self.url, headers, content=body)
        response = self.call.send(self.client, spec, idle=idle, with_token=self._set_up is None)
        if self._set_up is not None and response.status_code == 401:
            response.close()
            try:
                found = self._set_up(response)
            except OAuth2CliError as exc:
                self._set_up_failed = exc
                raise
            if found is None:
                return self.call.send(self.client, spec, idle=idle, with_token=False)
            self.client.close()
            (self.call, self.client), self._set_up = found, None
            response = self.call.send(self.client, spec, idle=idle)
        return response

    def _emit_text(self, data: bytes) -> list:
        """Write the message (or each message of a batch) in `data`; the ids of the responses among them."""
        try:
            message = json.loads(data)
        except ValueError:
            self.say("oauth2: warning: the server sent something that is not JSON; left out")
            return []
        messages = message if isinstance(message, list) else [message]
        answered = []
        for one in messages:
            if isinstance(one, dict) and ("result" in one or "error" in one):
                answered.append(one.get("id"))
                self._note_version(one)
            self.emit(one)
        return answered

    def _note_version(self, message: dict) -> None:
        result = message.get("result")
        if self._initialize_id is not None and message.get("id") == self._initialize_id and isinstance(result, dict):
            version = result.get("protocolVersion")
            if isinstance(version, str) and version:
                self.protocol_version = version

    def emit(self, message) -> None:
        line = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        with self._lock:
            self._write(line)

    def _spawn(self, target, *args) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, name="oauth2-mcp-stream", daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def close(self) -> None:
        """End of stdin: answers still streaming get a moment, then the session ends (DELETE)."""
        deadline = time.monotonic() + 2.0
        for thread in self._threads:
            if thread is not self._get_stream:
                thread.join(max(0.0, deadline - time.monotonic()))
        self._closed.set()
        if self.session_id is None:
            return
        try:
            self._send("DELETE", None).close()  # 405: the server does not let clients end sessions
        except OAuth2CliError as exc:
            self.say(f"oauth2: warning: the session could not be ended: {exc.message}")


def _request_ids(message) -> list:
    """The ids of the requests in a message or batch (what the server owes an answer to)."""
    messages = message if isinstance(message, list) else [message]
    return [m["id"] for m in messages if isinstance(m, dict) and "method" in m and m.get("id") is not None]


def _read(response) -> bytes:
    try:
        return b"".join(response.iter_bytes())
    finally:
        response.close()

"""Look at the screen as a person would: run a command in a real tmux pane, read the pane.

    with TmuxPane(env={"XDG_CONFIG_HOME": ...}) as pane:      # a fresh shell in a private server
        pane.type("oauth2 --help", enter=True)
        screen = pane.wait_for("Commands:")                   # the visible text, lines joined
        coloured = pane.capture(escapes=True)                 # with the SGR colour codes

Each pane lives on its own tmux server (a socket in a temporary directory), so tests never
touch a developer's tmux sessions and can run in parallel. `shell` is what runs in the pane
(default: bash without rc files); the environment is exactly the one given plus PATH, HOME
and TERM. Anyone can use it for screens: the login and device-code screens, spinners.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

TMUX = shutil.which("tmux")


class TmuxPane:
    def __init__(self, *, shell: list[str] | None = None, env: dict[str, str] | None = None,
                 width: int = 100, height: int = 40, term: str = "xterm-256color") -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.dir = Path(tempfile.mkdtemp(prefix="oauth2-tmux-"))
        self.socket = str(self.dir / "socket")
        self.shell = shell or ["bash", "--norc", "--noprofile"]
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", str(self.dir)),
                    "TERM": term, "PS1": "$ ", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        self.env.update(env or {})
        self.width, self.height = width, height

    def _tmux(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run([TMUX, "-S", self.socket, *args], capture_output=True, text=True, timeout=20)
        if check and proc.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {proc.stderr.strip()}")
        return proc.stdout

    def __enter__(self) -> TmuxPane:
        env_args = [f"{k}={v}" for k, v in self.env.items()]
        # -f /dev/null: no user tmux.conf; env -i: the pane sees only self.env.
        subprocess.run(
            [TMUX, "-S", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(self.width),
             "-y", str(self.height), "env", "-i", *env_args, *self.shell],
            check=True, timeout=20,
        )
        self._tmux("set-option", "-g", "status", "off")
        self.wait_for("$", timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmux("kill-server", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def type(self, text: str, *, enter: bool = False) -> None:
        """Type text literally (no key-name interpretation); Enter after it when asked."""
        self._tmux("send-keys", "-l", text)
        if enter:
            self.keys("Enter")

    def keys(self, *names: str) -> None:
        """Press keys by tmux name: Enter, Tab, C-c, ..."""
        self._tmux("send-keys", *names)

    def capture(self, *, escapes: bool = False, scrollback: bool = False) -> str:
        """The visible screen (plus what scrolled off, with scrollback=True); with
        escapes=True the colour/attribute sequences stay in."""
        args = ["capture-pane", "-p", "-J"] + (["-e"] if escapes else []) + (["-S", "-"] if scrollback else [])
        return self._tmux(*args)

    def clear(self) -> None:
        """An empty screen and no scrollback."""
        self.run("clear")
        self._tmux("clear-history")

    def wait_for(self, text: str, *, timeout: float = 15.0, escapes: bool = False, scrollback: bool = False) -> str:
        """Poll the screen until `text` is on it; the screen then, or AssertionError with it."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(escapes=escapes, scrollback=scrollback)
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen:\n{screen}")

    def run(self, command: str, *, timeout: float = 30.0) -> tuple[str, int]:
        """Type a shell command, wait for it to finish; (screen with scrollback, exit status)."""
        marker = f"__done_{time.monotonic_ns()}"
        # The typed line shows `marker $?`; only the output shows `marker=N`.
        self.type(f"{command}; printf '%s=%s\\n' {marker} $?", enter=True)
        screen = self.wait_for(f"{marker}=", timeout=timeout, scrollback=True)
        status = screen.rsplit(f"{marker}=", 1)[1].split()[0]
        return screen, int(status)

"""Hydra's login-and-consent app, as small as Hydra allows: a sign-in form (any name, the password
"password"), a consent form granting what was asked, and a logout that is accepted at once. Its
forms carry a hidden `prompt` (login / consent) as oidc-provider's do, so tests/support/browser.py
fills them in as it does there. What it accepted is kept in `logins`, `consents`, `logouts`."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

PASSWORD = "password"


def _form(prompt: str, challenge: str, title: str, inputs: str) -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<form method='post' action='/{prompt}'><input type='hidden' name='prompt' value='{prompt}'>"
            f"<input type='hidden' name='challenge' value='{html.escape(challenge, quote=True)}'>{inputs}"
            "<button type='submit'>Continue</button></form></body></html>").encode()


class LoginConsentApp:
    def __init__(self, hydra_admin: str) -> None:
        self.hydra_admin = hydra_admin  # http://127.0.0.1:ADMIN
        self.logins: list[dict] = []
        self.consents: list[dict] = []
        self.logouts: list[dict] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> LoginConsentApp:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def flow(self, kind: str, challenge: str) -> dict:
        resp = httpx.get(f"{self.hydra_admin}/admin/oauth2/auth/requests/{kind}",
                         params={f"{kind}_challenge": challenge}, timeout=15)
        resp.raise_for_status()
        return resp.json()

    def accept(self, kind: str, challenge: str, body: dict) -> str:
        resp = httpx.put(f"{self.hydra_admin}/admin/oauth2/auth/requests/{kind}/accept",
                         params={f"{kind}_challenge": challenge}, json=body, timeout=15)
        resp.raise_for_status()
        return resp.json()["redirect_to"]

    def consent_body(self, request: dict) -> dict:
        subject = request["subject"]
        return {"grant_scope": request["requested_scope"],
                "grant_access_token_audience": request["requested_access_token_audience"],
                "session": {"id_token": {"email": f"{subject}@example.test", "name": subject.title()}}}


def _handler(app: LoginConsentApp):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", location: str | None = None) -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/login":
                challenge = query.get("login_challenge", "")
                request = app.flow("login", challenge)
                if request.get("skip"):  # Hydra remembers this person: no form
                    app.logins.append({"subject": request["subject"], "skipped": True})
                    return self._send(302, location=app.accept("login", challenge, {"subject": request["subject"]}))
                inputs = "<input name='login'><input type='password' name='password'>"
                return self._send(200, _form("login", challenge, "Sign in", inputs))
            if url.path == "/consent":
                challenge = query.get("consent_challenge", "")
                request = app.flow("consent", challenge)
                if request.get("skip"):
                    app.consents.append({"scope": request["requested_scope"], "skipped": True})
                    return self._send(302, location=app.accept("consent", challenge, app.consent_body(request)))
                scopes = html.escape(" ".join(request["requested_scope"]))
                return self._send(200, _form("consent", challenge, f"Allow {scopes}?", ""))
            if url.path == "/logout":
                challenge = query.get("logout_challenge", "")
                request = app.flow("logout", challenge)
                app.logouts.append({"subject": request.get("subject"), "sid": request.get("sid")})
                return self._send(302, location=app.accept("logout", challenge, {}))
            if url.path == "/logged-out":
                return self._send(200, b"<html><head><title>Sign-out success</title></head><body>Bye</body></html>")
            self._send(404, b"not found")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            challenge = form.get("challenge", "")
            if self.path == "/login":
                if form.get("password") != PASSWORD or not form.get("login"):
                    return self._send(200, _form("login", challenge, "Wrong password",
                                                 "<input name='login'><input type='password' name='password'>"))
                app.logins.append({"subject": form["login"], "skipped": False})
                body = {"subject": form["login"], "remember": True, "remember_for": 3600}
                return self._send(302, location=app.accept("login", challenge, body))
            if self.path == "/consent":
                request = app.flow("consent", challenge)
                app.consents.append({"scope": request["requested_scope"], "skipped": False})
                body = {**app.consent_body(request), "remember": False}
                return self._send(302, location=app.accept("consent", challenge, body))
            self._send(404, b"not found")

    return Handler


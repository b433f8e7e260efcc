#!/usr/bin/env python3
"""A stand-in for a person's web browser, for tests of browser-based OAuth flows.

As a program (what Python's ``webbrowser`` runs through ``$BROWSER``)::

    BROWSER="/path/to/python /path/to/tests/support/browser.py %s"      # waits
    BROWSER="/path/to/python /path/to/tests/support/browser.py %s &"    # like a GUI browser

As a module::

    from tests.support.browser import run
    final_url = run(auth_url, login="alice", action="approve")

It opens the URL with a cookie jar, follows redirects and walks oidc-provider's
development pages the way a person would: it signs in on the login form, approves
the consent form (or with action "deny" follows the "[ Cancel ]" abort link, which
ends in ``error=access_denied``), confirms device-flow user codes, and keeps going
until a redirect (or an auto-submitting form_post page) leads to a loopback URL
outside the provider: the client's redirect URI. It requests that URL once (GET, or
POST for form_post) and stops; it does not follow whatever that answer says.
A device-flow run ends at the provider's "Sign-in Success" page instead.

Environment knobs (program mode):
    STANDIN_LOGIN           login name typed into the login form (default "alice")
    STANDIN_ACTION          "approve" (default) or "deny"
    STANDIN_LOG             file to append one JSON line per visit to:
                            {"url", "status", "body" (first 2000 chars), ...}
    STANDIN_DELAY           seconds to sleep before starting
    STANDIN_EXTRA_CALLBACK  a URL to GET just before the real callback (forged callbacks)
    STANDIN_USER_CODE       user code to type if a device-flow code input page shows up
    STANDIN_PROVIDER        a URL on the provider, when URL itself is not (e.g. a
                            start page served by the client that redirects onwards)
    STANDIN_PROVIDER_ALSO   more origins, space-separated, that are the provider's side and not
                            the client's (Hydra's login-and-consent app)
    STANDIN_COOKIES         a JSON file that keeps the cookie jar from one run to the
                            next, like a real browser's profile (the provider's session)
    STANDIN_LOGOUT          "yes" (default) or "no": the answer on the provider's
                            "Do you want to sign-out?" page (RP-initiated logout)

Besides oidc-provider's pages it fills in a server's own sign-in form (a password field beside
`username`, as Keycloak's, or `login`, as Dex's: the password typed is "password") and accepts
Keycloak's grant page (its `accept` button).

Exit status 0 when the callback (or the device success page) was reached, else
non-zero with a one-line message on stderr. Nothing is printed on stdout.
Only the standard library and httpx are used.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

MAX_STEPS = 40
REQUEST_TIMEOUT = 15.0
CALLBACK_TIMEOUT = 60.0
BODY_LIMIT = 2000


class BrowserError(RuntimeError):
    """The stand-in browser could not complete the flow."""


# ---------------------------------------------------------------------------
# HTML


class _Form:
    def __init__(self, attrs: dict[str, str]) -> None:
        self.id = attrs.get("id")
        self.action = attrs.get("action", "")
        self.method = (attrs.get("method") or "get").upper()
        self.fields: list[tuple[str, str]] = []  # successful controls
        self.blank: list[str] = []  # text/password inputs without a value
        self.buttons: list[tuple[str, str]] = []  # named submit buttons

    def value(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.fields) or name in self.blank


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.links: list[tuple[str, str]] = []
        self.title = ""
        self.headings = ""  # the text of h1/h2 elements (Dex titles every page "dex")
        self.pre: list[str] = []
        self._form: _Form | None = None
        self._orphans: list[tuple[str, str, str, bool]] = []  # (form id, name, value, button?)
        self._link: list[Any] | None = None
        self._in_title = False
        self._in_heading = False
        self._pre: list[str] | None = None
        self._script: list[str] | None = None
        self.autosubmit = False  # a script submits document.forms[0] on load

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._form = _Form(attrs)
            self.forms.append(self._form)
        elif tag in ("input", "button", "textarea", "select"):
            self._control(tag, attrs)
        elif tag == "a" and "href" in attrs:
            self._link = [attrs["href"], ""]
        elif tag == "title":
            self._in_title = True
        elif tag in ("h1", "h2"):
            self._in_heading = True
        elif tag == "pre":
            self._pre = []
        elif tag == "script":
            self._script = []

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag == "form":
            self._form = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        elif tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2"):
            self._in_heading = False
        elif tag == "pre" and self._pre is not None:
            self.pre.append(" ".join("".join(self._pre).split()))
            self._pre = None
        elif tag == "script" and self._script is not None:
            if "forms[0].submit()" in "".join(self._script):
                self.autosubmit = True
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1] += data
        if self._in_title:
            self.title += data
        if self._in_heading:
            self.headings += data
        if self._pre is not None:
            self._pre.append(data)
        if self._script is not None:
            self._script.append(data)

    def _control(self, tag: str, attrs: dict[str, str]) -> None:
        name = attrs.get("name")
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        owner_id = attrs.get("form")
        value = attrs.get("value", "")
        is_button = kind in ("submit", "image") or tag == "button"
        if owner_id is not None and (self._form is None or self._form.id != owner_id):
            if name:
                self._orphans.append((owner_id, name, value, is_button))
            return
        form = self._form
        if form is None or not name:
            return
        if is_button:
            form.buttons.append((name, value))
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs:
                form.fields.append((name, value or "on"))
        elif kind in ("text", "password", "email", "search", "tel", "url", "number") and not value:
            form.blank.append(name)
        elif kind not in ("reset", "file"):
            form.fields.append((name, value))

    def close(self) -> None:
        super().close()
        by_id = {form.id: form for form in self.forms if form.id}
        for owner_id, name, value, is_button in self._orphans:
            form = by_id.get(owner_id)
            if form is None:
                continue
            if is_button:
                form.buttons.append((name, value))
            else:
                form.fields.append((name, value))


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


# ---------------------------------------------------------------------------
# URLs


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _snippet(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]


# ---------------------------------------------------------------------------
# the browser


class _Log:
    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = os.fspath(path) if path else None

    def write(self, **entry: Any) -> None:
        if not self.path:
            return
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)


def run(
    url: str,
    login: str = "alice",
    action: str = "approve",
    *,
    log: str | os.PathLike[str] | None = None,
    extra_callback: str | None = None,
    user_code: str | None = None,
    provider: str | None = None,
    max_steps: int = MAX_STEPS,
    cookies: str | os.PathLike[str] | None = None,
    logout: str = "yes",
) -> str:
    """Walk a browser flow starting at *url*; return the final URL requested.

    The final URL is the client's loopback redirect URI (with ``code``/``state`` or
    ``error``), or for device flows the provider's success page. Raises
    :class:`BrowserError` when the flow cannot be completed. *provider* is any URL
    on the provider's origin; by default the origin of *url* is taken to be it.
    """
    if action not in ("approve", "deny"):
        raise BrowserError(f"unknown action {action!r} (use 'approve' or 'deny')")
    journal = _Log(log)
    if urlsplit(url).scheme not in ("http", "https"):
        raise BrowserError(f"not an http(s) URL: {url}")
    home = {_origin(provider or url)} | {_origin(o) for o in (os.environ.get("STANDIN_PROVIDER_ALSO") or "").split()}

    state = {"target": url, "logout": logout}
    with httpx.Client(follow_redirects=False, timeout=REQUEST_TIMEOUT, trust_env=False) as client:
        _load_cookies(client, cookies)
        try:
            return _walk(client, journal, state, home, login, action, extra_callback, user_code, max_steps)
        except httpx.HTTPError as exc:
            error = BrowserError(f"{type(exc).__name__} while requesting {state['target']}: {exc}")
            journal.write(url=state["target"], status=None, body="", error=str(error))
            raise error from exc
        except BrowserError as exc:
            journal.write(url=state["target"], status=None, body="", error=str(exc))
            raise
        finally:
            _save_cookies(client, cookies)


def _loopback_cookies_are_secure_enough(client: httpx.Client) -> None:
    """Send Secure cookies to http://127.0.0.1 too, as browsers do (a potentially trustworthy
    origin): Keycloak marks its login cookies Secure even over plain http. (http.cookiejar would
    keep them back; httpx copies the jar for each request, so a policy on it would not last.)"""
    for cookie in client.cookies.jar:
        if cookie.secure and _is_loopback(f"http://{cookie.domain.lstrip('.')}/"):
            cookie.secure = False


def _load_cookies(client: httpx.Client, path: str | os.PathLike[str] | None) -> None:
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        for item in json.load(fh):
            client.cookies.set(item["name"], item["value"], domain=item["domain"], path=item["path"])


def _save_cookies(client: httpx.Client, path: str | os.PathLike[str] | None) -> None:
    if not path:
        return
    jar = [{"name": c.name, "value": c.value, "domain": c.domain, "path": c.path} for c in client.cookies.jar]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(jar, fh)


def _walk(
    client: httpx.Client,
    journal: _Log,
    state: dict[str, str],
    home: set[tuple[str, str, int | None]],
    login: str,
    action: str,
    extra_callback: str | None,
    user_code: str | None,
    max_steps: int,
) -> str:
    method, target, form_data = "GET", state["target"], None
    denied = False
    at_provider = False  # a client-served start page may come before the provider
    for _step in range(max_steps):
        state["target"] = target
        if _origin(target) in home:
            at_provider = True
        elif not _is_loopback(target):
            raise BrowserError(f"refusing to go to a non-loopback URL: {target}")
        elif at_provider:
            return _deliver(client, journal, method, target, form_data, extra_callback, state.get("logins", 0))

        resp = _request(client, method, target, form_data)
        _loopback_cookies_are_secure_enough(client)
        method, form_data = "GET", None

        if resp.is_redirect:
            location = resp.headers.get("location")
            if not location:
                raise BrowserError(f"redirect without Location from {target}")
            target = urljoin(str(resp.url), location)
            continue

        html = "html" in resp.headers.get("content-type", "")
        page = _parse(resp.text) if html else _Page()
        if resp.status_code >= 400:
            if denied:
                # e.g. the device flow's "The Sign-in request was interrupted" page
                journal.write(url=target, status=resp.status_code, body=resp.text[:BODY_LIMIT])
                return target
            detail = "; ".join(page.pre) or _snippet(resp.text)
            raise BrowserError(f"provider answered {resp.status_code} at {target}: {detail}")

        try:
            method, target, form_data = _next_move(page, str(resp.url), home, login, action, user_code,
                                                   state.get("logout", "yes"))
        except BrowserError:
            if denied:
                journal.write(url=target, status=resp.status_code, body=resp.text[:BODY_LIMIT])
                return target
            raise
        if isinstance(form_data, dict) and ("login" in form_data or "username" in form_data):
            state["logins"] = state.get("logins", 0) + 1  # the person typed a login name: a fresh sign-in
        if method == "DONE":
            journal.write(url=target, status=resp.status_code, body=resp.text[:BODY_LIMIT])
            return target
        if method.startswith("DENY:"):
            method = method[len("DENY:"):]
            denied = True
    raise BrowserError(f"gave up after {max_steps} steps at {target}")


def _request(
    client: httpx.Client,
    method: str,
    url: str,
    form_data: dict[str, str] | list[tuple[str, str]] | None,
    timeout: float = REQUEST_TIMEOUT,
) -> httpx.Response:
    if form_data is None:
        return client.request(method, url, timeout=timeout)
    body = urlencode(list(form_data.items()) if isinstance(form_data, dict) else form_data)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if method == "GET":
        sep = "&" if urlsplit(url).query else "?"
        return client.request(method, url + sep + body, timeout=timeout)
    return client.request(method, url, content=body, headers=headers, timeout=timeout)


def _deliver(
    client: httpx.Client,
    journal: _Log,
    method: str,
    target: str,
    form_data: dict[str, str] | list[tuple[str, str]] | None,
    extra_callback: str | None,
    logins: int = 0,
) -> str:
    """Request the client's redirect URI (after an optional forged one) and stop.
    The log line says how many login forms were filled in on the way (`logins`)."""
    if extra_callback:
        try:
            forged = client.get(extra_callback, timeout=CALLBACK_TIMEOUT)
            journal.write(
                url=extra_callback, status=forged.status_code, body=forged.text[:BODY_LIMIT], extra=True
            )
        except httpx.HTTPError as exc:
            journal.write(url=extra_callback, status=None, body="", extra=True, error=str(exc))
    fragment = urlsplit(target).fragment if method == "GET" else ""
    try:
        if fragment:
            # A fragment never reaches the server: do what the listener's page script does
            # (load the page, then POST the fragment to the same path).
            page_url = target.split("#", 1)[0]
            page = client.get(page_url, timeout=CALLBACK_TIMEOUT)
            journal.write(url=page_url, status=page.status_code, body=page.text[:BODY_LIMIT], page=True)
            resp = _request(client, "POST", page_url, _pairs(fragment), timeout=CALLBACK_TIMEOUT)
        else:
            resp = _request(client, method, target, form_data, timeout=CALLBACK_TIMEOUT)
    except httpx.HTTPError as exc:
        raise BrowserError(f"callback {target} failed: {type(exc).__name__}: {exc}") from exc
    journal.write(url=target, status=resp.status_code, body=resp.text[:BODY_LIMIT], logins=logins)
    return target


def _pairs(fragment: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(fragment, keep_blank_values=True)


def _next_move(
    page: _Page,
    url: str,
    home: set[tuple[str, str, int | None]],
    login: str,
    action: str,
    user_code: str | None,
    logout: str = "yes",
) -> tuple[str, str, Any]:
    """Decide what a person would do on this page: (method, url, form data)."""
    for form in page.forms:
        prompt = form.value("prompt")
        submit_url = urljoin(url, form.action or url)

        if form.id == "oauth2.confirm":
            # `oauth2 mcp`'s question before trusting a sign-in server on another site: Continue, or Cancel
            return form.method, submit_url, list(form.fields) + [("answer", "cancel" if action == "deny" else "continue")]

        if form.id == "op.logoutForm":
            # RP-initiated logout: "Do you want to sign-out from ...?" Yes (logout=yes) or No.
            data = list(form.fields) + ([("logout", "yes")] if logout == "yes" else [])
            return form.method, submit_url, data

        if prompt is None and form.has("password") and (form.has("username") or form.has("login")):
            # a server's own sign-in page (Keycloak's username, Dex's login): name and password
            data = dict(form.fields)
            data["username" if form.has("username") else "login"] = login
            data["password"] = "password"
            return form.method, submit_url, data

        if prompt is None and any(name == "accept" for name, _ in form.buttons):
            # Keycloak's grant page ("Do you grant these access privileges?"): Yes, or No
            data = dict(form.fields)
            if action == "deny":
                data["cancel"] = "No"
                return f"DENY:{form.method}", submit_url, data
            data["accept"] = dict(form.buttons)["accept"] or "Yes"
            return form.method, submit_url, data

        if prompt == "login":
            data = dict(form.fields)
            data["login"] = login
            if form.has("password"):
                data["password"] = "password"
            return form.method, submit_url, data

        if prompt == "consent":
            if action == "deny":
                return "DENY:GET", _abort_link(page, url), None
            return form.method, submit_url, dict(form.fields)

        if form.value("confirm") is not None and form.has("user_code"):
            # device flow: "is this the code shown on your device?"
            data = dict(form.fields)
            if action == "deny":
                data["abort"] = "yes"
                return f"DENY:{form.method}", submit_url, data
            return form.method, submit_url, data

        if "user_code" in form.blank:
            if not user_code:
                raise BrowserError(f"device code input page at {url} and no user code to type")
            data = dict(form.fields)
            data["user_code"] = user_code
            return form.method, submit_url, data

        if form.value("user_code") and not form.blank and form.value("confirm") is None:
            # Dex's device page with the code already filled in from verification_uri_complete: Submit
            return form.method, submit_url, dict(form.fields)

        if _origin(submit_url) not in home or (page.autosubmit and form is page.forms[0]):
            # a page that submits itself on load: response_mode=form_post to the
            # client, or the device flow's hand-over of ?user_code= to a POST
            return form.method, submit_url, list(form.fields)

    if not page.forms and ("success" in page.title.lower() or "successful" in page.headings.lower()):
        return "DONE", url, None

    raise BrowserError(f"stuck at {url}: no known form on page titled {page.title.strip()!r}")


def _abort_link(page: _Page, url: str) -> str:
    for href, text in page.links:
        if href.rstrip("/").endswith("/abort") or "cancel" in text.lower():
            return urljoin(url, href)
    raise BrowserError(f"no cancel/abort link on consent page {url}")


# ---------------------------------------------------------------------------
# program


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: browser.py URL\n")
        return 2
    try:
        # Release an inherited stdout pipe: whoever launched us may wait for its EOF.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    try:
        delay = float(os.environ.get("STANDIN_DELAY") or 0)
    except ValueError:
        sys.stderr.write("stand-in browser: STANDIN_DELAY must be a number of seconds\n")
        return 2
    if delay > 0:
        time.sleep(delay)
    try:
        run(
            args[0],
            login=os.environ.get("STANDIN_LOGIN") or "alice",
            action=(os.environ.get("STANDIN_ACTION") or "approve").lower(),
            log=os.environ.get("STANDIN_LOG") or None,
            extra_callback=os.environ.get("STANDIN_EXTRA_CALLBACK") or None,
            user_code=os.environ.get("STANDIN_USER_CODE") or None,
            provider=os.environ.get("STANDIN_PROVIDER") or None,
            cookies=os.environ.get("STANDIN_COOKIES") or None,
            logout=(os.environ.get("STANDIN_LOGOUT") or "yes").lower(),
        )
    except BrowserError as exc:
        sys.stderr.write(f"stand-in browser: {' '.join(str(exc).split())}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, non-zero, whatever went wrong
        sys.stderr.write(f"stand-in browser: {type(exc).__name__}: {' '.join(str(exc).split())}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The pages the loopback listener shows in the browser: self-contained (no external
resources), and everything they reflect is HTML-escaped.
"""

from __future__ import annotations

from html import escape

_STYLE = """
:root { color-scheme: light dark; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
       display: flex; min-height: 100vh; align-items: center; justify-content: center;
       background: #f4f5f7; color: #1f2328; }
main { max-width: 34rem; margin: 2rem; padding: 2rem 2.5rem; border-radius: 12px;
       background: #fff; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
h1 { font-size: 1.35rem; margin: 0 0 .75rem; display: flex; gap: .6rem; align-items: center; }
.mark { display: inline-flex; width: 1.8rem; height: 1.8rem; border-radius: 50%;
        align-items: center; justify-content: center; color: #fff; font-size: 1.1rem; }
.ok .mark { background: #1a7f37; } .bad .mark { background: #cf222e; }
p { margin: .5rem 0; } .small { color: #59636e; font-size: .9rem; }
code { font: .9rem ui-monospace, SFMono-Regular, Menlo, monospace; background: #f0f1f3;
       padding: .1rem .3rem; border-radius: 4px; overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  body { background: #0d1117; color: #e6edf3; } main { background: #161b22; box-shadow: none; }
  .small { color: #9198a1; } code { background: #262c36; }
}
"""

# The listener sends this with every page: nothing may load from elsewhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _page(title: str, body: str, kind: str, head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style>{head}</head>"
        f"<body><main class=\"{kind}\">{body}</main></body></html>\n"
    )


def success_page(detail: str | None = None) -> str:
    """Signed in: close the tab and go back to the terminal. `detail` is shown escaped."""
    extra = f"<p id=\"detail\">{escape(detail)}</p>" if detail else ""
    return _page(
        "Signed in - oauth2",
        "<h1><span class=\"mark\" aria-hidden=\"true\">&#10003;</span>You are signed in</h1>"
        f"{extra}<p>You can close this tab and return to the terminal.</p>"
        "<p class=\"small\">oauth2 command-line client</p>",
        "ok",
    )


def signed_out_page() -> str:
    """RP-initiated logout came back: the session at the server has ended."""
    return _page(
        "Signed out - oauth2",
        "<h1><span class=\"mark\" aria-hidden=\"true\">&#10003;</span>You are signed out</h1>"
        "<p>The server ended your session. You can close this tab and return to the terminal.</p>"
        "<p class=\"small\">oauth2 command-line client</p>",
        "ok",
    )


def error_page(error: str, description: str | None = None, uri: str | None = None) -> str:
    """The sign-in failed: the error (and its description) escaped; the terminal says the rest."""
    parts = [
        "<h1><span class=\"mark\" aria-hidden=\"true\">&#10007;</span>Sign-in failed</h1>",
        f"<p>The server answered <code id=\"error\">{escape(error)}</code>.</p>",
    ]
    if description:
        parts.append(f"<p id=\"description\">{escape(description)}</p>")
    if uri:
        parts.append(f"<p class=\"small\">More: <code id=\"error-uri\">{escape(uri)}</code></p>")
    parts.append("<p>You can close this tab; the terminal says what to do next.</p>")
    return _page("Sign-in failed - oauth2", "".join(parts), "bad")


def problem_page(status: int, message: str) -> str:
    """For requests the listener ignores (wrong path, wrong state): they do not end the login."""
    return _page(
        f"{status} - oauth2",
        f"<h1><span class=\"mark\" aria-hidden=\"true\">!</span>{escape(message)}</h1>"
        "<p class=\"small\">This page was not the answer the oauth2 command is waiting for; "
        "it keeps waiting.</p>",
        "bad",
    )


def fragment_page(script_nonce: str) -> str:
    """Implicit grant: the token is in the URL fragment, which browsers never send to a server.

    The script posts the fragment to this same origin and path, removes it from the
    address bar and history, and shows the page the listener answers with.
    """
    script = """
document.addEventListener("DOMContentLoaded", function () {
  var data = location.hash.replace(/^#/, "");
  history.replaceState(null, "", location.pathname);
  fetch(location.pathname, {
    method: "POST", cache: "no-store", credentials: "omit",
    headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: data
  }).then(function (r) { return r.text(); }).then(function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
  }).catch(function () {
    document.getElementById("status").textContent = "Could not reach the oauth2 command; is it still running?";
  });
});
"""
    head = f"<script nonce=\"{escape(script_nonce)}\">{script}</script>"
    body = ("<h1>Completing sign-in&hellip;</h1><p id=\"status\">Handing the response to the oauth2 command.</p>"
            "<noscript><p>This step needs JavaScript: the token is in the address bar's fragment, which only "
            "a script on this page can pass on.</p></noscript>")
    return _page("Completing sign-in - oauth2", body, "ok", head)


def fragment_csp(script_nonce: str) -> str:
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{script_nonce}'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

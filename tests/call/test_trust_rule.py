"""Issue #25 rows 1 and 2: which token goes where (README "Security"), through the real command.

A recording server logs the request line and the Authorization header of every request; each
test says what the person sees (exit code, the one stderr line, stdout) and what was (not) sent.
Where a profile can be read two ways (the lean view, flows/call/call_profile.py, or the full
ClientSettings: `insecure = false` is a key only the full read takes), both are run.
"""

from __future__ import annotations

import pytest

from tests.call.conftest import fake_tokens, oauth2, store
from tests.support.loopback_http import LoopbackServer, QuietHandler


class Recorder(LoopbackServer):
    """Logs (path as sent, Authorization); /open/... answers 200 to anyone, the rest 401 without a token."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str | None]] = []
        recorder = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                auth = self.headers.get("Authorization")
                recorder.log.append((self.path, auth))
                if self.path.partition("?")[0].endswith("/hop"):
                    return self.reply(302, b"", "text/plain", [("Location", self.path.partition("?to=")[2])])
                if auth is None and not self.path.startswith("/open"):
                    return self.reply(401, b'{"error":"unauthorized"}', "application/json",
                                      [("WWW-Authenticate", 'Bearer realm="r"')])
                return self.reply(200, b'{"ok":true}', "application/json")

            do_GET = do_POST = _handle

        super().__init__(Handler)

    def tokens_sent(self) -> list[str | None]:
        return [auth for _, auth in self.log]


@pytest.fixture
def recorder():
    with Recorder() as server:
        yield server


READS = {"lean": {}, "full": {"insecure": False}}


def work(base: str | None = None, read: str = "lean", **values) -> None:
    """`profile add work` as a person types it (the default, no urls), then its stored token."""
    args = ["profile", "add", "work", "--client-id", "c", "--token-url", "https://id.example/token"]
    result = oauth2(*args, *(["--url", base] if base else []))
    assert result.code == 0, result
    s = store()
    if READS[read] or values:
        s.save_profile("work", {**READS[read], **values})
    s.save_tokens("work", fake_tokens("work-token"))


@pytest.mark.parametrize("read", READS)
def test_the_default_profile_does_not_send_its_token_to_an_unclaimed_url(recorder, read):
    work(read=read)
    result = oauth2("call", recorder.url("/open/x"))
    assert (result.code, result.stdout) == (0, b'{"ok":true}')
    assert result.stderr.splitlines() == [  # a configuration from before the rule learns why, in one line
        f"oauth2: note: sent without a token: no profile's urls claim {recorder.url('/open/x')}, and the default "
        "profile 'work' is not sent to any URL; `-p work` sends it, `oauth2 profile set work url URL` ties it to its API"]
    assert recorder.log == [("/open/x", None)]


@pytest.mark.parametrize("read", READS)
def test_a_401_without_resource_metadata_names_the_profiles_and_how_to_choose(recorder, read):
    work(read=read)
    result = oauth2("call", recorder.url("/api/x"))
    assert result.code == 1, result
    assert result.stderr.splitlines() == [
        f"oauth2: error: {recorder.url('/api/x')} answered 401 without a token, and no profile's urls claim it "
        "(profiles: work); send a profile's token with `-p NAME`, or tie a profile to it with "
        "`oauth2 profile set NAME url URL`"]
    # the request, then zero set-up's look for resource metadata (RFC 9728 §3), none with a token
    assert recorder.log[0] == ("/api/x", None) and set(recorder.tokens_sent()) == {None}
    assert result.stdout == b""


@pytest.mark.parametrize("read", READS)
def test_dash_p_on_a_profile_without_urls_sends_and_says_how_to_add_them(recorder, read):
    work(read=read)
    result = oauth2("call", "-L", "-p", "work", recorder.url("/hop?to=/api/y"))
    assert result.code == 0, result
    assert result.stderr.splitlines() == [
        "oauth2: note: profile 'work' has no urls, so its token goes wherever -p sends it; tie it to its API "
        "with `oauth2 profile set work url URL`"]
    assert recorder.log == [("/hop?to=/api/y", "Bearer work-token"), ("/api/y", "Bearer work-token")]


def test_a_claimed_url_gets_the_token_without_dash_p(recorder):
    work(recorder.url("/api/"))
    result = oauth2("call", recorder.url("/api/items"))
    assert (result.code, result.stderr) == (0, ""), result
    assert recorder.log == [("/api/items", "Bearer work-token")]


ESCAPES = {
    "dot-segments": "/api/../admin",
    "escaped-dots": "/api/%2e%2e/admin",
    "escaped-dots-upper": "/api/%2E%2E/admin",
    "dot-then-escaped-dot": "/api/.%2e/admin",
}


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("path", ESCAPES.values(), ids=ESCAPES.keys())
def test_dot_segments_leave_a_path_scoped_profile_and_the_normalized_request_is_sent(recorder, read, path):
    work(recorder.url("/api/"), read=read)
    result = oauth2("call", recorder.url(path))
    assert result.code == 1, result  # /admin: no profile claims it, and it wants a token
    assert recorder.log[0] == ("/admin", None) and set(recorder.tokens_sent()) == {None}
    del recorder.log[:]
    refused = oauth2("call", "-p", "work", recorder.url(path))
    assert refused.code == 1, refused
    assert refused.stderr.splitlines() == [
        f"oauth2: error: the token of profile 'work' may only go to {recorder.url('/api/')}; not to "
        f"{recorder.url('/admin')}; add the URL with `oauth2 profile set work url URL`, or choose another "
        "profile with -p"]
    assert recorder.log == []  # nothing was sent


@pytest.mark.parametrize("read", READS)
def test_an_escaped_slash_is_compared_decoded_and_sent_as_written(recorder, read):
    work(recorder.url("/api/"), read=read)
    result = oauth2("call", recorder.url("/api%2f..%2fadmin"))
    assert result.code == 1, result
    assert recorder.log[0] == ("/api%2F..%2Fadmin", None) and set(recorder.tokens_sent()) == {None}


def test_scheme_host_case_and_the_default_port_are_normalized(recorder):
    base = recorder.url("/api/")
    work(base.replace("http://127.0.0.1", "HTTP://127.0.0.1"))
    result = oauth2("call", base.replace("http://", "hTTp://") + "./v1/../items")
    assert result.code == 0, result
    assert recorder.log == [("/api/items", "Bearer work-token")]


@pytest.mark.parametrize("read", READS)
def test_a_redirect_out_of_the_urls_goes_without_the_token(recorder, read):
    work(recorder.url("/api/"), read=read)
    result = oauth2("call", "-L", recorder.url("/api/../api/hop?to=/api/%2e%2e/open/z"))
    assert result.code == 0, result
    assert recorder.log == [("/api/hop?to=/api/%2e%2e/open/z", "Bearer work-token"), ("/open/z", None)]


@pytest.mark.parametrize("url", ["http://h/a\nb", "http://h:99999/", "http:///x", "https://h/a b"],
                         ids=["newline", "bad-port", "no-host", "space"])
def test_a_url_that_cannot_be_normalized_is_one_usage_line(url):
    result = oauth2("call", url)
    assert result.code == 2, result
    assert result.stderr.splitlines()[-1].startswith(f"Error: invalid URL {url!r}: "), result


def test_profile_add_says_when_a_profile_has_no_urls():
    result = oauth2("profile", "add", "bare", "--client-id", "c", "--token-url", "https://id.example/token")
    assert result.code == 0, result
    assert ("oauth2: note: profile 'bare' has no urls: `oauth2 call` sends its token only with -p bare; "
            "tie it to its API with `oauth2 profile set bare url URL`") in result.stderr.splitlines()


def test_profile_add_fills_urls_from_the_preset():
    result = oauth2("profile", "add", "gh", "--preset", "github", "--client-id", "c")
    assert result.code == 0, result
    assert "has no urls" not in result.stderr
    assert store().profile("gh")["urls"] == ["https://api.github.com"]


def test_insecure_true_in_a_profile_warns_on_every_run(recorder):
    """Row 6: `insecure = true` turns certificate checks off, and says so each time, as --insecure does."""
    work(recorder.url("/api/"), insecure=True)
    for _ in range(2):
        result = oauth2("call", recorder.url("/api/x"))
        assert result.code == 0, result
        assert result.stderr.splitlines() == [
            "oauth2: warning: profile 'work' sets insecure = true: the server's TLS certificate is not checked"]

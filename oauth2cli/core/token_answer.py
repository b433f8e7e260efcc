"""Reading a token endpoint's answer by the label it came with, as real servers send them.

RFC 6749 §5.1 says application/json. Servers also send:
- `application/x-www-form-urlencoded` (GitHub without `Accept: application/json`, older
  Facebook and Stack Exchange), which golang.org/x/oauth2 (and so oauth2c, oauth2l,
  kubelogin) reads by its Content-Type;
- the same form labelled `text/plain`;
- JSON labelled `text/html` or `text/plain`.
Each is read only when it parses completely as what it claims, with a form accepted only when
it carries access_token (or, labelled as a form, an RFC 6749 §5.2 error); everything else, the
size cap and the meaning of an error object stay exactly as for JSON.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from oauth2cli.core.http import FORM, HttpResponse

_TEXT_LABELS = ("text/plain", "text/html")


def _text(response: HttpResponse) -> str | None:
    if response.truncated:
        return None
    try:
        return response.body.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None


def form_object(response: HttpResponse) -> dict[str, str] | None:
    """A form-encoded answer as an object, when the label allows one and it parses strictly."""
    ctype = response.content_type
    if ctype not in (FORM, "text/plain"):
        return None
    text = _text(response)
    if not text or text.startswith(("{", "[")):
        return None
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True, max_num_fields=100)
    except ValueError:
        return None
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):  # RFC 6749: no parameter twice
        return None
    data = dict(pairs)
    if "access_token" in data or (ctype == FORM and "error" in data):
        return data
    return None


def mislabelled_json(response: HttpResponse) -> dict[str, Any] | None:
    """A JSON object labelled text/html or text/plain (and nothing but that object)."""
    if response.content_type not in _TEXT_LABELS:
        return None
    text = _text(response)
    if not text or not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def read_by_label(response: HttpResponse) -> tuple[dict[str, Any], str] | None:
    """The answer's object and a note saying how it was read, or None to read it as JSON."""
    if response.content_type in ("application/json", ""):
        return None
    form = form_object(response)
    if form is not None:
        return form, f"read the {response.content_type} answer as a form (RFC 6749 §5.1 says application/json)"
    data = mislabelled_json(response)
    if data is not None:
        return data, f"the answer is JSON labelled {response.content_type}; read it as JSON"
    return None


def label_note(response: HttpResponse) -> str | None:
    found = read_by_label(response)
    return None if found is None else found[1]

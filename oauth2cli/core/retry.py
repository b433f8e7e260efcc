"""When a token endpoint's answer asks to be tried again: 429 (RFC 6585 §4) or 503 (RFC 9110
§15.6.4) with Retry-After (RFC 9110 §10.2.3). Both say the request was not processed, so even
a code exchange (whose code would be spent by a processed request) may be sent once more."""

from __future__ import annotations


RETRY_STATUSES = (429, 503)
MAX_RETRY_AFTER = 10.0


def retry_after(status: int, value: str | None, now: float, limit: float = MAX_RETRY_AFTER) -> float | None:
    """Seconds to wait before the one retry, or None when this answer is final.

    Retry-After is delay-seconds or an HTTP-date; a missing, malformed or longer delay than
    `limit` means no retry (the answer is reported as it is).
    """
    if status not in RETRY_STATUSES or value is None:
        return None
    value = value.strip()
    if value.isdigit():
        delay = float(int(value))
    else:
        from email.utils import parsedate_to_datetime  # here: email and datetime only for an HTTP-date

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        delay = max(when.timestamp() - now, 0.0)
    return delay if delay <= limit else None

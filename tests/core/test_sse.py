"""core/sse: an event's id counts once the event is whole; a stream's end drops what it left unfinished."""

from oauth2cli.core.sse import EventParser


def test_an_event_cut_after_its_id_line_leaves_last_id_at_the_event_before():
    parser = EventParser()
    events = parser.feed(b"id: 1\r\nretry: 100\r\ndata: \r\n\r\nid: 2\r\nevent: message\r\ndata: {\"a\"")
    assert [(e.id, e.data) for e in events] == [("1", "")]
    parser.end()  # the connection broke here
    assert parser.last_id == "1" and parser.retry == 100
    # the resumed stream starts afresh: nothing of the cut event is glued to it
    events = parser.feed(b"id: 2\ndata: {\"a\": 1}\n\n")
    assert [(e.name, e.id, e.data) for e in events] == [("message", "2", "{\"a\": 1}")]
    assert parser.last_id == "2"


def test_an_id_without_data_still_counts_at_its_blank_line():
    parser = EventParser()
    assert parser.feed(b"id: 7\n") == [] and parser.last_id is None
    assert parser.feed(b"\n") == [] and parser.last_id == "7"

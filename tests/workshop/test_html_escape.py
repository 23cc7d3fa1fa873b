"""The page's escaping: its fast path for plain text must escape exactly as the standard
library does after control characters are made visible."""

from __future__ import annotations

from html import escape as html_escape

from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.visible import visible
from align_audit.workshop.html import escape


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab_.1 &<>\"'\x1b\x7f\n\t\u202eé漢"), max_size=16))
def test_escape_is_the_standard_librarys_of_the_visible_text(text: str) -> None:
    assert escape(text) == html_escape(visible(text), quote=True)


def test_plain_ids_are_returned_as_they_are() -> None:
    text = "customer_4.goal_0"
    assert escape(text) is text
    assert escape("R&D <team>") == "R&amp;D &lt;team&gt;"

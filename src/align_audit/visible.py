"""Text from declarations made safe to show: control characters and line breaks escaped.

Owners, names and invalid ids come from the user's files and reach terminals, CI logs and
workflow-command lines. An ESC sequence could rewrite the terminal, a line break could start a
GitHub ``::`` command, a bidi override could hide text; shown escaped (``\\x1b``, ``\\n``), they
are harmless and still readable.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, line break and bidi control escaped."""
    if (text.isascii() and text.isprintable()) or _UNSAFE.search(text) is None:
        return text  # printable ASCII, the usual text, is told apart fastest
    return _UNSAFE.sub(_escape, text)


# Characters XML 1.0 cannot carry at all, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` safe for an XML 1.0 document (GraphML, JUnit, SVG): the characters XML cannot
    carry become ``\\xNN`` escapes; everything else is left for the XML writer to escape."""
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(_escape, text)

"""The banner of a workshop output drawn from input with errors (SPEC §6.1): the workshop goes
on, but nobody mistakes the picture for a complete one."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from align_audit.findings import Finding

FORMAT_KIND = {
    "text": "text",
    "markdown": "markdown",
    "html": "html",
    "json": "json",
    "mermaid": "mermaid",
    "dot": "dot",
    "graphml": "xml",
}
"""Output format → how the banner is written into it."""


def sentence(count: int) -> str:
    """``the picture is incomplete: N input errors``."""
    noun = "input error" if count == 1 else "input errors"
    return f"the picture is incomplete: {count} {noun}"


def _where(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.path}:{loc.line}:{loc.column}: {finding.code} {finding.message}"


def mark(text: str | Iterable[str], fmt: str, errors: Sequence[Finding]) -> str | Iterable[str]:
    """``text`` (an output in format ``fmt``, or its pieces) with the banner for ``errors``
    added on top."""
    if not errors:
        return text
    if not isinstance(text, str):
        text = "".join(text)
    what = sentence(len(errors))
    kind = FORMAT_KIND.get(fmt, "text")
    if kind == "text":
        return f"! {what[0].upper()}{what[1:]} (listed on standard error).\n\n{text}"
    if kind == "markdown":
        items = "".join("> - `" + _where(f).replace("`", "'") + "`\n" for f in errors)
        return f"> [!WARNING]\n> **{what[0].upper()}{what[1:]}.**\n>\n{items}\n{text}"
    if kind == "html":
        items = "".join(f"<li><code>{html.escape(_where(f))}</code></li>" for f in errors)
        banner = (
            '<div class="incomplete" role="alert" style="border:3px solid #b71c1c;'
            "background:#fdecea;color:#7f0000;padding:.8em 1.2em;margin:0 0 1.2em;"
            f'font-size:1.05em"><strong>⚠ {html.escape(what[0].upper() + what[1:])}.</strong>'
            f'<ul style="margin:.4em 0 0">{items}</ul></div>'
        )
        head, sep, rest = text.partition("<body>")
        return f"{head}{sep}\n{banner}{rest}" if sep else banner + text
    if kind == "json":
        head, sep, rest = text.partition("{\n")
        return f'{head}{sep}  "input_errors": {len(errors)},\n{rest}' if sep else text
    if kind == "mermaid":
        first, sep, rest = text.partition("\n")
        note = (
            f'  incomplete_banner["⚠ {what}"]\n'
            "  style incomplete_banner fill:#fdecea,stroke:#b71c1c,color:#7f0000\n"
        )
        return f"{first}{sep}  %% {what}\n{note}{rest}"
    if kind == "dot":
        first, sep, rest = text.partition("{\n")
        label = what.replace('"', "'")
        return (
            f'{first}{sep}  label="⚠ {label}";\n  labelloc=t;\n  fontcolor="#b71c1c";\n{rest}'
            if sep
            else text
        )
    head, sep, rest = text.partition("?>\n")  # xml: a comment after the declaration
    return f"{head}{sep}<!-- {what} -->\n{rest}" if sep else f"<!-- {what} -->\n{text}"

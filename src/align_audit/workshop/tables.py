"""Tables and paragraphs in the three document formats, for every workshop output: plain text
(rich tables, fitted to a terminal or wide and stable when piped) and markdown pipe tables."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from align_audit.console import text_console
from align_audit.reporters.markdown import escape_markdown
from align_audit.visible import visible

_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md(text: str) -> str:
    """Text safe in a pipe-table cell or a paragraph: markdown and HTML specials escaped,
    whitespace (newlines included) collapsed. An underscore inside a word (``fast_access``)
    cannot start emphasis, so ids stay readable; any other underscore is escaped."""
    flat = visible(" ".join(text.split()))
    escaped = escape_markdown(flat)
    return _LONE_UNDERSCORE.sub(r"\\_", escaped)


def md_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Iterable[int] = (),
    empty: str = "",
) -> str:
    """A pipe table (``empty`` when there are no rows)."""
    if not rows:
        return empty + "\n"
    right = set(right)
    head = "| " + " | ".join(md(h) for h in headers) + " |\n"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|\n"
    body = "".join("| " + " | ".join(md(c) for c in row) + " |\n" for row in rows)
    return head + rule + body


_PRINTABLE_ASCII = re.compile("[\x20-\x7e]+")


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes, as rich counts them (``rich.cells.cell_len``), without its
    per-character loop over the printable ASCII in it, one cell each (a witness path of ids
    has a few arrows: rich measured each of its characters)."""
    if text.isascii() and text.isprintable():  # most cells: one cell a character
        return len(text)
    from rich.cells import cell_len

    rest = _PRINTABLE_ASCII.sub("", text)  # not empty: the text is not all printable ASCII
    if "\u200d" in rest or "\ufe0f" in rest:  # joiners: widths depend on the neighbours
        return cell_len(text)
    return len(text) - len(rest) + cell_len(rest)


def _plain(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Whether no cell begins or ends with white space (rich trims it, in ways not copied)."""
    return all(cell == cell.strip() for row in (headers, *rows) for cell in row)


def _longest_words(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's longest word: the narrowest it gets without cutting one."""
    return [
        max(cell_width(word) for cell in column for word in visible(cell).split() or [""])
        for column in zip(headers, *rows, strict=True)
    ]


class TextWriter:
    """A plain-text document: plain and stable when ``width`` is None (piped, a file); else
    fitted to that many columns: cells wrap at spaces, no column is narrower than its longest
    word, and a table that cannot be that wide is printed as a list."""

    def __init__(self, width: int | None) -> None:
        self.width = width
        self.buffer = io.StringIO()
        self.console = text_console(self.buffer, width=width)

    def line(self, text: str = "") -> None:
        """One line (or an empty one), printed as is."""
        if self.width is None:  # piped: the text itself, never wrapped (rich costs 0.4 ms a line)
            self.buffer.write(visible(text) + "\n")
            return
        from rich.text import Text

        self.console.print(Text(visible(text)))

    def title(self, text: str) -> None:
        """The document's title, underlined with ━."""
        self.line(text)
        self.line("━" * min(len(text), self.width or len(text)))

    def heading(self, text: str) -> None:
        """A section heading after an empty line, underlined with ═."""
        self.line()
        self.line(text)
        self.line("═" * min(len(text), self.width or len(text)))

    def para(self, text: str) -> None:
        """A paragraph; nothing for an empty text."""
        if text:
            self.line(text)

    def grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        right: Iterable[int] = (),
        empty: str = "",
    ) -> None:
        """A table (``empty`` when there are no rows)."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        if not rows:
            self.para(empty)
            return
        if self.width is None and _plain(headers, rows):
            self._plain_grid(headers, rows, set(right))
            return
        words = _longest_words(headers, rows) if self.width else []
        # Three columns between two: a table too wide for every word whole becomes a list.
        if self.width and sum(words) + 3 * (len(words) - 1) > self.width:
            self._records(headers, rows)
            return
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        right = set(right)
        for i, header in enumerate(headers):
            table.add_column(
                header,
                justify="right" if i in right else "left",
                no_wrap=self.width is None,
                min_width=words[i] if self.width else None,
                overflow="fold",
            )
        for row in rows:
            table.add_row(*(Text(visible(cell)) for cell in row))
        self.console.print(table)

    def _plain_grid(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]
    ) -> None:
        """The table rich draws when piped (SIMPLE_HEAD, no edges, nothing wrapped), written
        directly: rich lays out each cell of a large report at ~0.1 ms."""
        table = [list(headers), *([visible(cell) for cell in row] for row in rows)]
        sizes = [[cell_width(cell) for cell in row] for row in table]
        widths = [max(row[i] for row in sizes) for i in range(len(headers))]

        def row_text(cells: list[str], lengths: list[int]) -> str:
            padded = (
                " " * (w - n) + c if i in right else c + " " * (w - n)
                for i, (c, n, w) in enumerate(zip(cells, lengths, widths, strict=True))
            )
            return "   ".join(padded)

        lines = [row_text(table[0], sizes[0]), "─" * (sum(widths) + 3 * (len(widths) - 1))]
        lines += [
            row_text(cells, lengths) for cells, lengths in zip(table[1:], sizes[1:], strict=True)
        ]
        self.buffer.write("\n".join(lines) + "\n")

    def _records(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table too wide for the terminal, as a list: each row's first cell, then its other
        cells under it, each after its header (a table would cut ids in the middle)."""
        from rich.padding import Padding
        from rich.text import Text

        names = [" ".join(header.split()) for header in headers]
        for row in rows:
            self.console.print(Text(visible(row[0])))
            for name, cell in zip(names[1:], row[1:], strict=True):
                if cell.strip():
                    line = Text(f"{name}: {visible(cell)}")
                    self.console.print(Padding(line, (0, 0, 0, 4), expand=False))

    def text(self) -> str:
        """The document, without trailing spaces."""
        return self.take() or "\n"

    def take(self) -> str:
        """What was written since the last take, without trailing spaces, and forget it: a long
        document streams in pieces, each of whole lines."""
        value = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return "".join([line.rstrip() + "\n" for line in value.splitlines()])

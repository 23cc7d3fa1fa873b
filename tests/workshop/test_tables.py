"""The piped text table is written directly; it must be the very table rich draws."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.console import text_console
from align_audit.visible import visible
from align_audit.workshop.tables import TextWriter, cell_width

CELL = st.text(alphabet=st.sampled_from("abc xyz_.→●○—é漢字🙂\t\n"), min_size=0, max_size=12)


def _rich(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, header in enumerate(headers):
        table.add_column(
            header, justify="right" if i in right else "left", no_wrap=True, overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(visible(cell)) for cell in row))
    text_console(buffer).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@settings(max_examples=150, deadline=None)
@given(
    columns=st.integers(1, 5),
    data=st.data(),
)
def test_plain_grid_is_rich_s_table(columns: int, data: st.DataObject) -> None:
    headers = data.draw(
        st.lists(
            st.text(alphabet="abcdef ", min_size=1, max_size=10).map(str.strip).filter(bool),
            min_size=columns,
            max_size=columns,
        )
    )
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=columns, max_size=columns), min_size=1, max_size=6)
    )
    right = set(data.draw(st.lists(st.integers(0, columns - 1), max_size=columns)))
    out = TextWriter(None)
    out.grid(headers, rows, right)
    assert out.text() == _rich(headers, rows, right)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("ab 1#*~\x1b\x7f→●—é漢🙂\u200d\ufe0f\u0301\u200b"), max_size=16
    )
)
def test_cell_width_is_rich_s(text: str) -> None:
    from rich.cells import cell_len

    assert cell_width(text) == cell_len(text)
    assert cell_width(visible(text)) == cell_len(visible(text))

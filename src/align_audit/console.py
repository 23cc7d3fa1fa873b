"""The one rich console factory of every text output (findings table, impact, report)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def text_console(
    buffer: IO[str], *, color: bool = False, width: int | None = None, wide: int = 1000
) -> Console:
    """A console writing into ``buffer``: colour only when ``color``; ``width`` columns (a
    terminal), else ``wide`` (a pipe or a file: tables never wrap). Markup, emoji codes and
    highlighting stay off: the text comes from declarations and is shown as written."""
    from rich.console import Console

    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or wide,
        highlight=False,
        emoji=False,
        markup=False,
    )

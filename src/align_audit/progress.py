"""Progress of a long audit, shown on a terminal.

The engine reports what it does through :class:`Progress` (files read, then stages, then
rules); :class:`TerminalProgress` draws it on stderr with rich, and only for inputs big enough
to take a moment, so that a small audit never imports rich. The command line owns the display
(``with for_terminal() as progress:``), so that it can add stages of its own (writing a report)
and clear it before printing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

SHOW_FROM_BYTES = 1_000_000
"""Inputs from this size on (about 8,000 declarations, a third of a second) show progress."""


class Progress(Protocol):
    """What the audit tells a progress display."""

    def begin(self, files: int, size: int) -> None:
        """The audit reads ``files`` files of ``size`` bytes in all."""

    def stage(self, label: str, steps: int = 0) -> None:
        """A new stage starts; ``steps`` is how many :meth:`step` calls it makes (0: unknown)."""

    def step(self) -> None:
        """One step of the stage is done (a file read, a rule checked)."""


class Display(Progress, Protocol):
    """A progress display the command line owns: cleared when its ``with`` block ends."""

    def __enter__(self) -> Display: ...

    def __exit__(self, *exc: object) -> None: ...


class Silent:
    """No display: scripts, CI, pipes and tests."""

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def begin(self, files: int, size: int) -> None:
        pass

    def stage(self, label: str, steps: int = 0) -> None:
        pass

    def step(self) -> None:
        pass


class TerminalProgress:
    """A transient bar on stderr, from :data:`SHOW_FROM_BYTES` of input on."""

    def __init__(self, min_bytes: int = SHOW_FROM_BYTES, console: Any = None) -> None:
        self.min_bytes = min_bytes
        self.console = console
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._steps = 0
        self._done = 0

    def begin(self, files: int, size: int) -> None:
        if size < self.min_bytes:
            return
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            console=self.console or Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self.stage(f"reading {files} file{'s' * (files != 1)}", files)

    def stage(self, label: str, steps: int = 0) -> None:
        bar = self._bar
        if bar is None:
            return
        if self._task is not None:
            bar.remove_task(self._task)
        self._steps, self._done = steps, 0
        # No total: an indeterminate (pulsing) bar for stages that cannot count their steps.
        self._task = bar.add_task(label, total=steps or None, count=self._count())
        bar.refresh()

    def step(self) -> None:
        if self._bar is not None and self._task is not None:
            self._done += 1
            self._bar.update(self._task, advance=1, count=self._count())

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = self._task = None

    def _count(self) -> str:
        return f"{self._done}/{self._steps}" if self._steps else ""


def for_terminal() -> Display:
    """A terminal display when stderr is one, else nothing."""
    return TerminalProgress() if sys.stderr.isatty() else Silent()

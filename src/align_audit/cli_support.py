"""The command line's plumbing: one-line usage errors, help in the user's words, shared
options, output destinations, and the audit behind every workshop command.

``cli.py`` holds the commands only; everything they share lives here.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from align_audit import formats
from align_audit.errors import AuditError
from align_audit.progress import Progress

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.settings import Settings


class OneLineErrors(TyperGroup):
    """Usage errors (unknown option, bad value, missing argument) in one line, exit 2 (SPEC §4);
    click's default is a usage block or a rich panel over several lines."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def run() -> Any:
            return super(OneLineErrors, self).main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )

        if not standalone_mode:
            return run()
        try:
            code = run()
        except typer.Abort:
            sys.stderr.write("align-audit: aborted\n")
            sys.exit(1)
        except Exception as exc:
            format_message = getattr(exc, "format_message", None)
            exit_code = getattr(exc, "exit_code", None)
            if not callable(format_message) or not isinstance(exit_code, int):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `align-audit`: show the help
                sys.stderr.write(str(format_message()).rstrip("\n") + "\n")
                sys.exit(exit_code)
            message = " ".join(str(format_message()).split()).rstrip(".")
            message = message[:1].lower() + message[1:]
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                message += f" (see '{ctx.command_path} --help')"
            sys.stderr.write(f"align-audit: error: {message}\n")
            sys.exit(exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def plain_argument_help() -> None:
    """Help in the user's words: typer shows an argument as ``{PATH...}...`` in the usage line
    and with its Python type (``<list[str]>``) beside it; show the metavar alone."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: ""  # type: ignore[method-assign]
    if hasattr(TyperArgument, "_usage_display_name"):

        def usage_name(self: TyperArgument) -> str:
            name = str(self.metavar or self.display_name_raw)
            return name if self.required else f"[{name.strip('[]')}]"

        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


T = TypeVar("T")

EXITS_HARD = False
"""Set by ``__main__``, whose process ends with ``os._exit`` once the command returns."""
_KEPT: list[object] = []


def keep_until_exit(result: T) -> T:
    """``result``, never freed when the process ends with ``os._exit`` (see ``__main__``):
    freeing a 100k-declaration audit's millions of objects one by one when its command
    returns costs 5% of a check, for memory nobody uses again. In a process that goes on (the
    tests' CliRunner), nothing is kept."""
    if EXITS_HARD:
        _KEPT.append(result)
    return result


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"align-audit: error: {message}\n")
    raise typer.Exit(2)


def guard(debug: bool, run: Callable[[], T]) -> T:
    """Run a command body: exit 2 with one line for any error, a traceback only with --debug."""
    try:
        return run()
    except (typer.Exit, typer.TyperException, KeyboardInterrupt):
        raise
    except AuditError as exc:
        if debug:
            raise
        fail(str(exc))
    except Exception as exc:
        if debug:
            raise
        fail(f"internal error: {exc.__class__.__name__}: {exc} (run with --debug for details)")


def split(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def parse_save(value: str) -> tuple[str, Path]:
    """``FORMAT=FILE`` of --save."""
    name, sep, path = value.partition("=")
    if not sep or not path:
        raise AuditError(f"--save: expected FORMAT=FILE, got {value!r}")
    formats.check("check", name.strip(), "--save")
    return name.strip(), Path(path)


def color_wanted(no_color: bool) -> bool:
    return not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


PathsArg = Annotated[
    list[str],
    typer.Argument(metavar="PATH...", help="YAML files or directories; - reads standard input."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (- for standard output)."),
]
DefaultPathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATH...",
        help="YAML files or directories (default: .); - reads standard input.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        metavar="FILE",
        help="Configuration file (default: nearest align-audit.toml, .align-audit.toml or "
        "pyproject.toml [tool.align-audit]).",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(metavar="DATE", help="Audit date YYYY-MM-DD (stale tradeoffs, expired waivers)."),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="Never use colour.")]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        metavar="RULES", help="Rules to run: codes, prefixes (AA1) or names; comma-separated."
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option(metavar="RULES", help="Rules to skip: codes, prefixes or names; comma-separated."),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        metavar="LEVEL",
        help="Lowest severity that fails the run (exit 1): error|warning|info|never. "
        "[default: error]",
    ),
]
ExitZeroOpt = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run.")
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Leave out findings in this baseline file."),
]


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="FILE",
        help="Observed metric data (CSV, Parquet, DuckDB; repeatable), read with the "
        "align-audit[data] extra.",
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        metavar="GLOBS",
        help="Skip these files and folders when searching a directory (replaces the default: "
        "hidden ones).",
    ),
]
ExtendExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(metavar="GLOBS", help="Skip these too, in addition to --exclude."),
]


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Write ``text`` (or its pieces, as they come) to ``output``, or to standard output when
    it is None or ``-``."""
    from align_audit.outputs import is_stdout, write_atomic, write_text

    if is_stdout(output):
        try:
            write_text(sys.stdout, text)
            sys.stdout.flush()
        except BrokenPipeError:  # `| head`: the reader has what it wanted
            return
        except OSError as exc:
            raise AuditError(f"cannot write to standard output: {exc.strerror}") from None
    else:
        assert output is not None
        write_atomic(output, text)


def command_settings(
    config: Path | None,
    *,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str | None = None,
    today: str | None = None,
    exclude: list[str] | None = None,
    extend_exclude: list[str] | None = None,
    data: list[Path] | None = None,
    **others: Any,
) -> Settings:
    """The configuration file's settings with the command line's options on top (an option
    left out, None, keeps the file's value)."""
    from align_audit.settings import load_settings, parse_date, parse_fail_on

    return load_settings(config).with_options(
        select=split(select),
        ignore=split(ignore),
        fail_on=parse_fail_on(fail_on) if fail_on is not None else None,
        today=parse_date(today) if today is not None else None,
        exclude=split(exclude),
        extend_exclude=split(extend_exclude),
        data=tuple(data) if data else None,
        **others,
    )


@dataclass(frozen=True, slots=True)
class WorkshopOptions:
    """The options every workshop command shares with check."""

    config: Path | None = None
    today: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    baseline: Path | None = None
    data: list[Path] | None = None


def workshop_audit(
    paths: list[str],
    options: WorkshopOptions,
    progress: Progress,
    output: Path | None,
    rules: bool = True,
) -> AuditResult:
    """The audit behind a workshop output, with check's options that change which findings
    exist; the destination is checked first, so a bad one costs no audit. Without ``rules``,
    the input's own findings only (SPEC §6.1): for an output that shows no rule's finding."""
    from align_audit.baseline import read_baseline
    from align_audit.engine import apply_baseline, audit
    from align_audit.outputs import check_destinations

    check_destinations([("--output", output)])
    settings = command_settings(
        options.config,
        today=options.today,
        select=options.select,
        ignore=options.ignore,
        data=options.data,
        baseline=options.baseline,
    )
    result = keep_until_exit(audit(paths, settings, progress, rules=rules))
    if settings.baseline is not None:
        result = apply_baseline(result, read_baseline(settings.baseline))
    return result


def emit(text: str | Iterable[str], fmt: str, output: Path | None, result: AuditResult) -> int:
    """Write a workshop output; with input errors (SPEC §6.1), list them on standard error, put
    a banner in the output, and return exit code 1."""
    from align_audit.outputs import is_stdout, refuse_inputs
    from align_audit.reporters.text import plain_lines
    from align_audit.workshop.incomplete import mark

    if not is_stdout(output):
        refuse_inputs([output], result.files)
    errors = result.input_errors
    if errors:
        sys.stderr.write(plain_lines(errors))
    write_output(mark(text, fmt, errors), output)
    return 1 if errors else 0


def report_width(output: Path | None) -> int | None:
    """The terminal's width when the report goes to one, else None (plain, stable text)."""
    from align_audit.outputs import is_stdout

    return shutil.get_terminal_size().columns if is_stdout(output) and sys.stdout.isatty() else None


def terminated(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C does, so a half-written output file is removed."""
    raise SystemExit(128 + signum)

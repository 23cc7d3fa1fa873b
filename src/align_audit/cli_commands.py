"""The bodies of the longer commands, so that ``cli.py`` stays a list of options: what
``check`` does with an audit (baselines, ``--new-from-rev``, every output), and ``diff``."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from align_audit.cli_support import color_wanted, report_width, write_output

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.settings import Settings


def finish_check(
    result: AuditResult,
    paths: list[str],
    *,
    output: Path | None,
    output_format: str,
    extra_outputs: list[tuple[str, Path]],
    write_baseline: Path | None,
    statistics: bool,
    quiet: bool,
    no_color: bool,
    exit_zero: bool,
) -> int:
    """Baselines and ``--new-from-rev``, then the report and every ``--save``; the exit code."""
    from align_audit.baseline import read_baseline
    from align_audit.baseline import write_baseline as write_baseline_file
    from align_audit.engine import apply_baseline, apply_new_from
    from align_audit.outputs import is_stdout, refuse_inputs
    from align_audit.reporters import ReportOptions, get_reporter
    from align_audit.reporters.text import statistics_table

    settings = result.settings
    refuse_inputs([output, write_baseline, *(path for _, path in extra_outputs)], result.files)
    accepted_path = settings.baseline
    if write_baseline is not None:
        count = write_baseline_file(write_baseline, result.findings)
        sys.stderr.write(f"align-audit: wrote {count} findings to baseline {write_baseline}\n")
        accepted_path = write_baseline
    if accepted_path is not None:
        result = apply_baseline(result, read_baseline(accepted_path))
    if settings.new_from_rev is not None:
        from align_audit.diff import audit_at

        earlier, commit = audit_at(paths or ["."], settings, settings.new_from_rev)
        result = apply_new_from(result, earlier, settings.new_from_rev, commit)
    terminal = is_stdout(output) and sys.stdout.isatty()
    options = ReportOptions(
        terminal=terminal,
        color=terminal and color_wanted(no_color),
        quiet=quiet,
        width=shutil.get_terminal_size().columns if terminal else None,
        github=output_format == "text" and os.environ.get("GITHUB_ACTIONS") == "true",
        statistics=statistics,
    )
    write_output(get_reporter(output_format).stream(result, options), output)
    if statistics and output_format != "text":
        sys.stderr.write(statistics_table(result))
    plain = ReportOptions(quiet=quiet)
    for name, path in extra_outputs:
        write_output(get_reporter(name).stream(result, plain), path)
    return 0 if exit_zero else result.exit_code()


def run_diff(
    paths: list[str],
    settings: Settings,
    base: str,
    head: str | None,
    output_format: str,
    output: Path | None,
    no_color: bool,
    exit_zero: bool,
) -> int:
    """``align-audit diff``: both audits, compared, rendered; the exit code."""
    from align_audit import formats
    from align_audit.diff import alignment_diff
    from align_audit.engine import gc_paused
    from align_audit.errors import AuditError
    from align_audit.outputs import check_destinations

    if not base:
        raise AuditError("diff needs --base REV: the revision to compare with (e.g. main)")
    render = formats.load("diff", output_format)
    check_destinations([("--output", output)])
    # Two audits' objects stay alive to the end: a collection over them finds nothing.
    with gc_paused():
        from align_audit.progress import for_terminal

        with for_terminal() as progress:
            change = alignment_diff(paths, settings, base, head, progress)
        width = report_width(output) if output_format == "text" else None
        text = render(change, width is not None and color_wanted(no_color), width)
    write_output(text, output)
    return 0 if exit_zero else change.exit_code()

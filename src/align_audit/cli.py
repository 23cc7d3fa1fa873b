"""The command line: parse options, wire the parts together, choose the exit code.

Heavy modules are imported inside the commands so that ``--version`` and ``--help`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from align_audit import __version__, formats
from align_audit.cli_support import (
    BaselineOpt,
    ConfigOpt,
    DataOpt,
    DebugOpt,
    DefaultPathsArg,
    ExcludeOpt,
    ExitZeroOpt,
    ExtendExcludeOpt,
    FailOnOpt,
    IgnoreOpt,
    NoColorOpt,
    OneLineErrors,
    OutputOpt,
    PathsArg,
    SelectOpt,
    TodayOpt,
    WorkshopOptions,
    color_wanted,
    command_settings,
    emit,
    fail,
    guard,
    keep_until_exit,
    parse_save,
    plain_argument_help,
    report_width,
    terminated,
    workshop_audit,
)
from align_audit.progress import for_terminal

if TYPE_CHECKING:
    from align_audit.settings import Settings

plain_argument_help()

app = typer.Typer(
    name="align-audit",
    cls=OneLineErrors,
    help="Audit whether an organization's metrics and AI objectives serve the customers it "
    "claims to serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich for --help would double start-up time
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"align-audit {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """align-audit: customer focus, linted."""


@app.command()
def check(
    paths: DefaultPathsArg = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("check")),
    ] = "text",
    output: OutputOpt = None,
    save: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FORMAT=FILE",
            help="Also write FORMAT to FILE (repeatable), e.g. --save sarif=align.sarif.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Report only findings not in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Write the current findings to a baseline FILE (then report none)."
        ),
    ] = None,
    new_from_rev: Annotated[
        str | None,
        typer.Option(
            metavar="REV",
            help="Report only findings that do not occur in the same paths at git revision REV.",
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Show counts per rule instead of findings.")
    ] = False,
    fail_on: FailOnOpt = None,
    exit_zero: ExitZeroOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    config: ConfigOpt = None,
    exclude: ExcludeOpt = None,
    extend_exclude: ExtendExcludeOpt = None,
    data: DataOpt = None,
    today: TodayOpt = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Findings only, no summary.")
    ] = False,
    no_color: NoColorOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Audit declarations; exit 1 when findings reach --fail-on, 2 when the audit cannot run."""

    def run() -> int:
        from align_audit.cli_commands import finish_check
        from align_audit.engine import audit, unheeded_settings
        from align_audit.outputs import check_destinations

        formats.check("check", output_format)
        extra_outputs = [parse_save(value) for value in save or ()]
        check_destinations(
            [
                ("--output", output),
                *((f"--save {name}", path) for name, path in extra_outputs),
                *([("--write-baseline", write_baseline)] if write_baseline else []),
            ]
        )
        settings = command_settings(
            config,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            today=today,
            exclude=exclude,
            extend_exclude=extend_exclude,
            data=data,
            baseline=baseline,
            new_from_rev=new_from_rev,
        )
        for note in unheeded_settings(settings):
            sys.stderr.write(f"align-audit: warning: {note}\n")
        with for_terminal() as progress:
            result = keep_until_exit(audit(paths or ["."], settings, progress))
        return finish_check(
            result,
            paths or ["."],
            output=output,
            output_format=output_format,
            extra_outputs=extra_outputs,
            write_baseline=write_baseline,
            statistics=statistics,
            quiet=quiet,
            no_color=no_color,
            exit_zero=exit_zero,
        )

    raise typer.Exit(guard(debug, run))


@app.command()
def diff(
    paths: DefaultPathsArg = None,
    base: Annotated[
        str,
        typer.Option(metavar="REV", help="The git revision to compare with (main, origin/main)."),
    ] = "",
    head: Annotated[
        str | None,
        typer.Option(metavar="REV", help="The revision compared (default: the working tree)."),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("diff")),
    ] = "text",
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    exit_zero: ExitZeroOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    config: ConfigOpt = None,
    exclude: ExcludeOpt = None,
    extend_exclude: ExtendExcludeOpt = None,
    data: DataOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
    debug: DebugOpt = False,
) -> None:
    """What a change does to alignment: findings introduced and resolved, impact and declaration
    changes between --base and head; exit 1 when an introduced finding reaches --fail-on."""

    def run() -> int:
        settings = command_settings(
            config,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            today=today,
            exclude=exclude,
            extend_exclude=extend_exclude,
            data=data,
        )
        from align_audit.cli_commands import run_diff

        return run_diff(
            paths or ["."], settings, base, head, output_format, output, no_color, exit_zero
        )

    raise typer.Exit(guard(debug, run))


@app.command()
def rules(
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="Output format: text|json."),
    ] = "text",
) -> None:
    """List every rule: code, name, default severity and what it detects."""
    from align_audit.docs import rules_json, rules_table

    if output_format not in ("text", "json"):
        fail(f"--format: expected text or json, got {output_format!r}")
    text = rules_json() if output_format == "json" else rules_table()
    sys.stdout.write(text)


@app.command()
def explain(
    rule: Annotated[
        str, typer.Argument(metavar="RULE", help="A rule code (AA101) or name (unserved-metric).")
    ],
) -> None:
    """Explain one rule: what it detects, why it matters, an example that fires and one that
    passes."""
    from align_audit.docs import explain_rule
    from align_audit.rules import lookup

    found = lookup(rule)
    if found is None:
        fail(f"unknown rule {rule!r}; see `align-audit rules`")
    sys.stdout.write(explain_rule(found))


@app.command()
def impact(
    paths: PathsArg,
    system: Annotated[
        str | None, typer.Option(metavar="ID", help="Only this system's objectives.")
    ] = None,
    objective: Annotated[
        str | None, typer.Option(metavar="SYSTEM.OBJECTIVE", help="Only this objective.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("impact")),
    ] = "text",
    output: OutputOpt = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    data: DataOpt = None,
    no_color: NoColorOpt = False,
    debug: DebugOpt = False,
) -> None:
    """What perfect optimization of each objective does to each customer, outcome and metric;
    with --data, each edge of a witness path shows what the data says of it."""
    options = WorkshopOptions(config, today, select, ignore, baseline, data)

    def run() -> int:
        from align_audit.workshop.impact import build_impact, verdicts_of

        render = formats.load("impact", output_format)
        with for_terminal() as progress:
            result = workshop_audit(paths, options, progress, output)
        impacts = build_impact(result, system, objective)
        width = report_width(output) if output_format == "text" else None
        color = width is not None and color_wanted(no_color)
        text = render(impacts, color, width, verdicts_of(result))
        return emit(text, output_format, output, result)

    raise typer.Exit(guard(debug, run))


@app.command()
def report(
    paths: PathsArg,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("report")),
    ] = "text",
    output: OutputOpt = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    data: DataOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Workshop tables: stakeholder map, coverage matrix, conflict and tradeoff register,
    impact per system and per customer, scorecard balance, alignment summary, findings to
    decide; with --data, the evidence."""
    options = WorkshopOptions(config, today, select, ignore, baseline, data)

    def run() -> int:
        from align_audit.workshop.report import render_report

        formats.check("report", output_format)
        with for_terminal() as progress:
            result = workshop_audit(paths, options, progress, output)
            progress.stage("writing the report")
            text = render_report(result, output_format, report_width(output))
        return emit(text, output_format, output, result)

    raise typer.Exit(guard(debug, run))


@app.command()
def evidence(
    paths: PathsArg,
    data: DataOpt = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("evidence")),
    ] = "text",
    output: OutputOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Which declared beliefs the observed data supports, contradicts or cannot judge; hidden
    tradeoffs; proxies winning while outcomes lose; breached guardrails (needs --data)."""
    options = WorkshopOptions(config, data=data)

    def run() -> int:
        from align_audit.errors import AuditError

        render = formats.load("evidence", output_format)
        with for_terminal() as progress:
            result = workshop_audit(paths, options, progress, output)
        if result.evidence is None:
            raise AuditError(
                "evidence needs observed data: give --data FILE, or list files under 'data' "
                "in the configuration"
            )
        width = report_width(output) if output_format == "text" else None
        return emit(render(result, width), output_format, output, result)

    raise typer.Exit(guard(debug, run))


@app.command()
def graph(
    paths: PathsArg,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=formats.help_text("graph")),
    ] = "mermaid",
    focus: Annotated[
        str | None, typer.Option(metavar="ID", help="Show only the neighbourhood of this node id.")
    ] = None,
    depth: Annotated[
        int, typer.Option(min=0, metavar="N", help="Neighbourhood radius for --focus.")
    ] = 2,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The alignment graph as a diagram (mermaid, dot) or data (graphml, json)."""
    options = WorkshopOptions(config)

    def run() -> int:
        from align_audit.workshop.graph import export_graph

        formats.check("graph", output_format)
        with for_terminal() as progress:  # the graph shows no rule's finding
            result = workshop_audit(paths, options, progress, output, rules=False)
        text = export_graph(result, output_format, focus, depth)
        return emit(text, output_format, output, result)

    raise typer.Exit(guard(debug, run))


@app.command()
def serve(
    paths: DefaultPathsArg = None,
    data: DataOpt = None,
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="PORT", help="Port.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    today: TodayOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The workshop report as a live local page: it updates itself within a second of any
    declaration, catalog, data or configuration file changing. Ctrl-C stops it."""

    def run() -> int:
        from align_audit.serve import serve as serve_page

        def settings() -> Settings:
            return command_settings(config, select=select, ignore=ignore, today=today, data=data)

        settings()  # a bad option or configuration is one line now, not a banner later
        serve_page(paths or ["."], settings, host, port, open_browser)
        return 0

    raise typer.Exit(guard(debug, run))


@app.command()
def init(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="File (or folder) to create.")
    ] = Path("align-audit.yaml"),
    template: Annotated[
        str, typer.Option(metavar="NAME", help="Starter: minimal|healthcare|support.")
    ] = "minimal",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    interview: Annotated[
        bool,
        typer.Option("--interview", help="Ask the leadership questions at the terminal instead."),
    ] = False,
) -> None:
    """Write a commented starter declaration file that teaches the format, or (--interview)
    one built from your answers, then audit it."""

    def run() -> int:
        from align_audit.workshop.init import write_interview, write_starter

        if not interview:
            written = write_starter(path, template, force)
            sys.stdout.write(
                f"Wrote {written} (template {template}). Next: align-audit check {written}\n"
            )
            return 0
        sys.stdout.write(write_interview(path, force))
        return 0

    raise typer.Exit(guard(False, run))


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the schema to FILE."),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the declaration format, for editors."""

    def run() -> None:
        from align_audit.outputs import write_atomic
        from align_audit.schema import schema_text

        text = schema_text()
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)

    guard(False, run)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, terminated)
    app()

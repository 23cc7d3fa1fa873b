"""Entry point of ``align-audit`` and ``python -m align_audit``.

Kept tiny: ``--version`` answers before the command-line framework is even imported.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    """Run the command line."""
    if sys.argv[1:] == ["--version"]:
        from align_audit import __version__

        sys.stdout.write(f"align-audit {__version__}\n")
        return
    # Our models need no pydantic plugins; skipping their entry-point scan saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # One short-lived process that builds only acyclic data: the collector's passes over the
    # dependencies' import-time objects cost ~9% of a cold start, and free nothing worth it.
    gc.disable()
    from align_audit import cli_support

    cli_support.EXITS_HARD = True  # see os._exit below
    from align_audit.cli import main as run

    try:
        run()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    # A large audit leaves millions of objects; freeing them one by one at interpreter exit
    # takes longer than writing the report (0.4 s at 100k declarations), and the process is
    # ending anyway. Flush what was written, then leave.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    """The status ``sys.exit(code)`` would give."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


if __name__ == "__main__":
    main()

"""Entry point of ``align-audit`` and ``python -m align_audit``.

Kept tiny: ``--version`` answers before the command-line framework is even imported.
"""

from __future__ import annotations

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
    from align_audit.cli import main as run

    run()


if __name__ == "__main__":
    main()

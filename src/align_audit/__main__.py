"""``python -m align_audit``."""

from align_audit.cli import main

main()

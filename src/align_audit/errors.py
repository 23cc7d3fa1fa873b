"""Errors that stop the audit before it can run (exit code 2).

Anything wrong *inside* a declaration file is a finding, never one of these.
"""

from __future__ import annotations


class AuditError(Exception):
    """The audit could not run: bad option, missing path, bad config or baseline file.

    The message is shown to the user as one line; keep it specific and actionable.
    """

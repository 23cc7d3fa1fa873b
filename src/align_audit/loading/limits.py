"""Resource limits for reading untrusted YAML (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep any input from hanging the audit or exhausting memory."""

    max_file_size: int = 20_000_000
    """Largest file read, in bytes."""
    max_depth: int = 64
    """Deepest nesting of mappings and sequences."""
    max_alias_nodes: int = 1_000_000
    """Most nodes that expanding a file's aliases may add (an alias bomb's weapon)."""

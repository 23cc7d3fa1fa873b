"""Rule codes named where more than their own rule refers to them (stable forever, SPEC §3.1)."""

from __future__ import annotations

INVALID_YAML = "AA001"
INVALID_SCHEMA = "AA002"
DUPLICATE_KEY = "AA003"
DUPLICATE_ID = "AA004"
UNKNOWN_REFERENCE = "AA005"
UNSAFE_YAML = "AA006"
INVALID_DATA = "AA007"
UNGUARDED_HARM = "AA105"
UNUSED_WAIVER = "AA204"
EXPIRED_WAIVER = "AA205"

"""Input rules AA001–AA006: problems found while reading and resolving the declarations.

Their findings are produced by ``loading``, ``model`` and ``catalog``; these classes hold the
codes, names, severities and documentation.
"""

from __future__ import annotations

from align_audit.codes import (
    DUPLICATE_ID,
    DUPLICATE_KEY,
    INVALID_DATA,
    INVALID_SCHEMA,
    INVALID_YAML,
    UNKNOWN_REFERENCE,
    UNSAFE_YAML,
)
from align_audit.findings import Severity
from align_audit.rules.base import Rule


class InvalidYaml(Rule):
    """A file is not valid YAML, not UTF-8, or not a mapping at the top level.

    Why: a file that cannot be read declares nothing, so every customer, metric and objective in
    it silently disappears from the audit. The finding points at the line and column where the
    parser gave up, with the offending source line.

    Fires:
        ```yaml
        customers:
          - id: patient
                role: end_user      # a tab used for indentation
        ```

    Passes:
        ```yaml
        customers:
          - id: patient
            role: end_user
        ```
    """

    code = INVALID_YAML
    name = "invalid-yaml"
    severity = Severity.ERROR
    reported_by_pipeline = True
    severity_note = "an input error: never deselected, waived, baselined or lowered"
    input_error = True


class InvalidSchema(Rule):
    """A key is unknown, a value has the wrong type, a required field is missing, an id is
    malformed or an enum value is not one of the allowed ones.

    Why: what the tool cannot understand cannot be audited. Only the offending part is dropped
    (an unknown key is ignored, an invalid optional value left unset, an invalid list element
    dropped); a declaration whose id or a required field is broken is left out of the analysis
    (its id still counts as declared), and nothing is reported missing because of it. Typos in
    keys are the classic way a guardrail or a `serves` silently stops existing. Unquoted `on`,
    `off`, `yes` and `no` are booleans in YAML.

    Fires:
        ```yaml
        metrics:
          - id: csat
            direction: up        # must be increase or decrease
            serve: [patient]     # unknown key (serves)
        ```

    Passes:
        ```yaml
        metrics:
          - id: csat
            direction: increase
            serves: [patient]
        ```
    """

    code = INVALID_SCHEMA
    name = "invalid-schema"
    severity = Severity.ERROR
    reported_by_pipeline = True
    severity_note = "an input error: never deselected, waived, baselined or lowered"
    input_error = True


class DuplicateKey(Rule):
    """A mapping repeats a key.

    Why: YAML parsers silently keep only the last value, so the first `serves` or `guardrails`
    someone wrote vanishes without a trace. align-audit keeps the first and reports the repeat.

    Fires:
        ```yaml
        metrics:
          - id: csat
            direction: increase
            serves: [patient]
            serves: [insurer]
        ```

    Passes:
        ```yaml
        metrics:
          - id: csat
            direction: increase
            serves: [patient, insurer]
        ```
    """

    code = DUPLICATE_KEY
    name = "duplicate-key"
    severity = Severity.ERROR
    reported_by_pipeline = True


class DuplicateId(Rule):
    """An id is declared twice: customers, metrics and systems share one namespace; outcomes are
    unique within their customer and objectives within their system.

    Why: two declarations with one id make every reference to it ambiguous. The first declaration
    wins (files are read in sorted path order) and the repeat is ignored.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: patient, direction: increase}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: patient_satisfaction, direction: increase, serves: patient}
        ```
    """

    code = DUPLICATE_ID
    name = "duplicate-id"
    severity = Severity.ERROR
    reported_by_pipeline = True


class UnknownReference(Rule):
    """A reference names nothing declared, or something of the wrong kind.

    Why: a `serves`, an effect, an `optimizes` or a guardrail that points nowhere is an alignment
    link that does not exist: the objective looks guarded or the metric looks customer-focused
    when it is not.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: csat, direction: increase, serves: pateint}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: csat, direction: increase, serves: patient}
        ```
    """

    code = UNKNOWN_REFERENCE
    name = "unknown-reference"
    severity = Severity.ERROR
    reported_by_pipeline = True


class UnsafeYaml(Rule):
    """A file uses a custom tag, expands aliases beyond the node budget, nests beyond the depth
    limit or exceeds the size limit.

    Why: declaration files are data. Tags such as `!!python/object` can execute code in careless
    loaders, and alias bombs or deep nesting exhaust memory; align-audit never constructs such
    nodes and refuses files past its limits, so a CI gate cannot be attacked through its input.

    Fires:
        ```yaml
        metrics:
          - id: csat
            direction: !!python/object:os.system increase
        ```

    Passes:
        ```yaml
        metrics:
          - id: csat
            direction: increase
        ```
    """

    code = UNSAFE_YAML
    name = "unsafe-yaml"
    severity = Severity.ERROR
    reported_by_pipeline = True
    severity_note = "an input error: never deselected, waived, baselined or lowered"
    input_error = True


class InvalidData(Rule):
    """An observed-data file (`--data`) cannot be read, lacks the columns of SPEC §7.1, has a
    non-numeric value, a period of another type, or repeats a (metric, period).

    Why: evidence rules judge the organization's beliefs against its data; a file that is read
    only in part would make them judge a different organization. The finding points at the CSV
    line (or the file), and the gate fails, as for any input error.

    Fires:
        ```yaml
        # metrics.csv, given with --data metrics.csv:
        #   metric,period,value
        #   csat,2026-01-05,4.1
        #   csat,2026-01-12,four      <- not a number
        metrics:
          - {id: csat, direction: increase}
        ```

    Passes:
        ```yaml
        # metrics.csv:
        #   metric,period,value
        #   csat,2026-01-05,4.1
        #   csat,2026-01-12,4.0
        metrics:
          - {id: csat, direction: increase}
        ```
    """

    code = INVALID_DATA
    name = "invalid-data"
    severity = Severity.ERROR
    reported_by_pipeline = True
    severity_note = "an input error: never deselected, waived, baselined or lowered"
    input_error = True

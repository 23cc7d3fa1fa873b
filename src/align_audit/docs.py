"""Rule documentation generated from the rule docstrings: `rules`, `explain`, docs/rules.md."""

from __future__ import annotations

import json

from align_audit.rules import REGISTRY, Rule


def _severity_text(rule: type[Rule]) -> str:
    note = f" ({rule.severity_note})" if rule.severity_note else ""
    return rule.severity.label + note


def _summary(rule: type[Rule]) -> str:
    """The docstring's summary on one line; an evidence rule says that it needs data."""
    summary = " ".join(rule.doc().summary.split())
    return summary + " (needs --data)" if rule.needs_data else summary


def rules_json() -> str:
    """The catalogue as JSON."""
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity.label,
            "severity_note": rule.severity_note,
            "summary": " ".join(rule.doc().summary.split()),
            "needs_data": rule.needs_data,
        }
        for rule in REGISTRY
    ]
    return json.dumps({"version": 1, "rules": rows}, indent=2, ensure_ascii=False) + "\n"


def rules_table() -> str:
    """The catalogue as an aligned plain-text table."""
    lines = []
    for rule in REGISTRY:
        lines.append(f"{rule.code}  {rule.name:<30} {rule.severity.label:<8} {_summary(rule)}")
    return "\n".join(lines) + "\n"


def explain_rule(rule: type[Rule]) -> str:
    """Markdown-ish explanation of one rule."""
    doc = rule.doc()
    return (
        f"{rule.code} {rule.name} ({_severity_text(rule)})\n\n"
        f"{_summary(rule)}\n\n"
        f"Why it matters: {doc.why}\n\n"
        f"Fires:\n\n{_indent(doc.fires)}\n"
        f"Passes:\n\n{_indent(doc.passes)}"
    )


def _indent(text: str) -> str:
    return "".join("    " + line + "\n" if line else "\n" for line in text.splitlines())


def rules_markdown() -> str:
    """docs/rules.md."""
    parts = [
        "# Rule reference\n\n",
        "Generated from the rule docstrings by `python -m align_audit.docs`; do not edit.\n\n",
        "| code | name | severity | summary |\n|---|---|---|---|\n",
    ]
    for rule in REGISTRY:
        parts.append(
            f"| {rule.code} | `{rule.name}` | {_severity_text(rule)} | {_summary(rule)} |\n"
        )
    for rule in REGISTRY:
        doc = rule.doc()
        parts.append(
            f"\n## {rule.code} `{rule.name}`\n\n"
            f"Default severity: **{_severity_text(rule)}**\n\n"
            f"{_summary(rule)}\n\n"
            f"**Why it matters.** {doc.why}\n\n"
            f"**Fires:**\n\n```yaml\n{doc.fires}```\n\n"
            f"**Passes:**\n\n```yaml\n{doc.passes}```\n"
        )
    return "".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(rules_markdown())

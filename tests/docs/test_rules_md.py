"""docs/rules.md is generated from the rule docstrings and must not go stale."""

from __future__ import annotations

from align_audit.docs import rules_markdown
from align_audit.rules import REGISTRY
from conftest import ROOT


def test_rules_md_is_current() -> None:
    on_disk = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == rules_markdown(), (
        "docs/rules.md is stale: regenerate with `python -m align_audit.docs > docs/rules.md`"
    )


def test_rules_md_documents_every_rule() -> None:
    text = rules_markdown()
    for rule in REGISTRY:
        assert f"## {rule.code} `{rule.name}`" in text
        doc = rule.doc()
        assert doc.fires.strip() and doc.passes.strip(), rule.code

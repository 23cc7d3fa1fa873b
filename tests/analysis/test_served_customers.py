"""The one-pass served-customers computation agrees with per-metric propagation (SPEC §2.2),
including on graphs full of cycles."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.analysis import Analysis
from align_audit.engine import audit

LABELS = ("helps", "hurts", "makes", "breaks", 30, -40)


@st.composite
def cyclic_orgs(draw: st.DrawFn) -> str:
    n_customers = draw(st.integers(1, 3))
    n_metrics = draw(st.integers(1, 9))
    customers = [f"c{i}" for i in range(n_customers)]
    outcomes = [f"{c}.o{j}" for c in customers for j in range(2)]
    metrics = [f"m{i}" for i in range(n_metrics)]
    lines = ["customers:"]
    lines += [f"  - {{id: {c}, role: end_user, outcomes: [o0, o1]}}" for c in customers]
    lines.append("metrics:")
    for m in metrics:
        lines.append(f"  - id: {m}")
        lines.append("    direction: increase")
        serves = draw(st.lists(st.sampled_from(customers + outcomes), max_size=2, unique=True))
        if serves:
            lines.append(f"    serves: [{', '.join(serves)}]")
        targets = draw(st.lists(st.sampled_from(metrics + outcomes), max_size=3, unique=True))
        if targets:
            lines.append("    effects:")
            lines += [f"      {t}: {draw(st.sampled_from(LABELS))}" for t in targets]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(text=cyclic_orgs())
def test_served_customers_match_propagation(tmp_path_factory: object, text: str) -> None:
    folder = Path(tmp_path_factory.mktemp("org"))  # type: ignore[attr-defined]
    path = folder / "org.yaml"
    path.write_text(text, encoding="utf-8")
    result = audit([str(path)])
    analysis = Analysis(result.catalog)
    for metric in result.catalog.metrics:
        reach = analysis.propagate(metric, 1)
        expected = {c for c in result.catalog.customers if reach.reaches(c, 1)}
        assert analysis.served_customers[metric] == expected, (metric, text)

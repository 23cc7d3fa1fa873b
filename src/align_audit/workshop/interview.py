"""``align-audit init --interview``: the questions a leadership team must answer (SPEC §4.1),
asked at a terminal, turned into a valid, commented declaration file.

Each answer is checked as it is given (ids, roles, directions, references to what was already
declared); a wrong one is explained and asked again. The questions are plain functions of an
``ask`` callable, so the flow is the same whatever reads the keyboard.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import get_args

from align_audit.model.declarations import Direction, MetricKind, Role, is_id

Ask = Callable[[str, str | None, Callable[[str], str | None]], str]
"""``ask(question, default, check)``: the answer (the default when left empty); ``check``
returns why an answer is wrong, or None."""
ROLES: tuple[str, ...] = get_args(Role)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
KINDS: tuple[str, ...] = get_args(MetricKind)


@dataclass
class Answers:
    """Everything the interview learned."""

    organization: str = ""
    customers: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, role, the outcome that matters most)."""
    metrics: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(id, direction, the outcome it serves as customer.outcome, leading|lagging)."""
    systems: list[tuple[str, str, str, str, list[str]]] = field(default_factory=list)
    """(system id, objective id, metric optimized, customer served, guardrail metrics)."""
    priorities: list[str] = field(default_factory=list)


def _new_id(taken: set[str], optional: bool) -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        if not answer:
            return None if optional else "an answer is needed"
        if not is_id(answer):
            return (
                f"{answer!r} is not an id: use lower-case letters, digits and _ "
                "(start with a letter), e.g. regulator"
            )
        if answer in taken:
            return f"{answer} is already declared: choose another id"
        return None

    return check


def _one_of(choices: tuple[str, ...] | list[str]) -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        return None if answer in choices else f"answer one of: {', '.join(choices)}"

    return check


def _some_of(choices: list[str], exclude: str = "") -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        picked = [a.strip() for a in answer.split(",") if a.strip()]
        unknown = [a for a in picked if a not in choices or a == exclude]
        if unknown:
            return f"{unknown[0]} is not one of: {', '.join(c for c in choices if c != exclude)}"
        if len(set(picked)) != len(picked):
            return "name each once"
        return None

    return check


def interview(ask: Ask) -> Answers:
    """Ask every question, in the order a leadership team thinks about them."""
    answers = Answers()
    answers.organization = ask(
        "What is the organization called?",
        "Our organization",
        lambda a: None if a.strip() else "an answer is needed",
    ).strip()
    taken: set[str] = set()
    while True:
        first = not answers.customers
        customer = ask(
            "Who is a customer? (an id, e.g. patient"
            + ("" if first else "; empty when done")
            + ")",
            None,
            _new_id(taken, optional=not first),
        )
        if not customer:
            break
        taken.add(customer)
        role = ask(f"In which role is {customer}? ({'/'.join(ROLES)})", "end_user", _one_of(ROLES))
        outcome = ask(
            f"Which outcome matters most to {customer}? (an id, e.g. timely_care)",
            None,
            _new_id(set(), optional=False),
        )
        answers.customers.append((customer, role, outcome))
    outcomes = [f"{c}.{o}" for c, _, o in answers.customers]
    while True:
        first = not answers.metrics
        metric = ask(
            "Which metric do you measure? (an id, e.g. wait_minutes"
            + ("" if first else "; empty when done")
            + ")",
            None,
            _new_id(taken, optional=not first),
        )
        if not metric:
            break
        taken.add(metric)
        direction = ask(
            f"Which way is better for {metric}? (increase/decrease)",
            "increase",
            _one_of(DIRECTIONS),
        )
        serves = ask(
            f"Which outcome does {metric} serve? ({', '.join(outcomes)})",
            outcomes[0],
            _one_of(outcomes),
        )
        kind = ask(
            f"Is {metric} leading (moves first) or lagging (the result)? (leading/lagging)",
            "leading",
            _one_of(KINDS),
        )
        answers.metrics.append((metric, direction, serves, kind))
    metrics = [m for m, *_ in answers.metrics]
    customers = [c for c, *_ in answers.customers]
    while True:
        system = ask(
            "Which AI system optimizes a metric? (an id, e.g. triage_bot; empty when done)",
            None,
            _new_id(taken, optional=True),
        )
        if not system:
            break
        taken.add(system)
        metric = ask(
            f"Which metric does {system} optimize? ({', '.join(metrics)})",
            metrics[0],
            _one_of(metrics),
        )
        owner = next(s for m, _, s, _ in answers.metrics if m == metric).split(".")[0]
        customer = ask(
            f"For which customer does {system} optimize {metric}? ({', '.join(customers)})",
            owner,
            _one_of(customers),
        )
        objective = ask(
            f"Name this objective of {system} (an id)",
            f"improve_{metric}",
            _new_id(set(), optional=False),
        )
        guards = ask(
            f"Which metrics guard against {system}'s side effects? (comma-separated; "
            "empty for none)",
            "",
            _some_of(metrics, exclude=metric),
        )
        guardrails = [g.strip() for g in guards.split(",") if g.strip()]
        answers.systems.append((system, objective, metric, customer, guardrails))
    if len(customers) > 1:
        order = ask(
            f"Which customers take precedence, first to last? (comma-separated from "
            f"{', '.join(customers)}; empty for no order)",
            ", ".join(customers),
            _some_of(customers),
        )
        answers.priorities = [p.strip() for p in order.split(",") if p.strip()]
    return answers


def declaration_text(answers: Answers) -> str:
    """The answers as a commented declaration file (SPEC §1)."""
    out = [
        "# Written by `align-audit init --interview`: edit freely, then run align-audit check.\n",
        "# Explain any finding with: align-audit explain CODE\n",
        "version: 1\n\n",
        f"organization:\n  name: {json.dumps(answers.organization, ensure_ascii=False)}\n\n",
        "# Who the organization serves, in which role, and what each of them values.\n",
        "customers:\n",
    ]
    for customer, role, outcome in answers.customers:
        out.append(f"  - id: {customer}\n    role: {role}\n    outcomes: [{outcome}]\n")
    out.append(
        "\n# What you measure, which way is better, and whose outcome it serves.\n"
        "# Add effects: (helps, hurts, makes, breaks) where one metric moves another.\n"
        "metrics:\n"
    )
    for metric, direction, serves, kind in answers.metrics:
        out.append(
            f"  - id: {metric}\n    direction: {direction}\n    kind: {kind}\n"
            f"    serves: {serves}\n"
        )
    if answers.systems:
        out.append(
            "\n# The AI systems, what each optimizes and for whom; guardrails watch side "
            "effects.\nsystems:\n"
        )
        users: dict[str, list[str]] = {}
        for system, _, _, customer, _ in answers.systems:
            bucket = users.setdefault(system, [])
            if customer not in bucket:
                bucket.append(customer)
        for system, objective, metric, customer, guardrails in answers.systems:
            out.append(
                f"  - id: {system}\n    users: [{', '.join(users[system])}]\n    objectives:\n"
                f"      - id: {objective}\n        optimizes: {metric}\n"
                f"        serves: {customer}\n"
            )
            if guardrails:
                out.append(f"        guardrails: [{', '.join(guardrails)}]\n")
    if answers.priorities:
        out.append(
            "\n# Who takes precedence when metrics conflict, first to last.\n"
            f"priorities: [{', '.join(answers.priorities)}]\n"
        )
    return "".join(out)


def terminal_ask(question: str, default: str | None, check: Callable[[str], str | None]) -> str:
    """Ask at the terminal until the answer passes ``check`` (Ctrl-D ends the interview)."""
    prompt = f"{question} [{default}]: " if default else f"{question}: "
    while True:
        answer = input(prompt).strip() or (default or "")
        problem = check(answer)
        if problem is None:
            return answer
        print(f"  ✗ {problem}")

"""Locations found on first use behave like located ones."""

from __future__ import annotations

from align_audit.findings import Location, Span


def test_a_deferred_location_is_looked_up_once_and_equals_a_located_one() -> None:
    calls: list[tuple[int, int]] = []

    def find(line: int, column: int) -> Span:
        calls.append((line, column))
        return Span(line, column, line, column + 4)

    deferred = Location("org.yaml", find=find, args=(3, 5))
    assert calls == []  # nothing looked up yet
    assert (deferred.line, deferred.column) == (3, 5)
    assert deferred == Location("org.yaml", Span(3, 5, 3, 9))
    assert hash(deferred) == hash(Location("org.yaml", Span(3, 5, 3, 9)))
    assert deferred.span is deferred.span
    assert calls == [(3, 5)]


def test_a_location_without_span_is_the_start_of_the_file() -> None:
    assert Location("org.yaml").span == Span(1, 1, 1, 1)
    assert Location("a.yaml") != Location("b.yaml")
    assert (
        repr(Location("a.yaml"))
        == "Location('a.yaml', Span(line=1, column=1, end_line=1, end_column=1))"
    )

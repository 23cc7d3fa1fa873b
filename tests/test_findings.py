"""Locations found on first use behave like located ones."""

from __future__ import annotations

from align_audit.findings import Location, Span


def test_a_deferred_location_is_looked_up_once_and_equals_a_located_one() -> None:
    calls: list[tuple[int, int]] = []

    def find(where: tuple[int, int]) -> Span:
        calls.append(where)
        line, column = where
        return Span(line, column, line, column + 4)

    deferred = Location("org.yaml", find=find, source=(3, 5))
    assert calls == []  # nothing looked up yet
    assert (deferred.line, deferred.column) == (3, 5)
    assert deferred == Location("org.yaml", Span(3, 5, 3, 9))
    assert hash(deferred) == hash(Location("org.yaml", Span(3, 5, 3, 9)))
    assert deferred.span is deferred.span
    assert calls == [(3, 5)]


def test_a_passing_span_is_not_kept_until_the_span_is_asked_for() -> None:
    calls: list[int] = []

    def find(line: int) -> Span:
        calls.append(line)
        return Span(line, 1, line, 2)

    deferred = Location("org.yaml", find=find, source=7)
    assert deferred.passing_span() == deferred.passing_span() == Span(7, 1, 7, 2)
    assert calls == [7, 7]  # looked up each time, kept by nobody
    assert deferred.span == Span(7, 1, 7, 2)
    assert deferred.passing_span() is deferred.span  # once kept, reused
    assert calls == [7, 7, 7]


def test_a_location_without_span_is_the_start_of_the_file() -> None:
    assert Location("org.yaml").span == Span(1, 1, 1, 1)
    assert Location("a.yaml") != Location("b.yaml")
    assert (
        repr(Location("a.yaml"))
        == "Location('a.yaml', Span(line=1, column=1, end_line=1, end_column=1))"
    )

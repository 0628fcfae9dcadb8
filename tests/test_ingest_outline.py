"""Judging an outline: agenda items, or headings, amounts and file names?"""

from __future__ import annotations

from summarise.ingest.agenda.outline import agenda_from_outline
from summarise.ingest.pdf import OutlineEntry as E


def numbers(entries: list[E]) -> list[str] | None:
    agenda = agenda_from_outline(entries)
    return None if agenda is None else [i.number for i in agenda.items]


def test_numbered_bookmarks_after_front_matter_are_items_with_nested_documents() -> None:
    entries = [E("Agenda", 1, 0), E("3 Minutes", 3, 0), E("5 Budget", 12, 0), E("Appendix A", 16, 1)]
    entries += [E("6a. Fees", 20, 0), E("Item 7 - Treasury", 30, 0)]
    agenda = agenda_from_outline(entries)
    assert agenda is not None
    assert [(i.number, i.title, i.page) for i in agenda.items] == [
        ("3", "Minutes", 3),
        ("5", "Budget", 12),
        ("6a", "Fees", 20),
        ("7", "Treasury", 30),
    ]
    assert [d.title for d in agenda.items[1].documents] == ["Appendix A"]
    assert agenda.boundaries == [1, 3, 12, 20, 30]


def test_headings_amounts_and_file_names_are_not_an_agenda() -> None:
    amounts = [
        E("10. Approval of Resolutions:", 1, 0),
        E("REGULAR ACTIONS", 1, 0),
        E("Year 1 $32,300.00", 1, 0),
    ]
    amounts += [E("Year 2 $29,000.00", 1, 0), E("Amount to be paid", 2, 0), E("11. Consent Agenda", 3, 0)]
    assert numbers(amounts) is None
    files = [E("Conduit Meeting Notice 2020-December v5 clean_ (2)", 1, 0), E("Committee Agenda", 2, 0)]
    assert numbers(files) is None


def test_numbers_must_rise_and_pages_must_not_go_back() -> None:
    assert numbers([E("1. A", 1, 0), E("3. B", 5, 0), E("2. C", 9, 0)]) is None
    assert numbers([E("1. A", 5, 0), E("2. B", 3, 0)]) is None


def test_a_lone_numbered_child_under_many_unnumbered_entries_is_no_agenda() -> None:
    entries = [E(f"Report {k}", k, 0) for k in range(1, 6)]
    entries += [E(f"Appendix {c}", 10 + k, 1) for k, c in enumerate("ABCD")]
    entries.append(E("Item 7 - Supplementary - Appendix B", 20, 1))
    assert numbers(entries) is None

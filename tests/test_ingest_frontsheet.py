"""Meeting metadata from front sheets: the meeting's date among several, the body, time and venue."""

from __future__ import annotations

import datetime as dt

from summarise.ingest.frontsheet import parse_front_sheet


def test_council_name_then_agenda_then_body() -> None:
    sheet = parse_front_sheet(
        "NORTHBY DISTRICT COUNCIL\nAGENDA\nLICENSING PANEL\nMonday, 3rd March, 2025, at 2.30 pm\n"
        "Committee Room 2, Civic Centre,\nNorthby\nAsk for: Jo Bloggs\n1. Apologies"
    )
    assert sheet.body == "Licensing Panel"
    assert (sheet.date, sheet.time) == (dt.date(2025, 3, 3), "2.30 pm")
    assert sheet.venue == "Committee Room 2, Civic Centre, Northby"


def test_meeting_date_beats_the_letter_date() -> None:
    sheet = parse_front_sheet(
        "Date: 27 February 2025\nDear Member\nCOUNTY COUNCIL - THURSDAY, 13 FEBRUARY 2025\n"
    )
    assert sheet.body == "County Council"
    assert sheet.date == dt.date(2025, 2, 13) and sheet.time is None


def test_us_style_notice() -> None:
    sheet = parse_front_sheet(
        "Thursday, December 3, 2020\nPUBLIC NOTICE\n"
        "The Board will meet on Tuesday, December 8, 2020 at 9:00 a.m.\nAGENDA:\nI. Call to Order"
    )
    assert (sheet.date, sheet.time) == (dt.date(2020, 12, 8), "9:00 a.m.")
    assert sheet.body != "I. Call to Order"


def test_nothing_to_find() -> None:
    sheet = parse_front_sheet("Some report text with no meeting details.")
    assert (sheet.body, sheet.date, sheet.time, sheet.venue) == (None, None, None, None)

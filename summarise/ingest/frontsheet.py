"""Meeting metadata from the front sheet: body, date, time and venue.

Front sheets print several dates (the letter's, the publication's, the
meeting's). The meeting date is the one printed with a weekday and a time
("Thursday, 30th January, 2025, at 10.00 am"), so candidates are scored on
those and the best wins, earliest first on ties.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from summarise.text.vocab import MONTHS

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\.?\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
]
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b\W*$", re.IGNORECASE)
_TIME = re.compile(
    r"^\W{0,3}(?:at|from|commencing)?\s*(?P<time>\d{1,2}(?:\s*[.:]\s*\d{2})?\s*(?:a\.?\s*m\.?|p\.?\s*m\.?|noon)|\d{1,2}\s*[.:]\s*\d{2}(?!\d))",
    re.IGNORECASE,
)
_BODY_WORDS = re.compile(
    r"\b(cabinet|council|committee|sub-committee|board|commission|panel|authority|assembly|executive|"
    r"scrutiny|forum|partnership|trust)\b",
    re.IGNORECASE,
)
_AGENDA = re.compile(r"\W*(agenda|notice of meeting|summons)\W*", re.IGNORECASE)
_MEETING_OF = re.compile(r"\bmeeting\s+of\s+(?:the\s+)?(.+)$", re.IGNORECASE)
_VENUE_WORDS = re.compile(
    r"(?<![\w-])(chamber|hall|room|house|offices?|centre|center|building|library|suite|civic)(?![\w-])",
    re.IGNORECASE,
)
_SMALL = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an"}
_TOP_LINES = 40


@dataclass
class FrontSheet:
    body: str | None = None
    date: dt.date | None = None
    time: str | None = None
    venue: str | None = None


def _titlecase(s: str) -> str:
    if not s.isupper():
        return s
    words = s.lower().split()
    return " ".join(w if (w in _SMALL and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def find_date(text: str) -> tuple[dt.date | None, str | None]:
    """The meeting date and its time as printed, if the text gives them."""
    best: tuple[int, int, dt.date, str | None] | None = None
    for pattern in _DATES:
        for m in pattern.finditer(text):
            try:
                day = dt.date(int(m["year"]), MONTHS[m["month"][:3].lower()], int(m["day"]))
            except ValueError:
                continue
            score = 0
            if _WEEKDAY.search(text[max(0, m.start() - 14) : m.start()]):
                score += 1
            tm = _TIME.match(text[m.end() : m.end() + 24])
            time = re.sub(r"\s*([.:])\s*(?=\d)", r"\1", " ".join(tm["time"].split())) if tm else None
            if time:
                score += 2
            if best is None or (score, -m.start()) > (best[0], -best[1]):
                best = (score, m.start(), day, time)
    return (best[2], best[3]) if best else (None, None)


def find_body(lines: list[str]) -> str | None:
    """The body whose meeting this is ("CABINET", "County Council").

    Front sheets often print the council's name, then "AGENDA", then the
    meeting body: the line after a bare "AGENDA" wins. Otherwise, the first
    short line near the top that names a kind of body.
    """
    top = [" ".join(line.split()) for line in lines[:_TOP_LINES] if line.strip()]
    for k, text in enumerate(top[:-1]):
        after = top[k + 1]
        short = len(after.split()) <= 8 and not re.search(r"\d|@", after)
        if _AGENDA.fullmatch(text) and short and _BODY_WORDS.search(after):
            return _titlecase(after.strip(" ,.:"))
    for line in lines[:_TOP_LINES]:
        text = " ".join(line.split())
        if not text or "@" in text or len(text.split()) > 14:
            continue
        if m := _MEETING_OF.search(text):
            text = m.group(1)
        elif len(text.split()) > 8:
            continue
        text = re.split(r"\s+[-–—]\s+|,\s*(?=\w+day\b)", text)[0].strip(" ,.:")
        words = text.split()
        while words and words[-1].lower() in _SMALL:
            words.pop()
        text = " ".join(words)
        if _BODY_WORDS.search(text) and not any(ch.isdigit() for ch in text):
            return _titlecase(text)
    return None


def find_venue(lines: list[str]) -> str | None:
    for i, line in enumerate(lines[:_TOP_LINES]):
        text = " ".join(line.split())
        if not _VENUE_WORDS.search(text) or "@" in text or len(text.split()) > 12:
            continue
        if _BODY_WORDS.fullmatch(text.strip(" ,.")) or re.search(r"\d{4}", text):
            continue
        parts = [text.rstrip()]
        while parts[-1].endswith(",") and i + 1 < len(lines) and lines[i + 1].strip():
            i += 1
            nxt = " ".join(lines[i].split())
            if len(nxt.split()) > 8 or re.search(r"tel|phone|email|ask for", nxt, re.IGNORECASE):
                break
            parts.append(nxt)
        return " ".join(parts).strip(" ,")
    return None


def parse_front_sheet(text: str) -> FrontSheet:
    lines = [line for line in text.split("\n") if line.strip()]
    date, time = find_date(" ".join(text.split()))
    return FrontSheet(body=find_body(lines), date=date, time=time, venue=find_venue(lines))

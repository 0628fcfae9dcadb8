"""Content for items whose papers have no prose a sentence ranker can use.

Each rule is general, not tuned to one council:

- an item whose whole content is an enumerated list under its heading ("(1) ...", "2. ...",
  "a) ...") is summarised by that list, one key point per entry;
- a table row that starts with a row number and states a money amount ("1 Project name Place
  $32,000,000 - 10") becomes "Project name Place: $32,000,000."; the columns after the amount
  (dashes, counts, staff codes) are dropped;
- a resolution or ordinance title printed as its own paragraph ("Resolution Authorizing ...") is
  one of an agenda's actions and becomes a key point (shortened to 40 words);
- an item with nothing else whose reference (a token with a digit, such as "24/00093") is named
  in the front sheet's "Note – ..." gets that note in its item note, said to be the front sheet's
  (not quoted as the item's own text, which it is not);
- a previous meeting's minutes are described by the headings of the items they record ("The
  minutes ...; they record items on ..."), never by their decisions, which would read as this meeting's.
"""

from __future__ import annotations

import re

from summarise.models.meeting import Meeting

_ENTRY = re.compile(r"^\s*(?:\(\d{1,2}\)|\(?[a-zA-Z]\)|\d{1,2}[.)])\s+(\S.{8,})$")
_MONEY = re.compile(r"[$£€]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:m|bn|million|billion)\b)?")
_ROW = re.compile(r"^\s*\d{1,3}\s+([A-Z][^$£€]{5,}?)\s+([$£€]\s?\d[\d,]*(?:\.\d+)?)(?=\s|$)")
_ACTION = re.compile(r"^(?:Resolution|Ordinance|Resolution of Intent)\s+[A-Z]")
_NOTE = re.compile(r"\bNote\s*[–—-]\s*(.+?\.)(?=\s|$)", re.DOTALL)
_MINUTE_HEADING = re.compile(r"(?m)^\d{1,3}\.\s+(\S.{3,}?)\s*\n\s*\(Item \d+\)")
_ROUTINE = re.compile(
    r"^(?:apologies|declarations?|minutes|cabinet member updates|substitutes|urgent business)\b",
    re.IGNORECASE,
)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ,;:–-")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "…", "?", "!")) else text + "."


def _shorten(text: str, words: int) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + " …"


def listed_entries(text: str, limit: int = 12) -> list[str]:
    """Entries of an enumerated list below the item's heading (its first line), in order."""
    out = []
    for line in text.splitlines()[1:]:
        found = _ENTRY.match(line)
        if found and len(found.group(1).split()) >= 2:
            out.append(_sentence(_shorten(found.group(1), 40)))
    return out[:limit]


def table_rows(text: str, limit: int = 8) -> list[str]:
    """Numbered table rows that state an amount: "<what>: <amount>." (other columns dropped)."""
    out = []
    for line in text.splitlines():
        found = _ROW.match(line)
        if found:
            what = " ".join(found.group(1).split())
            out.append(f"{what}: {found.group(2)}.")
    return out[:limit]


def action_titles(text: str, limit: int = 8) -> list[str]:
    """Resolution/ordinance titles printed as their own paragraph, lines joined, shortened."""
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        if _ACTION.match(lines[i].strip()):
            parts = [lines[i].strip()]
            j = i + 1
            while j < len(lines) and len(lines[j].split()) >= 8 and not _ACTION.match(lines[j].strip()):
                parts.append(lines[j].strip())
                j += 1
            out.append(_sentence(_shorten(" ".join(parts), 40)))
            i = j
            continue
        i += 1
    return out[:limit]


def front_note(meeting: Meeting, title: str) -> str | None:
    """The front sheet's "Note – ..." when it names the item's reference (a token with a digit)."""
    refs = [t for t in re.findall(r"[\w/.-]*\d[\w/.-]*", title) if len(t) >= 4]
    if not refs or not meeting.pages:
        return None
    found = _NOTE.search(meeting.pages[0].text)
    if not found:
        return None
    note = " ".join(found.group(1).split())
    if not any(ref in note for ref in refs) or not 6 <= len(note.split()) <= 45:
        return None
    return note


def minutes_topics(text: str, limit: int = 8) -> str | None:
    """'they record items on A, B and C' (a clause) from the minutes' own item headings."""
    headings = [" ".join(h.split()) for h in _MINUTE_HEADING.findall(text)]
    topics = [h.rstrip(" .") for h in headings if not _ROUTINE.match(h)][:limit]
    if not topics:
        return None
    joined = topics[0] if len(topics) == 1 else "; ".join(topics[:-1]) + " and " + topics[-1]
    return f"they record items on {joined}"


_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")
_REMOTE = re.compile(r"\battend\w*\b.{0,80}\b(?:via|by)\s+(?:audio|video|telephone|phone|zoom|online)", re.I)
_CONTACT = re.compile(r"\b(?:questions?|contact|call)\b", re.I)
_SIGNER = re.compile(
    r"\bI,\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}),\s+as\s+(?:the\s+)?([A-Z][\w ]{1,60}?)\s*\(?[,(]"
    r".{0,80}?\bhereby\b.{0,40}?\bfollowing\s+([a-z][a-z ,]{3,60}?)\s*:",
    re.DOTALL,
)


def notice_line(front: str) -> str | None:
    """How the notice tells the public to attend remotely, else whom to contact with questions:
    the first such sentence (≤ 45 words) of the front page."""
    flat = " ".join(front.split())
    found = re.split(r"(?<=[.!?])\s+(?=[A-Z])", flat)
    remote = [s for s in found if _REMOTE.search(s)]
    contact = [s for s in found if _CONTACT.search(s) and _PHONE.search(s)]
    for group in (remote, contact):
        for sentence in group:
            if 6 <= len(sentence.split()) <= 45 and sentence.endswith("."):
                return f"The notice says: {sentence}"
    return None


def signed_statement(texts: list[str]) -> str | None:
    """'I, <Name>, as the <Role> of ..., hereby make the following <kind>:' on a page that belongs
    to no item (an attachment to the agenda) -> 'The papers attach a <kind> by <Name> (<Role>).'"""
    for text in texts:
        found = _SIGNER.search(text)
        if found:
            name, role, kind = (" ".join(g.split()) for g in found.groups())
            return f"The papers attach a {kind} by {name} ({role})."
    return None

"""What minutes record and what motions say of themselves: motions, votes, outcomes, proposers.

Minutes: each "X moved to ... Y seconded the motion." with the vote and outcome after it ("Yeas: 7
Nays: 0 Absent: 2 Abstentions: 0", "Motion carried.") becomes one decision, in the past tense, naming
mover and seconder. Motions and amendments: each "Proposer: X Seconder: Y" form (or "Proposed by X
Seconded by Y") with the amendment's name and purpose; the outcome comes from the pack's own words
("considered and debated but not agreed by the Council"), never assumed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarise.models.meeting import Page
from summarise.models.summary import Person

_TITLE = (
    r"(?:Councilor|Councillor|Cllr\.?|Commissioner|Alderman|Member|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?"
    r"|Chair|Vice-Chair|Mayor)"
)
_WORD = r"[A-Z][\w’'‐]*(?:[-‐]\s*[A-Z][\w’'‐]*)?"
_NAME = rf"(?:{_TITLE}[ \t]+)?{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
_MOTION = re.compile(
    rf"(?P<mover>{_TITLE}\s+{_WORD}(?:\s+{_WORD})?)\s+moved\s+(?P<what>.+?)\.\s+"
    rf"(?P<seconder>{_TITLE}\s+{_WORD}(?:\s+{_WORD})?)\s+seconded",
    re.DOTALL,
)
_VOTES = re.compile(
    r"Yeas?\s*:\s*(?P<yeas>\d+)\s+Nays?\s*:\s*(?P<nays>\d+)(?:\s+Absent\s*:\s*(?P<absent>\d+))?"
    r"(?:\s+Abstentions?\s*:\s*(?P<abstain>\d+))?",
    re.IGNORECASE,
)
_RESULT = re.compile(r"\bMotion\s+(?P<result>carried|failed|lost|passed|defeated)\b", re.IGNORECASE)
_FORM = re.compile(
    rf"Proposer\s*:\s*(?P<proposer>{_NAME}(?:,\s*[A-Z]{{2,4}})?)\s+Seconder\s*:\s*(?P<seconder>{_NAME}(?:,\s*[A-Z]{{2,4}})?)"
    rf"|Proposed\s+by\s+(?P<proposer2>{_NAME})\s+Seconded\s+by\s+(?P<seconder2>{_NAME})"
)
_NOT_AGREED = re.compile(
    r"[^.]*\b(?:not\s+agreed|were\s+lost|was\s+lost|defeated|fell)\b[^.]*\.", re.IGNORECASE
)


@dataclass(frozen=True)
class Outcome:
    """One motion and what became of it, as the pages record it."""

    text: str
    pages: tuple[int, ...]
    people: tuple[Person, ...]


def _flat(text: str) -> str:
    return re.sub(r"([A-Za-z])[-‐]\s+([A-Z])", r"\1-\2", " ".join(text.split()))


def _joined(pages: Sequence[Page]) -> tuple[str, list[tuple[int, int]]]:
    text, marks = "", []
    for page in pages:
        marks.append((len(text), page.number))
        text += page.text + "\n"
    return text, marks


def _pages_of(marks: list[tuple[int, int]], start: int, end: int) -> tuple[int, ...]:
    first = max((n for at, n in marks if at <= start), default=marks[0][1])
    return tuple(n for at, n in marks if n == first or start < at < end)


def minutes_outcomes(pages: Sequence[Page]) -> list[Outcome]:
    """Each recorded motion: who moved and seconded it, the vote and whether it carried."""
    text, marks = _joined(pages)
    motions = list(_MOTION.finditer(text))
    out = []
    for k, m in enumerate(motions):
        stop = motions[k + 1].start() if k + 1 < len(motions) else len(text)
        after = text[m.end() : stop]
        votes, result = _VOTES.search(after), _RESULT.search(after)
        mover, seconder, what = _flat(m["mover"]), _flat(m["seconder"]), _flat(m["what"])
        line = f"{mover} moved {what}; {seconder} seconded."
        end = m.end()
        if result:
            line += f" The motion {result['result'].lower()}"
            end = m.end() + result.end()
            if votes:
                line += f" by {votes['yeas']} votes to {votes['nays']}"
                if votes["abstain"] not in (None, "0"):
                    line += f", with {votes['abstain']} abstaining"
                if votes["absent"] not in (None, "0"):
                    line += f" ({votes['absent']} absent)"
            line += "."
        people = (Person(name=mover, part="proposer"), Person(name=seconder, part="seconder"))
        out.append(Outcome(text=line, pages=_pages_of(marks, m.start(), end), people=people))
    return out


_PRESENTED = re.compile(rf"(?P<name>{_NAME})[ \t]+presented[ \t]+the[ \t]+(?P<what>report|item|update)")


def minutes_presenters(pages: Sequence[Page]) -> list[Person]:
    """Who the minutes say presented a report ("Linda Jenkins presented the report.")."""
    return [
        Person(name=_flat(m["name"]), part="presenter")
        for page in pages
        for m in _PRESENTED.finditer(page.text)
    ]


_SPEAKERS = re.compile(r"^[ \t]*Public\s+Comments?\s*:[ \t]*\n(?P<lines>(?:[ \t]*\S.*\n?)+)", re.MULTILINE)
_SPEAKER = re.compile(
    rf"^[ \t]*(?P<name>{_NAME}(?:,?[ \t]+(?:Jr|Sr|II|III)\.?)?)[ \t]+[–—-][ \t]+"
    r"(?P<on>[^\n]{1,120}?)\.?[ \t]*$"
)


def public_speakers(pages: Sequence[Page]) -> list[Outcome]:
    """Each "Public Comments:" block of minutes ("John Huffines – 2.a – 2.b."): who spoke, on what."""
    text, marks = _joined(pages)
    out = []
    for block in _SPEAKERS.finditer(text):
        said = [m for line in block["lines"].splitlines() if (m := _SPEAKER.match(line))]
        if not said:
            continue
        names = [f"{_flat(m['name'])} on {_flat(m['on'])}" for m in said]
        line = f"Public comments were made by {_listing(names)}."
        people = tuple(Person(name=_flat(m["name"]), part="speaker") for m in said)
        out.append(Outcome(text=line, pages=_pages_of(marks, block.start(), block.end()), people=people))
    return out


def _listing(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{'; '.join(parts[:-1])} and {parts[-1]}"


def proposals(pages: Sequence[Page]) -> list[Outcome]:
    """Each amendment or motion form: its name, proposer and seconder, and its stated purpose."""
    text, marks = _joined(pages)
    out: list[Outcome] = []
    forms = list(_FORM.finditer(text))
    for k, m in enumerate(forms):
        proposer = _flat(m["proposer"] or m["proposer2"] or "")
        seconder = _flat(m["seconder"] or m["seconder2"] or "")
        name = _amendment_name(text[max(0, m.start() - 400) : m.start()])
        if out and name == "The amendment" and {p.name for p in out[-1].people} == {proposer, seconder}:
            continue  # the same proposal's covering report
        stop = forms[k + 1].start() if k + 1 < len(forms) else len(text)
        purpose = _purpose(text[m.end() : min(stop, m.end() + 1200)])
        line = f"{name}, proposed by {proposer} and seconded by {seconder}"
        line += f": {purpose}" if purpose else "."
        end = m.end()
        amount = _AMOUNT.search(text, m.end(), min(stop, m.end() + 3000))
        if amount:
            line += f" The amount proposed is {amount['amount'].strip()}."
            end = amount.end()
        people = (Person(name=proposer, part="proposer"), Person(name=seconder, part="seconder"))
        out.append(Outcome(text=line, pages=_pages_of(marks, m.start(), end), people=people))
    return out


_AMOUNT = re.compile(
    r"Proposed\s+Amount[^£$€\n]*\n?\s*(?P<amount>[£$€][\d,.]*\d(?:\s?(?:m|k|bn|million|billion)\b)?)"
)


def _amendment_name(before: str) -> str:
    named = re.findall(r"Name\s*:\s*\n?(.+)", before)
    number = re.findall(r"Number\s*:\s*(\d+)", before)
    if named and named[-1].strip():
        label = _flat(named[-1])
        return f"Amendment {number[-1]} ({label})" if number else label
    return f"Amendment {number[-1]}" if number else "The amendment"


def _purpose(after: str) -> str:
    found = re.search(r"Proposed\s+Purpose\s*:\s*(.+?)(?:\n\s*\n|Proposed\s+Amount|$)", after, re.DOTALL)
    if not found:
        return ""
    purpose = re.split(r"(?<=[.!?])\s+(?=[A-Z])", _flat(found.group(1)))[0]
    return purpose if purpose.endswith((".", "!", "?")) else purpose + "."


def stated_outcome(pages: Sequence[Page]) -> tuple[str, int] | None:
    """A covering letter's own word on what became of the proposals ("... not agreed ..."), and its page."""
    for page in pages:
        found = _NOT_AGREED.search(page.text)
        if found:
            return _flat(found.group(0)), page.number
    return None


_GROUP = re.compile(
    r"\b((?:Labour|Conservative|Liberal\s+Democrat|Green|Reform(?:\s+UK)?|Independent)s?(?:\s+and\s+\w+)?"
    r"(?:\s+Group)?)\b"
)


def first_person(text: str) -> bool:
    """Whether the sentence speaks for its author ("we propose", "our residents")."""
    return bool(re.search(r"\b(?:We|Our|Us|I|My)\b|\b(?:we|our|us|my)\b", text))


def group_of(title: str) -> str | None:
    """'1 - Annex 1 - Labour Group Budget ...' -> 'the Labour Group'; None when no party is named."""
    found = _GROUP.search(title)
    if not found:
        return None
    name = " ".join(found.group(1).split())
    return f"the {name}" if "Group" in name else f"the {name} group"


def attributed(text: str, source: str) -> str:
    """``text`` put in ``source``'s mouth: 'The Labour Group's amendment says: “...”'."""
    quote = text.strip().replace("“", "‘").replace("”", "’")
    return f"{source[:1].upper()}{source[1:]} says: “{quote}”"


_QUESTION = re.compile(
    rf"Question\s*(?:No\.?\s*)?(?:\d+\s*)?[:.–-]?\s*(?:from|by|asked\s+by)\s+(?P<asker>{_NAME})"
    r"\s+to\s+(?:the\s+)?(?P<to>[^\n:]{3,90}?)\s*(?::|\n)",
)
_ANSWER = re.compile(r"\b(?:Answer|Reply|Response)\b[^\n:]{0,80}:?", re.IGNORECASE)


def _first_sentence(text: str) -> str:
    flat = _flat(text)
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", flat)[0] if flat else ""
    return first if len(first.split()) >= 4 else ""


def questions(pages: Sequence[Page]) -> list[Outcome]:
    """Each question: who asked whom, what was asked and the first sentence of the reply, each in
    its speaker's mouth."""
    text, marks = _joined(pages)
    found = list(_QUESTION.finditer(text))
    out = []
    for k, m in enumerate(found):
        stop = found[k + 1].start() if k + 1 < len(found) else len(text)
        body = text[m.end() : stop]
        answer = _ANSWER.search(body)
        asked = _first_sentence(body[: answer.start()] if answer else body)
        replied = _first_sentence(body[answer.end() :]) if answer else ""
        asker, to = _flat(m["asker"]), _flat(m["to"]).rstrip(".,;")
        line = f"{asker} asked the {to}" if not to.lower().startswith("the ") else f"{asker} asked {to}"
        line += f": “{asked}”" if asked else "."
        if replied:
            line += f" The reply: “{replied}”"
        people = (Person(name=asker, part="questioner"), Person(name=to, part="answerer"))
        out.append(Outcome(text=line, pages=_pages_of(marks, m.start(), stop), people=people))
    return out

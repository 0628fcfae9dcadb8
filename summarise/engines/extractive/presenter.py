"""Who presents an item: name and role from the report's own "From:"/"By:"/"Author:" block.

The presenter comes from "From:", "Report from:", "By:", "Author:", "Report
Author", "Cabinet Member:" or "Presented by:" lines on the item's first pages:
the first fragment there that reads as a person's name (not a post such as
"Corporate Director Growth"), with the fragments after it (or before it, or in
brackets) as the role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from summarise.models.meeting import Page
from summarise.models.summary import Person, Presenter
from summarise.text.sentences import TERMINAL
from summarise.text.vocab import PRESENTER_ROLE_WORDS

_PRESENTER_LABEL = re.compile(
    r"^\s*(?:(?:Report\s+from|From|By|Authors?|Report\s+Authors?|Cabinet\s+Members?|Presented\s+by)\s*:"
    r"|Report\s+Authors?\s*$)\s*",
    re.IGNORECASE,
)
_STOP_LABEL = re.compile(
    r"^\s*(?:To|Subject|Date|Decision|Classification|Key decision|Summary|Electoral|Past Pathway|Contact)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Prof)\.?\s+)?[A-Z][a-z’'\-]+(?:\s+[A-Z]\.?)*"
    r"(?:\s+(?:[A-Z][a-z’'\-]+|Mc[A-Z][a-z]+|O’[A-Z][a-z]+)){1,2}$"
)


def _is_name(text: str) -> bool:
    text = text.strip()
    if not _NAME.match(text):
        return False
    return not any(w.lower().strip(".") in PRESENTER_ROLE_WORDS for w in text.split())


def _presenter_from_block(block: str) -> Presenter | None:
    # fragments with the separator that preceded each
    parts = re.split(r"(\n|,|;)", block)
    frags: list[tuple[str, str]] = []
    sep = ""
    for part in parts:
        if part in {"\n", ",", ";"}:
            sep = part
            continue
        if part.strip():
            frags.append((sep, " ".join(part.split())))
        sep = sep if not part.strip() else ""
    for k, (_, frag) in enumerate(frags):
        inner = re.fullmatch(r"(.+?)\s*\((.+)\)", frag)
        if inner and _is_name(inner.group(1)):
            return Presenter(name=inner.group(1).strip(), role=inner.group(2).strip())
        if not _is_name(frag):
            continue
        if k == 0:
            role_frags: list[tuple[str, str]] = []
            for sep_, f in frags[1:]:
                if _is_name(f) or (sep_ == "\n" and role_frags and TERMINAL.search(role_frags[-1][1])):
                    break
                role_frags.append((sep_, f))
        else:
            role_frags = list(frags[:k])
        role = ""
        for sep_, f in role_frags:
            role += (", " if sep_ in {",", ";"} else " ") + f if role else f
        return Presenter(name=frag, role=role.strip(" ,") or None)
    return None


def _people_from_block(block: str) -> list[Person]:
    """Every name in a "From:" block with its role: "Name, Role" lines, or "Role, Name" lines."""
    frags: list[tuple[str, str]] = []
    sep = ""
    for part in re.split(r"(\n|,|;)", block):
        if part in {"\n", ",", ";"}:
            sep = part
            continue
        if part.strip():
            frags.append((sep, " ".join(part.split())))
            sep = ""
    names = [k for k, (_, f) in enumerate(frags) if _is_name(f)]
    if not names:
        return []
    name_first = names[0] == 0
    people = []
    for pos, k in enumerate(names):
        if name_first:
            stop = names[pos + 1] if pos + 1 < len(names) else len(frags)
            role_frags = frags[k + 1 : stop]
        else:
            begin = names[pos - 1] + 1 if pos else 0
            role_frags = frags[begin:k]
        role = ""
        for sep_, f in role_frags:
            role += (", " if sep_ in {",", ";"} else " ") + f if role else f
        people.append(Person(name=frags[k][1], role=role.strip(" ,") or None))
    return people


def _labelled_blocks(pages: Sequence[Page], most_lines: int, *, stop_at_blank: bool) -> Iterator[str]:
    """Each "From:"/"By:"/"Author:" block on the pages, in order: the label's line and what follows,
    up to the next label or stop word (and, with ``stop_at_blank``, a blank line after text)."""
    for page in pages:
        lines = page.text.splitlines()
        for i, line in enumerate(lines):
            label = _PRESENTER_LABEL.match(line)
            if not label:
                continue
            body = [line[label.end() :]]
            for nxt in lines[i + 1 : i + most_lines]:
                if _STOP_LABEL.match(nxt) or _PRESENTER_LABEL.match(nxt):
                    break
                if stop_at_blank and not nxt.strip() and any(b.strip() for b in body):
                    break
                body.append(nxt)
            yield "\n".join(body)


def find_people(pages: Sequence[Page]) -> list[Person]:
    """Everyone on the first "From:"/"By:"/"Author:" block of the given pages, each with their role."""
    for block in _labelled_blocks(pages, 14, stop_at_blank=False):
        people = _people_from_block(block)
        if people:
            return people
    return []


def find_presenter(pages: Sequence[Page]) -> Presenter | None:
    """Name and role from the first "From:"/"By:"/"Author:" block on the given pages."""
    for block in _labelled_blocks(pages, 8, stop_at_blank=True):
        presenter = _presenter_from_block(block)
        if presenter:
            return presenter
    return None

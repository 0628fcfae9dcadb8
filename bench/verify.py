"""Seeded-error benchmark for :mod:`summarise.verify`.

Builds faithful summary text from the real packs in ``../shared/data/packs`` (the offline
engine's extractive summaries, plus sentences sampled from the pages and restated the way
summaries restate figures: "£1,234,567" -> "£1.2m", "5 per cent" -> "5%", "3" -> "three"),
then seeds one error per copy in the ways models get things wrong (a digit changed or
transposed, m <-> bn, a percentage shifted, a year or date moved, a number word changed, a
name swapped for another plausible one, an acronym with one letter altered). It prints

* recall: the share of seeded errors that verification flags (a finding on the altered text);
* false alarms: the share of unperturbed paragraphs with any error or warning.

Deterministic (seeded RNG). Nothing is written to the repository: page text extracted with
pypdf, when ``summarise.load_pack`` cannot read a pack, is cached in the system temp folder.

It also checks the printed minutes of the Kent Cabinet meeting, item by item, against its reports
pack: a human paraphrase, which verbatim sentences cannot stand in for, to show how often the
context rule flags a figure that is in the source.

    python bench/verify.py [--seed 7] [--per-pack 120] [--show 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf

from summarise.engines.extractive import summarise_meeting
from summarise.ingest.pack import load_pack
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page
from summarise.models.summary import ItemSummary, MeetingSummary, Paragraph, Provenance
from summarise.verify import MeetingIndex, verify_summary
from summarise.verify.claims import extract_claims

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "packs"
PACKS = [
    "kent-cabinet-2025-01-30-reports-pack.pdf",
    "kent-council-2025-02-13-budget-amendments.pdf",
    "kent-cabinet-2025-01-30-item7-supplementary.pdf",
    "kent-cabinet-2025-03-13-reports-pack.pdf",
    "cuyahoga-board-of-health-agenda.pdf",
    "illinois-finance-authority-agenda.pdf",
    "tulsa-city-council-minutes-24-1056-2.pdf",
]


# --- loading -----------------------------------------------------------------------------------------


def _pypdf_meeting(path: Path) -> Meeting:
    """Fallback when ingest cannot read the pack: raw pypdf pages, one item for the whole pack."""

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / "summarise-bench-verify" / f"{digest}.json"
    if cache.exists():
        texts = json.loads(cache.read_text())
    else:
        texts = [p.extract_text() or "" for p in pypdf.PdfReader(path).pages]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(texts))
    pages = [Page(number=i + 1, text=t, source=path.name, source_page=i + 1) for i, t in enumerate(texts)]
    item = AgendaItem(number="1", title=path.stem, start_page=1, end_page=len(pages))
    return Meeting(info=MeetingInfo(sources=[path.name]), pages=pages, items=[item])


def load(path: Path) -> Meeting:
    """Ingest's own ``load_pack`` (which keeps its cache outside the repository); raw pypdf pages
    if ingest cannot read the pack."""
    try:
        return load_pack(path)
    except Exception as exc:
        print(f"  load_pack failed ({exc!r}); using pypdf pages", file=sys.stderr)
        return _pypdf_meeting(path)


# --- faithful units -----------------------------------------------------------------------------------


@dataclass
class Unit:
    """One paragraph of summary text, the pages it cites and its item's page range."""

    pack: str
    text: str
    pages: list[int]
    item_range: tuple[int, int]
    origin: str  # "extractive" | "sentence" | "restated"


def _item_of(meeting: Meeting, page: int) -> tuple[int, int]:
    best: tuple[int, int] | None = None
    for item in meeting.items:
        if (
            item.start_page is not None
            and item.end_page is not None
            and item.start_page <= page <= item.end_page
        ):
            span = (item.start_page, item.end_page)
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return best or (1, len(meeting.pages))


def extractive_units(meeting: Meeting, pack: str) -> list[Unit]:
    try:
        summary = summarise_meeting(meeting)
    except Exception as exc:
        print(f"  extractive engine failed on {pack}: {exc!r}", file=sys.stderr)
        return []
    units = []
    for item in summary.items:
        rng = (item.start_page or 1, item.end_page or len(meeting.pages))
        for cited in [*item.paragraphs, *item.key_points]:
            text = re.sub(r"\[\^\d+\]", "", cited.text)
            if cited.pages and len(text.split()) >= 5:
                units.append(Unit(pack, text, list(cited.pages), rng, "extractive"))
    return units


_PROSE_WORD = re.compile(r"[A-Za-z]{2,}")


def sentence_units(meeting: Meeting, pack: str, rng: random.Random, limit: int) -> list[Unit]:
    """Prose sentences straight from the pages (own splitter: independent of the engine)."""
    found: list[Unit] = []
    for page in meeting.pages:
        # a lone number on the first or last line is the page number, not part of a sentence
        text = re.sub(r"^\s*\d{1,4}\s*\n|\n\s*\d{1,4}\s*$", "\n", page.text.strip())
        text = re.sub(r"\s*\n\s*", " ", text)
        for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z£$])", text):
            words = sent.split()
            if not 10 <= len(words) <= 55 or not sent.rstrip().endswith((".", "!", "?")):
                continue
            if len(_PROSE_WORD.findall(sent)) < 0.6 * len(words) or "@" in sent or "http" in sent:
                continue
            found.append(Unit(pack, sent.strip(), [page.number], _item_of(meeting, page.number), "sentence"))
    rng.shuffle(found)
    return found[:limit]


# --- restating without changing meaning ---------------------------------------------------------------

_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def _money_restate(m: re.Match[str], rng: random.Random) -> str:
    cur, num = m["cur"], m["num"].replace(",", "")
    value = float(num)
    if value >= 1_000_000 and "." not in num:
        if value >= 1e9:
            digits = rng.choice([1, 2])
            return f"{cur}{round(value / 1e9, digits):.{digits}f}bn"
        digits = rng.choice([1, 2])
        return f"{cur}{round(value / 1e6, digits):.{digits}f}m"
    if value >= 10_000 and "." not in num and rng.random() < 0.5:
        return f"{cur}{round(value / 1e3):,}k"
    return m[0]


def restate(text: str, rng: random.Random) -> str:
    """Value-preserving rewrites that summaries make."""
    text = re.sub(
        r"(?P<cur>[£$])(?P<num>\d{1,3}(?:,\d{3}){2,})(?![\d.,]\d)", lambda m: _money_restate(m, rng), text
    )
    text = (
        re.sub(r"(\d) per cent\b", r"\1%", text)
        if rng.random() < 0.5
        else re.sub(r"(\d)%", r"\1 per cent", text)
    )
    text = re.sub(
        r"\b(\d{1,2})(?:st|nd|rd|th)\s+(January|February|March|April|May|June|July|August|September|October|"
        r"November|December)",
        r"\1 \2",
        text,
    )
    text = re.sub(r"\b(20\d\d)-(\d\d)\b", r"\1/\2", text) if rng.random() < 0.3 else text
    text = re.sub(
        r"(?<![\w.,£$/-])([2-9])"
        r"(?= (?:schools|people|children|properties|members|items|years|months|weeks|days))",
        lambda m: _WORDS[int(m[1])],
        text,
    )
    text = re.sub(r"£(\d+(?:\.\d+)?) million\b", r"£\1m", text)
    return text


# --- seeding errors ---------------------------------------------------------------------------------


@dataclass
class Seeded:
    unit: Unit
    text: str
    kind: str  # perturbation type
    new: str  # the altered token, as it now reads
    span: tuple[int, int]


_MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905
_NUMWORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty"]
_TARGETS: dict[str, re.Pattern[str]] = {
    "money": re.compile(r"[£$]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:m|bn|k|million|billion)\b)?"),
    "percent": re.compile(r"\b\d+(?:\.\d+)?(?:%| per cent\b)"),
    "year": re.compile(r"\b20[0-3]\d(?:[-/]\d\d)?\b(?![-/]\d)"),
    "date": re.compile(r"\b\d{1,2}(?:st|nd|rd|th)? (?:" + "|".join(_MONTHS) + r")\b"),
    "count": re.compile(r"(?<![\w£$.,/-])\d{2,}(?:,\d{3})*(?![\w%.,/-]|\.\d| per cent)"),
    "numword": re.compile(r"\b(?:" + "|".join(_NUMWORDS) + r")\b"),
    "acronym": re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])"),
    "name": re.compile(
        r"(?<=[a-z,] )(?:(?:Mr|Mrs|Ms|Dr|Cllr|Councillor) )?[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b"
    ),
}
_SCALE_SWAP = {"m": "bn", "bn": "m", "k": "m", "million": "billion", "billion": "million"}


def _change_digit(token: str, rng: random.Random) -> str | None:
    positions = [i for i, c in enumerate(token) if c.isdigit()]
    if not positions:
        return None
    if len(positions) >= 2 and rng.random() < 0.3:  # transposition
        pairs = [(a, b) for a, b in itertools.pairwise(positions) if b == a + 1 and token[a] != token[b]]
        if pairs:
            a, b = rng.choice(pairs)
            return token[:a] + token[b] + token[a] + token[b + 1 :]
    i = rng.choice(positions)
    choices = [d for d in "0123456789" if d != token[i] and not (d == "0" and i == positions[0])]
    return token[:i] + rng.choice(choices) + token[i + 1 :]


def _perturb_money(tok: str, rng: random.Random) -> tuple[str, str] | None:
    m = re.search(r"(\s?)(m|bn|k|million|billion)$", tok)
    if m and rng.random() < 0.4:
        return tok[: m.start(2)] + _SCALE_SWAP[m[2]], "money-scale"
    new = _change_digit(tok, rng)
    return (new, "money-digit") if new else None


def _perturb_percent(tok: str, rng: random.Random) -> tuple[str, str] | None:
    m = re.match(r"\d+(?:\.\d+)?", tok)
    assert m
    num = m[0]
    value = float(num)
    decimals = len(num.split(".")[1]) if "." in num else 0
    if rng.random() < 0.3 and value >= 1:
        new_value = value / 10 if rng.random() < 0.5 else value * 10
        text = f"{new_value:.{decimals + 1 if new_value < value else decimals}f}"
    else:
        step = rng.choice([1, 2, 3, 5, 10]) * (10**-decimals)
        new_value = value + step if rng.random() < 0.5 or value - step <= 0 else value - step
        text = f"{new_value:.{decimals}f}"
    return (text + tok[len(num) :], "percent-shift") if text != num else None


def _perturb_year(tok: str, rng: random.Random) -> tuple[str, str] | None:
    shift = rng.choice([-2, -1, 1, 2])
    m = re.match(r"(\d{4})(?:([-/])(\d\d))?$", tok)
    assert m
    y = int(m[1]) + shift
    if m[2]:
        return f"{y}{m[2]}{(int(m[3]) + shift) % 100:02d}", "year-swap"
    return str(y), "year-swap"


def _perturb_date(tok: str, rng: random.Random) -> tuple[str, str] | None:
    m = re.match(r"(\d{1,2})((?:st|nd|rd|th)?) (\w+)", tok)
    assert m
    if rng.random() < 0.5:
        day = int(m[1])
        new = day + rng.choice([-3, -2, -1, 1, 2, 3])
        if not 1 <= new <= 28:
            new = day + 1 if day < 28 else day - 1
        suffix = (
            ""
            if not m[2]
            else "th"
            if 4 <= new % 100 <= 20
            else {1: "st", 2: "nd", 3: "rd"}.get(new % 10, "th")
        )
        return f"{new}{suffix} {m[3]}", "date-day"
    month = rng.choice([x for x in _MONTHS if x != m[3]])
    return f"{m[1]}{m[2]} {month}", "date-month"


def _perturb_count(tok: str, rng: random.Random) -> tuple[str, str] | None:
    new = _change_digit(tok, rng)
    return (new, "count-digit") if new else None


def _perturb_numword(tok: str, rng: random.Random) -> tuple[str, str] | None:
    return rng.choice([w for w in _NUMWORDS if w != tok.lower()]), "number-word"


def _perturb_acronym(tok: str, rng: random.Random) -> tuple[str, str] | None:
    i = rng.randrange(len(tok))
    letter = rng.choice([c for c in "ABCDEFGHIJKLMNOPRSTUVW" if c != tok[i]])
    return tok[:i] + letter + tok[i + 1 :], "acronym-letter"


@dataclass
class NamePool:
    by_pack: dict[str, list[str]]  # proper words seen in capitalised runs, per pack

    def other(self, pack: str, avoid: str, rng: random.Random, same_pack: bool) -> str:
        pool = (
            self.by_pack[pack]
            if same_pack
            else [w for p, ws in self.by_pack.items() if p != pack for w in ws]
        )
        pool = [w for w in pool if w != avoid]
        return rng.choice(pool) if pool else "Smith"


def _perturb_name(tok: str, rng: random.Random, pool: NamePool, pack: str) -> tuple[str, str] | None:
    words = tok.split()
    titles = {"Mr", "Mrs", "Ms", "Dr", "Cllr", "Councillor"}
    idx = [i for i, w in enumerate(words) if w not in titles]
    i = idx[-1] if rng.random() < 0.6 else idx[0]
    same = rng.random() < 0.5
    words[i] = pool.other(pack, words[i], rng, same_pack=same)
    return " ".join(words), "name-same-pack" if same else "name-other-pack"


def seed_errors(units: list[Unit], rng: random.Random, pool: NamePool) -> list[Seeded]:
    perturbers: dict[str, Callable[[str, random.Random], tuple[str, str] | None]] = {
        "money": _perturb_money,
        "percent": _perturb_percent,
        "year": _perturb_year,
        "date": _perturb_date,
        "count": _perturb_count,
        "numword": _perturb_numword,
        "acronym": _perturb_acronym,
        "name": lambda tok, r: None,
    }
    out: list[Seeded] = []
    for unit in units:
        options: list[tuple[str, re.Match[str]]] = []
        taken: list[tuple[int, int]] = []
        for kind, rx in _TARGETS.items():
            for m in rx.finditer(unit.text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                options.append((kind, m))
        if not options:
            continue
        by_kind: dict[str, list[re.Match[str]]] = defaultdict(list)
        for kind, m in options:
            by_kind[kind].append(m)
        for kind in rng.sample(sorted(by_kind), k=min(2, len(by_kind))):
            m = rng.choice(by_kind[kind])
            tok = m[0]
            if kind == "name":
                result = _perturb_name(tok, rng, pool, unit.pack)
            else:
                result = perturbers[kind](tok, rng)
            if result is None or result[0] == tok:
                continue
            new, label = result
            text = unit.text[: m.start()] + new + unit.text[m.end() :]
            out.append(Seeded(unit, text, label, new, (m.start(), m.start() + len(new))))
    return out


def name_pool(meetings: dict[str, Meeting]) -> NamePool:
    pool: dict[str, list[str]] = {}
    for pack, meeting in meetings.items():
        text = " ".join(p.text for p in meeting.pages[:60])
        lower = {w.lower() for w in re.findall(r"\b[a-z][a-z]+\b", text)}
        runs = re.findall(r"\b[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})+\b", text)
        calendar = {m.lower() for m in _MONTHS} | {"monday", "tuesday", "wednesday", "thursday", "friday"}
        words = Counter(w for r in runs for w in r.split() if w.lower() not in lower | calendar)
        pool[pack] = sorted(w for w, _ in words.most_common(200))
    return NamePool(pool)


# --- a human paraphrase: the printed minutes against the reports pack ------------------------------------

MINUTES = DATA.parent / "reference" / "kent-cabinet-2025-01-30-printed-minutes.pdf"
REPORTS = "kent-cabinet-2025-01-30-reports-pack.pdf"


def minutes_check(meeting: Meeting, index: MeetingIndex) -> None:
    """Minutes restate the reports in other words: a check on the context rule and on number
    normalisation that verbatim sentences cannot give. Each minute names its agenda item
    ("(Item 5)"); its sentences are checked, without citations, against that item's pages. A
    figure not in the reports may well have been said at the meeting, so "not found" is not a
    false alarm as such; a context warning on a figure whose value *is* in the item is the risk.
    """

    if not MINUTES.exists():
        return
    text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(MINUTES).pages)
    parts = re.split(r"\(Item (\d+)\)", text)
    texts: list[tuple[str, list[int], tuple[int, int]]] = []
    for number, segment in zip(parts[1::2], parts[2::2], strict=False):
        item = next((i for i in meeting.items if i.number == number), None)
        if item is None or item.start_page is None or item.end_page is None:
            continue
        segment = re.sub(r"\s*\n\s*", " ", segment)
        segment = re.split(r"\s\d{2,3}\.\s+\S", segment)[0]  # stop at the next minute's heading
        for sentence in re.split(r"(?<=[.;:])\s+(?=[A-Z(•-])", segment):
            if len(sentence.split()) >= 5:
                texts.append((sentence, [], (item.start_page, item.end_page)))
    result = verify_summary(_summary(meeting, texts), meeting, index=index)
    figures = sum(1 for t, _, _ in texts for f in extract_claims(t) if f.kind == "figure")
    missing = [f for f in result.findings if f.kind == "figure" and f.severity == "error"]
    context = [f for f in result.findings if f.kind == "figure" and f.severity == "warning"]
    present = figures - len(missing)
    print()
    print("Human paraphrase: printed minutes, item by item, against the reports pack (no citations)")
    print(f"  {len(texts)} sentences, {figures} figures: {present} found in the item's pages,")
    print(f"  {len(context)} of those flagged by the context rule ({len(context) / max(1, present):.3f}),")
    print(f"  {len(missing)} not in the item's pages (said at the meeting, or elsewhere in the pack)")


# --- running verification ------------------------------------------------------------------------------


def _summary(meeting: Meeting, texts: list[tuple[str, list[int], tuple[int, int]]]) -> MeetingSummary:

    items = [
        ItemSummary(
            number=f"u{i}",
            title="bench",
            start_page=rng[0],
            end_page=rng[1],
            paragraphs=[Paragraph(text=text, pages=pages)],
        )
        for i, (text, pages, rng) in enumerate(texts)
    ]
    return MeetingSummary(
        meeting=meeting.info,
        synopsis="",
        items=items,
        provenance=Provenance(
            engine="bench", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-pack", type=int, default=150, help="source sentences sampled per pack")
    ap.add_argument("--show", type=int, default=0, help="print this many misses and false alarms")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"../shared/data not present ({DATA}); nothing to measure", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    meetings: dict[str, Meeting] = {}
    units: list[Unit] = []
    t0 = time.perf_counter()
    for pack in PACKS:
        path = DATA / pack
        if not path.exists():
            continue
        meeting = load(path)
        meetings[pack] = meeting
        ex = extractive_units(meeting, pack)
        sents = sentence_units(meeting, pack, rng, args.per_pack)
        restated = [Unit(u.pack, restate(u.text, rng), u.pages, u.item_range, "restated") for u in sents[::2]]
        units += ex + sents[1::2] + restated
    load_time = time.perf_counter() - t0
    pool = name_pool(meetings)
    seeded = seed_errors(units, rng, pool)

    t1 = time.perf_counter()
    indexes = {pack: MeetingIndex(m) for pack, m in meetings.items()}
    clean_flags: dict[str, list[bool]] = {}
    checked_claims = 0
    flagged_claims = 0
    false_alarms: list[tuple[Unit, list[str]]] = []
    clean_by_origin: Counter[str] = Counter()
    fa_by_origin: Counter[str] = Counter()
    for pack, meeting in meetings.items():
        mine = [u for u in units if u.pack == pack]
        result = verify_summary(
            _summary(meeting, [(u.text, u.pages, u.item_range) for u in mine]), meeting, index=indexes[pack]
        )
        checked_claims += result.checked
        bad: dict[str, list[str]] = defaultdict(list)
        for f in result.findings:
            if f.severity in ("error", "warning"):
                bad[f.item or ""].append(f"{f.kind}/{f.severity}: {f.text!r} ({f.message})")
                flagged_claims += 1
        flags = []
        for i, u in enumerate(mine):
            clean_by_origin[u.origin] += 1
            hit = f"u{i}" in bad
            flags.append(hit)
            if hit:
                fa_by_origin[u.origin] += 1
                false_alarms.append((u, bad[f"u{i}"]))
        clean_flags[pack] = flags

    detected = Counter[str]()
    detected_strict = Counter[str]()
    totals = Counter[str]()
    collide = Counter[str]()
    collide_detected = Counter[str]()
    misses: list[tuple[Seeded, list[str]]] = []
    for pack, meeting in meetings.items():
        mine = [s for s in seeded if s.unit.pack == pack]
        result = verify_summary(
            _summary(meeting, [(s.text, s.unit.pages, s.unit.item_range) for s in mine]),
            meeting,
            index=indexes[pack],
        )
        by_item: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for f in result.findings:
            if f.severity in ("error", "warning"):
                by_item[f.item or ""].append((f.kind, f.text, f.severity))
        for i, s in enumerate(mine):
            totals[s.kind] += 1
            near = re.sub(r"\s+", " ", " ".join(meeting.pages[n - 1].text for n in s.unit.pages)).lower()
            collided = s.new.lower() in near
            collide[s.kind] += collided
            new_words = set(re.findall(r"\w+", s.new.lower()))
            hits = [
                (k, t, sev)
                for k, t, sev in by_item[f"u{i}"]
                if new_words & set(re.findall(r"\w+", t.lower())) or t.lower() in s.new.lower()
            ]
            if hits:
                detected[s.kind] += 1
                collide_detected[s.kind] += collided
                if any(sev == "error" for _, _, sev in hits):
                    detected_strict[s.kind] += 1
            else:
                misses.append((s, [f"{k}: {t!r}" for k, t, _ in by_item[f"u{i}"]]))
    verify_time = time.perf_counter() - t1

    n_units = sum(clean_by_origin.values())
    n_fa = sum(fa_by_origin.values())
    n_seed = sum(totals.values())
    n_det = sum(detected.values())
    figure_kinds = [k for k in totals if not k.startswith(("name", "acronym"))]
    fig_total = sum(totals[k] for k in figure_kinds)
    fig_err = sum(detected_strict[k] for k in figure_kinds)
    n_coll = sum(collide.values())
    n_coll_det = sum(collide_detected.values())
    print(f"packs: {len(meetings)}; load {load_time:.1f}s; verification {verify_time:.1f}s; seed {args.seed}")
    print()
    print(f"{'seeded error':<18}{'n':>6}{'flagged':>9}{'recall':>8}{'errors':>8}{'on page':>9}")
    for kind in sorted(totals):
        print(
            f"{kind:<18}{totals[kind]:>6}{detected[kind]:>9}{detected[kind] / totals[kind]:>8.3f}"
            f"{detected_strict[kind] / totals[kind]:>8.3f}{collide[kind]:>9}"
        )
    print()
    print(f"RECALL of perturbed claims: {n_det}/{n_seed} = {n_det / max(1, n_seed):.3f}")
    print(
        "  seeded figure errors flagged as errors (what `--strict` acts on; names and acronyms are"
        f" warnings by design): {fig_err}/{fig_total} = {fig_err / max(1, fig_total):.3f}"
    )
    print(
        f"  {n_coll} seeded values also appear verbatim on the cited pages (undetectable by presence);"
        f" recall without them: {(n_det - n_coll_det)}/{n_seed - n_coll}"
        f" = {(n_det - n_coll_det) / max(1, n_seed - n_coll):.3f}"
    )
    print(f"FALSE ALARMS on unperturbed paragraphs: {n_fa}/{n_units} = {n_fa / max(1, n_units):.3f}")
    for origin in sorted(clean_by_origin):
        print(f"  {origin:<11} {fa_by_origin[origin]}/{clean_by_origin[origin]}")
    print(f"  per claim: {flagged_claims}/{checked_claims} = {flagged_claims / max(1, checked_claims):.4f}")
    if REPORTS in meetings:
        minutes_check(meetings[REPORTS], indexes[REPORTS])
    if args.show:
        print("\n--- misses")
        for s, other in misses[: args.show]:
            print(f"[{s.kind}] {s.new!r} p{s.unit.pages}: {s.text[:200]!r} other={other}")
        print("\n--- false alarms")
        for u, why in false_alarms[: args.show]:
            print(f"[{u.origin}] p{u.pages}: {u.text[:200]!r}\n    {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

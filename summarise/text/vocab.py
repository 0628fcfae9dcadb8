"""Shared vocabulary: stopwords, stemming, month names, titles and roles, acronyms, footnote
markers and page furniture, each defined once and imported from here.

Where two stages need different lists, both are here under names that say whose they are, with
what merging them was measured to change; everything else has one definition.
"""

from __future__ import annotations

import functools
import re

# --- stopwords ---------------------------------------------------------------------------------------
#
# Two lists, kept apart because merging them changes output. Measured on the snapshot outputs
# (bench/snapshot_outputs.py: 9 packs, each by both engines, 18 outputs; the fake model server
# drafts from the offline engine, so ranking reaches its outputs too) and bench/verify.py:
#
# * RANKING_STOPWORDS, the offline engine's: a sentence needs two of them to read as prose
#   (engines.extractive.prose), and they are left out of the terms that rank sentences
#   (engines.extractive.rank).
# * EVIDENCE_STOPWORDS, verification's: never the telling context of a figure
#   (verify.evidence.content_stems), never enough on their own to make a capitalised run a name
#   (verify.claims, verify.matching), not counted in a footnote's support (verify.checks). It adds
#   words that open summary sentences ("However", "Additionally", "Following", "First", "New").
#
# The union for both (or EVIDENCE_STOPWORDS for both) changes the offline summaries: 3 of the 18
# outputs (Kent Cabinet 30 January 2025 item 6, and its model-engine output; Kent Council
# 13 February 2025 item 6), and bench/verify.py's recall 833/865 -> 830/865 (its summaries change).
# RANKING_STOPWORDS for both changes verification: one more claim checked in 1 of the 18 outputs
# (Illinois Finance Authority, model engine, 81 -> 82). (Verification alone taking the union changes
# nothing, but leaves two lists all the same.)
RANKING_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just may
    me might more most must my no nor not now of off on once only or other our ours out over own
    per same shall she should so some such than that the their theirs them then there these they
    this those through thus to too under until up upon very via was we were what when where which
    while who whom why will with within without would yet you your""".split()  # noqa: SIM905
)
EVIDENCE_STOPWORDS = frozenset(
    """a about above after again against all also although an and any are as at be because been
    before being below between both but by can could did do does doing down during each either
    every few following for from further had has have having he her here hers him his how however
    i if in including into is it its itself last many may more most much must my next no nor not
    now of off on once only or other our out over overall own per same she should since so some
    such than that the their theirs them then there these they this those through to too under
    until up upon very was we were what when where whether which while who whom why will with
    within without would yet you your meanwhile additionally finally first second third new""".split()  # noqa: SIM905
)

# --- stemming ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem of a lower-case word: "policies" -> "policy", "agreed" -> "agre", "uses" -> "uses".

    The offline engine's TF-IDF terms and verification's content words (the words beside a figure,
    a footnote's support) both use it. Verification had its own ("-ies", "-es", "-s", "-ing", "-ed",
    leaving three letters: "policies" -> "polic"); it is applied to the summary and the page alike,
    and this one in its place changed no snapshot output, no bench/verify.py figure and no test.
    The other way round (verification's for ranking) changes 3 of the 18 snapshot outputs.
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


# --- months and days ---------------------------------------------------------------------------------

# Month names and abbreviations, lower case -> month number (ingest.frontsheet looks up the first
# three letters of a name it matched; text.figures the whole name or abbreviation).
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Calendar words: capitalised, but never a name or a figure's telling context.
MONTH_WORDS = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip

# --- people: titles and roles ------------------------------------------------------------------------

# Titles before a person's name ("Cllr Roger Gough"), lower case.
TITLES = frozenset(
    """mr mrs ms miss dr cllr councillor councilor sir dame lord lady prof professor rev
    mayor""".split()  # noqa: SIM905
)

# Two lists of role words, kept apart because they answer different questions:
#
# * PRESENTER_ROLE_WORDS (engines.extractive.presenter): a fragment of a report's "From:" block
#   with any of these words is a post ("Corporate Director Growth, Environment and Transport"),
#   not a person's name, so it has the services posts are named after and the words joining them.
# * NAME_ROLE_WORDS (verify.matching): roles that may stand before a person's name in a summary
#   ("Council Leader Roger Gough") and pass when the name is on the page.
#
# Their union for both makes "Councillor David Okafor" a post: the sample pack's items 4 to 6 get
# the report author as presenter, with the report's opening paragraph as the role. NAME_ROLE_WORDS
# for both does the same and changes 3 of the 18 snapshot outputs. PRESENTER_ROLE_WORDS for both
# changes no snapshot output or bench/verify.py figure, but is wrong on plain cases: with
# "Commissioner" and "Jane Smith" on the page, "Commissioner Jane Smith" becomes a name warning,
# and "Health Jane Smith" passes.
PRESENTER_ROLE_WORDS = frozenset(
    """leader cabinet member director corporate interim deputy chief executive head officer manager
    council county services service finance health education adult social care children public
    strategy policy committee chair chairman portfolio assistant lead general counsel department
    directorate traded environment transport growth economic development community communities
    people young integrated planning team and for of the""".split()  # noqa: SIM905
)
NAME_ROLE_WORDS = frozenset(
    """leader deputy member members cabinet council councillor councilor chair chairman chairwoman
    chairperson vice director officer head executive chief manager commissioner mayor secretary clerk
    treasurer president minister portfolio holder lead committee board group corporate interim
    acting strategic assistant senior principal""".split()  # noqa: SIM905
)

# --- acronyms ----------------------------------------------------------------------------------------

# An acronym as a token: "KCC", "KPIs", "SEND’s", "A&E", "MTFP". (The model engine and the
# evaluation metrics use a looser ``\b[A-Z][A-Za-z]*[A-Z]s?\b`` of their own.)
ACRONYM = re.compile(r"(?<![\w&-])[A-Z][A-Za-z&]*[A-Z](?:s|'s|’s)?(?![\w&])")


def acronym_base(token: str) -> str:
    """An acronym without its plural or possessive: "KPIs" -> "KPI", "KCC’s" -> "KCC"."""
    for suffix in ("'s", "’s"):
        token = token.removesuffix(suffix)
    if token.endswith("s") and sum(c.isupper() for c in token[:-1]) >= 2:
        token = token[:-1]
    return token


# --- footnote markers --------------------------------------------------------------------------------

# "[^3]" after a defined term in summary text; group 1 is the footnote's number.
FOOTNOTE_MARKER = re.compile(r"\[\^(\d+)\]")

# --- page furniture ----------------------------------------------------------------------------------

# "Page 3 of 12" anywhere: a sentence carrying it is not prose (engines.extractive.prose), and
# evidence text drops it (verify.evidence). The prose test's copy read "Page \d+ of \d+" with single
# spaces: the same on sentence text, whose whitespace is single spaces.
PAGE_OF_PAGES = re.compile(r"\bPage\s+\d+\s+of\s+\d+\b", re.IGNORECASE)
# A line that is only a page footer, "Page 12" or "Page 12 of 80": ingest drops it from the page and
# keeps 12 as the pack's page number unless an "of" follows (group 2: a file's own count), and
# verification drops it again from text ingest did not clean. Verification had its own, wider
# ("Pg. 12" too, and any number of digits); this one in its place changed no snapshot output, no
# bench/verify.py figure and no test.
PAGE_FOOTER = re.compile(r"^\s*page\s+(\d{1,4})(\s+of\s+\d{1,4})?\s*$", re.IGNORECASE | re.MULTILINE)

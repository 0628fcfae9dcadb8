"""People: is a name in the summary a person's, and is that person anywhere in the pack?

A person named in the summary who appears nowhere in the pack is an invention (an error); one
named in the pack but not on the cited pages stays a warning (:mod:`~summarise.verify.checks`).
A capitalised run is taken for a person's name when it starts with a title ("Cllr", "Mr",
"Councillor"), stands right after a role ("Cabinet Member Jo Bloggs", "Chair Jo Bloggs") or
right before a verb people do in meetings ("... seconded", "... asked").
"""

from __future__ import annotations

import re

from summarise.text.vocab import NAME_ROLE_WORDS, TITLES
from summarise.verify.claims import Claim

_PERSON_VERB = re.compile(
    r"^\W*(?:\w+\W+)?(?:said|says|asked|asks|replied|answered|proposed|seconded|moved|presented|"
    r"introduced|explained|reported|stated|noted|confirmed|commented|thanked|welcomed|chaired|"
    r"declared|recused|spoke|announced|adjourned|called)\b",
    re.I,
)


def looks_like_person(claim: Claim, text: str) -> bool:
    """Whether a name claim, found in ``text``, names a person."""
    if claim.kind != "name" or not claim.words:
        return False
    if claim.words[0].lower().rstrip(".") in TITLES:
        return True
    at = text.find(claim.words[0])
    if at < 0:
        return False
    before = re.findall(r"[A-Za-z]+", text[max(0, at - 30) : at])
    if before and (before[-1].lower() in TITLES or before[-1].lower() in NAME_ROLE_WORDS):
        return True
    end = text.find(claim.words[-1], at)
    if end < 0:
        return False
    after = text[end + len(claim.words[-1]) :]
    role = re.match(r"^\s*,\s*([A-Za-z]+)", after)  # "Jo Bloggs, Cabinet Member for ..."
    return bool(_PERSON_VERB.match(after)) or bool(role and role[1].lower() in NAME_ROLE_WORDS)

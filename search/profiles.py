"""Profiles of a speaker or an organisation: who they spoke for, and who spoke for them."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
from whoosh import query as wq

from search.index import ORGANISATION, PEOPLE, SPEAKER
from search.matches import match_index

PROFILE_SCAN = 5000  # paragraphs read for a profile; the counts say when they stopped short


def _docnums(searcher, fieldname: str, value: str) -> np.ndarray:
    """The live paragraphs whose keyword field holds value, in index order."""
    return np.flatnonzero(match_index(searcher).mask(wq.Term(fieldname, value)))


def _people(searcher, docnum: int) -> dict:
    stored = searcher.stored_fields(int(docnum)).get(PEOPLE)
    return json.loads(stored) if stored else {}


def affiliations(searcher, name: str, limit: int = PROFILE_SCAN) -> dict:
    """The organisations a speaker spoke for (their affiliation where they are quoted), with
    the number of their paragraphs for each, most first; `scanned`/`total` state the bound."""
    docnums = _docnums(searcher, SPEAKER, name)
    counts: Counter[str] = Counter()
    for docnum in docnums[:limit]:
        organisation = (_people(searcher, docnum).get(name) or {}).get("organisation")
        if organisation:
            counts[organisation] += 1
    return {"values": counts.most_common(), "scanned": min(limit, len(docnums)),
            "total": len(docnums)}


def spokespeople(searcher, organisation: str, limit: int = PROFILE_SCAN) -> dict:
    """The speakers who spoke for an organisation (it is their affiliation) in the paragraphs
    naming it, with their number of paragraphs and title; `scanned`/`total` state the bound."""
    docnums = _docnums(searcher, ORGANISATION, organisation)
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for docnum in docnums[:limit]:
        for name, person in _people(searcher, docnum).items():
            if (person or {}).get("organisation") == organisation:
                counts[name] += 1
                titles.setdefault(name, person.get("title") or "")
    return {"values": [(name, count, titles.get(name, "")) for name, count in
                       counts.most_common()],
            "scanned": min(limit, len(docnums)), "total": len(docnums)}

"""The fixed, seeded query set, the same for every corpus size and every engine.

Each query is a plain dict, structured so each engine can render it in its own syntax:

    kind           one of KINDS
    q              the docsearch / Whoosh query text (what a user types)
    terms          the words (or the phrase's words) of q
    phrase         whether terms are one phrase
    field          None, "speaker" or "organisation": the text field the terms are restricted to
    speakers, organisations   facet filters (SearchRequest.speakers / .organisations)
    date_from, date_to        date bounds as docsearch takes them (YYYY, YYYY-MM, YYYY-MM-DD)

Words are picked by their rank in the generator's Zipfian vocabulary, log-spaced so the set
covers the frequency range: rank 1 is in almost every paragraph, rank 20000 in a handful.
Speakers and organisations are picked among the generator's most quoted ones, so they occur
at every corpus size.
"""

from __future__ import annotations

import math
import random

from bench.corpus import DEFAULT_SEED, tables

KINDS = ("word", "two_words", "phrase", "field", "speaker_filter", "organisation_filter",
         "date_range")
COUNTS = {"word": 60, "two_words": 40, "phrase": 30, "field": 30, "speaker_filter": 30,
          "organisation_filter": 25, "date_range": 25}  # 240 queries


def _log_rank(rng: random.Random, low: int, high: int) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def _query(kind: str, terms: list[str], *, phrase: bool = False, field: str | None = None,
           speakers: list[str] | None = None, organisations: list[str] | None = None,
           date_from: str | None = None, date_to: str | None = None) -> dict:
    if phrase:
        text = '"' + " ".join(terms) + '"'
    else:
        text = " ".join(terms)
    if field and terms:
        text = f"{field}:{text}"
    return {"kind": kind, "q": text, "terms": terms, "phrase": phrase, "field": field,
            "speakers": speakers or [], "organisations": organisations or [],
            "date_from": date_from, "date_to": date_to}


def _date_bounds(rng: random.Random) -> tuple[str | None, str | None]:
    shape = rng.randrange(4)
    year = rng.randint(2014, 2023)
    if shape == 0:  # one year
        return str(year), str(year)
    if shape == 1:  # a span of years
        end = min(2023, year + rng.randint(1, 4))
        return str(year), str(end)
    if shape == 2:  # a month
        month = f"{year}-{rng.randint(1, 12):02d}"
        return month, month
    return f"{year}-{rng.randint(1, 12):02d}-01", None  # open-ended: since a day


def workload(seed: int = DEFAULT_SEED, words_seed: int = 7) -> list[dict]:
    """The query set: 240 queries in a fixed order (kinds interleaved, as a server sees them)."""
    t = tables(seed)
    rng = random.Random(f"workload:{words_seed}")
    words = t.words

    def word(low: int = 1, high: int = 20_000) -> str:
        return words[_log_rank(rng, low, high) - 1]

    queries: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    # One word across the frequency range, the three broadest always included.
    ranks = [1, 2, 3] + [_log_rank(rng, 1, 20_000) for _ in range(COUNTS["word"] - 3)]
    queries["word"] = [_query("word", [words[r - 1]]) for r in ranks]
    queries["two_words"] = [_query("two_words", [word(), word()])
                            for _ in range(COUNTS["two_words"])]
    queries["phrase"] = [
        _query("phrase", t.phrases[_log_rank(rng, 1, len(t.phrases)) - 1].split(), phrase=True)
        for _ in range(COUNTS["phrase"])]
    top_speakers = t.speakers[:2000]
    for i in range(COUNTS["field"]):
        if i % 3 == 2:  # a distinctive word of an organisation's name
            org = t.organisations[_log_rank(rng, 1, 300) - 1]
            name_words = [w for w in org.split() if w not in ("of", "for", "the")]
            queries["field"].append(_query("field", [rng.choice(name_words).lower()],
                                           field="organisation"))
        else:
            speaker = top_speakers[_log_rank(rng, 1, len(top_speakers)) - 1]
            queries["field"].append(_query("field", [speaker.last.lower()], field="speaker"))
    for i in range(COUNTS["speaker_filter"]):
        speaker = t.speakers[_log_rank(rng, 1, 300) - 1]
        terms = [] if i % 5 == 0 else [word(1, 2000)]  # some are a speaker's page: no words
        queries["speaker_filter"].append(_query("speaker_filter", terms, speakers=[speaker.name]))
    for i in range(COUNTS["organisation_filter"]):
        org = t.organisations[_log_rank(rng, 1, 100) - 1]
        terms = [] if i % 5 == 0 else [word(1, 2000)]
        queries["organisation_filter"].append(
            _query("organisation_filter", terms, organisations=[org]))
    for _ in range(COUNTS["date_range"]):
        date_from, date_to = _date_bounds(rng)
        queries["date_range"].append(
            _query("date_range", [word(1, 5000)], date_from=date_from, date_to=date_to))
    # Interleave the kinds deterministically.
    ordered = [q for kind in KINDS for q in queries[kind]]
    random.Random(f"order:{words_seed}").shuffle(ordered)
    for number, query in enumerate(ordered):
        query["id"] = number
    return ordered


def api_params(query: dict) -> list[tuple[str, str]]:
    """The /api/search query-string parameters for a query."""
    params = [("q", query["q"])]
    params += [("speaker", s) for s in query["speakers"]]
    params += [("organisation", o) for o in query["organisations"]]
    if query["date_from"]:
        params.append(("from", query["date_from"]))
    if query["date_to"]:
        params.append(("to", query["date_to"]))
    return params

"""Organisations: canonical names, organisation words, acronyms and short forms."""

from __future__ import annotations

import datetime as dt

import pytest

from search.extraction import (
    DocumentFacts,
    canonical_organisation,
    extract_document,
    extract_organisations,
)

MAY_16 = dt.date(2017, 5, 16)  # a Tuesday


def facts(*paragraphs: str, date: dt.date | None = MAY_16) -> DocumentFacts:
    return extract_document(list(paragraphs), None, date)


# --- organisations -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. State Department released photos.", ["State Department"]),
    ("A UN convoy was hit.", ["United Nations"]),
    ("The Treasury department announced sanctions.", ["Treasury Department"]),
    ("The U.N. Security Council met.", ["United Nations Security Council"]),
    ("She joined the Institute for the Study of Rivers.", ["Institute for the Study of Rivers"]),
    ("The International Monetary Fund and the EU agreed.",
     ["International Monetary Fund", "European Union"]),
    ("Procter & Gamble Co. and the Food and Drug Administration met.",
     ["Procter & Gamble Co.", "Food and Drug Administration"]),
    ("The Kestrel Policy Centre (KPC) said so. KPC staff agreed.", ["Kestrel Policy Centre"]),
    ("He was at the Department of Justice.", ["Justice Department"]),
])
def test_organisations_are_canonical(text, expected):
    assert facts(text).paragraphs[0].organisations == expected


def test_countries_cities_and_people_are_not_organisations():
    text = ("Turkey, Russia, and Iran met in Astana with Maria Okafor and the United States. "
            "The West and the Syrian regime disagreed during World War II talks.")
    assert facts(text).paragraphs[0].organisations == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The Selwick Fishermen's Cooperative met.", ["Selwick Fishermen's Cooperative"]),
    ("Russia's Ministry of Defence said so.", ["Ministry of Defence"]),
    ("The Coastal League and the Grid Regulator met.", ["Coastal League", "Grid Regulator"]),
    ("The Red Crescent helped.", ["Red Crescent"]),
    ("The Energy Regulator on Friday fined the firm.", ["Energy Regulator"]),
])
def test_organisation_words(text, expected):
    assert extract_organisations(text) == expected


def test_short_forms_resolve_to_the_full_name_met_earlier():
    result = facts("Corvane Power Systems and the Brennock Centre for Economic Studies agreed.",
                   "Profits at Corvane fell, said a fellow at the Brennock Centre.",
                   "Corvane rose. Workers in Corvane protested.")
    full = ["Corvane Power Systems", "Brennock Centre for Economic Studies"]
    assert [p.organisations for p in result.paragraphs] == [full, full, []]


def test_canonical_organisation_helper():
    assert canonical_organisation("the Department of Justice") == "Justice Department"
    assert canonical_organisation("Maria Okafor") is None

"""Dates: absolute ones as written, relative ones resolved against the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from search.extraction import DocumentFacts, extract_dates, extract_document

MAY_16 = dt.date(2017, 5, 16)  # a Tuesday


def facts(*paragraphs: str, date: dt.date | None = MAY_16) -> DocumentFacts:
    return extract_document(list(paragraphs), None, date)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("The war started in 2011 and has killed more than 400,000 people.", ["2011"]),
    ("Between 65,000 and 117,000 people were held between 2011 and 2016.", ["2011", "2016"]),
    ("It is a 45-minute drive; 2000 workers left; 1500 arrived.", []),
    ("On May 3, 2016, the court ruled.", ["2016-05-03"]),
    ("On 3 May 2016 the court ruled.", ["2016-05-03"]),
    ("The report came out in October 2015.", ["2015-10"]),
    ("The file is dated 2016-05-03.", ["2016-05-03"]),
    ("Repairs followed the 2016 storm.", ["2016"]),
])
def test_absolute_dates(text, expected):
    assert facts(text, date=None).paragraphs[0].dates == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sarin was used on April 4th.", ["2017-04-04"]),
    ("Photos were released Monday.", ["2017-05-15"]),
    ("The ministers meet on Thursday, officials said.", ["2017-05-11"]),
    ("The summit will take place on Thursday.", ["2017-05-18"]),
    ("Last month the talks failed.", ["2017-04"]),
    ("Two weeks ago they agreed.", ["2017-05-02"]),
    ("Three days ago the talks collapsed.", ["2017-05-13"]),
    ("Yesterday it rained.", ["2017-05-15"]),
    ("It happened last year.", ["2016"]),
    ("The appeal was filed in June.", ["2016-06"]),
    ("The fire broke out on December 24.", ["2016-12-24"]),  # after May 16: last year
])
def test_relative_dates_resolve_against_document_date(text, expected):
    assert facts(text).paragraphs[0].dates == expected


def test_relative_dates_left_out_without_document_date():
    text = "On Tuesday, two weeks ago, last month, on April 4th and yesterday, it happened in 2015."
    assert facts(text, date=None).paragraphs[0].dates == ["2015"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The minister leaves on Sunday.", ["2017-05-21"]),
    ("The minister left on Sunday.", ["2017-05-14"]),
    ("The ban begins in June.", ["2017-06"]),
])
def test_timetable_present_tense_looks_forward(text, expected):
    assert facts(text).paragraphs[0].dates == expected


def test_extract_dates_helper():
    assert extract_dates("Talks began last Tuesday, 3 days ago.", MAY_16) == [
        "2017-05-09", "2017-05-13"]
    assert extract_dates("Talks began last Tuesday.") == []

"""Dates: absolute ones as written, relative ones resolved against the document date."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from search.documents import read_document
from search.extraction import DocumentFacts, extract_dates, extract_document

REALNEWS = Path(__file__).resolve().parents[2] / "shared" / "realnews"

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


# --- the tense of the sentence decides the direction (issue #11) ---------------------------

SEPT_21 = dt.date(2016, 9, 21)  # a Wednesday


@pytest.mark.parametrize(("text", "expected"), [
    # future cues before the mention look forward, past ones back
    ("The governor will travel to Denver on Tuesday, his office said.", ["2016-09-27"]),
    ("The panel ruled Friday that the contract was void.", ["2016-09-16"]),
    ("Jurors are expected to hear closing arguments Monday.", ["2016-09-26"]),
    # the present progressive of an arrangement looks forward; 'after' back
    ("On Monday, the governor is hosting the summit.", ["2016-09-26"]),
    ("The final debate is on Monday night.", ["2016-09-26"]),
    ("She is facing questions after a speech on Monday.", ["2016-09-19"]),
    # with no cue before it, the first cue after the mention decides
    ("On Friday, when she visits the plant, the mayor plans a speech.", ["2016-09-23"]),
    ("On Friday the board voted to close the depot.", ["2016-09-16"]),
    # 'tomorrow, Thursday' names the same coming day
    ("The details come at a launch event tomorrow, Thursday.", ["2016-09-22"]),
    # a possessive weekday is the nearer such day, whatever the verb
    ("The mayor urged residents to watch Saturday night's forum, which was announced late.",
     ["2016-09-24"]),
    ("Monday's vote left the council split.", ["2016-09-19"]),
    # a month and day ahead in the future tense, already passed this year: next year
    ("Sentencing is scheduled for Feb. 14.", ["2017-02-14"]),
    # an autumn date later this year without a year: this year, not last
    ("The outcome of the Nov. 8 vote could reshape the board.", ["2016-11-08"]),
    ("The new line opens in early January.", ["2017-01"]),
    # 'would' is a future seen from the past: the nearer occurrence, either way
    ("She said the agency would publish its rules by the end of March.", ["2017-03"]),
    ("He failed to keep his promise that the plant would close on Aug. 31.", ["2016-08-31"]),
    # an abbreviation inside the sentence does not hide the cue before it
    ("The minister said the U.K. would leave the customs union by the end of March.",
     ["2017-03"]),
    # a passive participle is not a past cue: 'should be allowed to lapse'
    ("The permit should be allowed to lapse on September 30th, the memo said.", ["2016-09-30"]),
    ("Growth was slower than forecast in July.", ["2016-07"]),
    # 'last night', 'tomorrow night'
    ("Speaking in Toledo last night, she promised to return tomorrow night.",
     ["2016-09-20", "2016-09-22"]),
])
def test_tense_decides_direction(text, expected):
    assert facts(text, date=SEPT_21).paragraphs[0].dates == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The survey was conducted from Sept. 12 to 15 among 900 adults.",
     ["2016-09-12", "2016-09-15"]),
    ("The fair runs 3-5 October 2016 in Leeds.", ["2016-10-03", "2016-10-05"]),
    # 'since Jan. 1, 2015' is one full date, not the month of January and a year
    ("Donors gave $4 million since Jan. 1, 2015, the filings show.", ["2015-01-01"]),
    ("The rise from March 3 to 12 percent surprised analysts.", ["2016-03-03"]),
])
def test_days_and_ranges(text, expected):
    assert facts(text, date=SEPT_21).paragraphs[0].dates == expected


def test_weekday_written_with_the_day_picks_the_year():
    assert facts("It happened on Wednesday, Dec. 30.", date=dt.date(2016, 3, 2)).paragraphs[
        0].dates == ["2015-12-30"]
    # the past tense would say 2015, but Dec. 30 falls on a Friday only in 2016
    assert facts("The vote was held on Friday, Dec. 30.", date=dt.date(2016, 3, 2)).paragraphs[
        0].dates == ["2016-12-30"]


def test_month_day_in_the_neighbouring_year():
    january = dt.date(2015, 1, 9)
    assert facts("The Dec. 28 fire destroyed the depot.", date=january).paragraphs[0].dates == [
        "2014-12-28"]


def test_months_without_a_year_follow_the_year_the_narrative_is_in():
    story = facts(
        "Ministers first discussed the reform in the winter of 1981. On Feb. 2 the minister "
        "wrote to object.",
        "The scheme started in October 1981, after the minister left in June.",
        "Her aides warned that a start in September was unrealistic.",
        "The council said on Tuesday that it would review the scheme in June.",
        date=dt.date(2016, 12, 28))
    assert [paragraph.dates for paragraph in story.paragraphs] == [
        ["1981", "1981-02-02"], ["1981-10", "1981-06"], ["1981-09"],
        ["2016-12-27", "2017-06"]]


def test_a_year_written_once_does_not_carry_into_later_paragraphs():
    story = facts("She ran the agency from 2009 until she left in February 2013.",
                  "In August she criticised the plan.", date=SEPT_21)
    assert [paragraph.dates for paragraph in story.paragraphs] == [
        ["2009", "2013-02"], ["2016-08"]]


def test_a_recent_year_does_not_pull_months_back():
    story = facts("The firm, founded in May 2015, cut jobs in August.", date=SEPT_21)
    assert story.paragraphs[0].dates == ["2015-05", "2016-08"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The debate airs on Saturday 12 March at 2015 GMT.", []),  # a time, not a year
    ("Great game tonight! - A Fan (@some_fan) March 12, 2016", []),  # a tweet's time stamp
    ("In a 2013 memo, the agency urged caution.", ["2013"]),
    ("In an August speech, the governor spoke of jobs.", []),  # a month without a year
    ("The May government faced a revolt.", []),
])
def test_what_is_not_a_date_without_document_date(text, expected):
    assert facts(text, date=None).paragraphs[0].dates == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("In an August speech, the governor spoke of jobs.", ["2016-08"]),
    ("The May government faced a revolt.", []),
    ("He called Fox News Sunday to complain.", []),
    ("Turnout on Super Tuesday was high.", []),
    ("The Sunday Times reported the deal, and he told the Mail on Sunday it was true.", []),
    ("The hostages were taken nearly two weeks ago.", []),
    ("We were taught to think 50 years ago.", []),
])
def test_vague_or_named_mentions_left_out(text, expected):
    assert facts(text, date=SEPT_21).paragraphs[0].dates == expected


def test_undated_document_keeps_only_explicit_dates():
    text = ("The show airs on Saturday 12 March, a day after 11 March 2016 and a year after "
            "the 2015 election, and again next month.")
    assert facts(text, date=None).paragraphs[0].dates == ["2016-03-11", "2015"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The deficit for fiscal 2017 and the 2015-16 financial year fell.", []),
    ("Polls close at 2200 on Thursday.", ["2016-09-15"]),
    ("Marchers joined the March on the capital.", []),
    ("Prices rose between March and May, then fell in July and August.",
     ["2016-03", "2016-05", "2016-07", "2016-08"]),
    ("The plant was shut from December to March 2016.", ["2015-12", "2016-03"]),
    ("Talks between Johnson and May stalled.", []),
    ("Profits for 2004-05 rose, as in the 2015/16 school year.", []),
])
def test_years_and_months_that_need_care(text, expected):
    assert facts(text, date=SEPT_21).paragraphs[0].dates == expected


# --- the real-news development set (read at run time, skipped when absent) -------------------


def _same_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.mark.skipif(not (REALNEWS / "gold.json").is_file(), reason="../shared/realnews is absent")
def test_realnews_dates_f1():
    gold = json.loads((REALNEWS / "gold.json").read_text(encoding="utf-8"))["documents"]
    true_positives = false_positives = false_negatives = 0
    for name, annotated in gold.items():
        document = read_document(REALNEWS / "docs" / name)
        found = extract_document(document.paragraphs, document.title, document.date)
        texts = [_same_text(paragraph) for paragraph in document.paragraphs]
        for paragraph in annotated["paragraphs"]:
            start = _same_text(paragraph["starts_with"])
            index = next((i for i, text in enumerate(texts) if text.startswith(start)), None)
            predicted = set(found.paragraphs[index].dates) if index is not None else set()
            wanted = set(paragraph["dates"])
            allowed = wanted | set(paragraph.get("dates_optional", [])) | {annotated["date"]}
            true_positives += len(predicted & wanted)
            false_positives += len(predicted - allowed)
            false_negatives += len(wanted - predicted)
    f1 = 2 * true_positives / (2 * true_positives + false_positives + false_negatives)
    assert f1 >= 0.90, (true_positives, false_positives, false_negatives)


def test_a_later_future_decides_over_a_present_is():
    friday = dt.date(2025, 5, 16)
    assert extract_dates("On Tuesday, it is likely that the council will vote.", friday) == [
        "2025-05-20"]


def test_old_years_in_plain_history_but_not_counts():
    assert extract_dates("The guild was chartered in 1412 by the town.") == ["1412"]
    assert extract_dates("In 1500 homes the heating failed.") == []

"""The shortcuts that make extraction fast find exactly what the plain patterns find."""

import re

import pytest

from search import dates
from search.cues import first_letters
from search.organisations import RUN, RUN_RE
from search.speakers import _name_parts

SENTENCES = [
    "The council met on Tuesday, March 4, 2014 and again on 5 June 2015 to 7 June.",
    "Talks resumed last month; a vote is set for next Friday, officials said 2 weeks ago.",
    "Since early May the fund has grown, and in 2009 it shrank by 12 per cent.",
    "She arrives tomorrow night, after meetings on 2016-03-04 and 10/12/2015 in Oslo.",
    "Between January and March 2016 exports rose; from 1999 to 2004-05 they fell.",
    "Nearly three years ago the plant opened. This year it will close, the owner said.",
    "Mark Dent's team won in Sept. 2019 and lost on Monday's replay at 2000 GMT.",
    "Earlier this year, yesterday and today: the Sunday Times said so on Fox News Sunday.",
]


def _one_pattern_matches(text: str) -> list[tuple[tuple[int, int], str]]:
    """Every date alternative in one pattern: the meaning the grouped scan must keep."""
    pattern = re.compile(r"\b(?:" + "|".join(dates._DATE_ALTERNATIVES.values()) + ")")
    return [(match.span(), match.lastgroup) for match in pattern.finditer(text)]


@pytest.mark.parametrize("text", [*SENTENCES, " ".join(SENTENCES), "", "no dates here"])
def test_grouped_date_scan_finds_what_one_pattern_finds(text):
    found = [(match.span(), match.lastgroup) for match in dates._date_matches(text)]
    assert found == _one_pattern_matches(text)


def test_grouped_date_scan_prefers_the_alternative_listed_first():
    # 'May 2016' starts a month-year mention and a month-only one could not match there
    found = [match.lastgroup for match in dates._date_matches("In May 2016 and on May 3")]
    assert found == ["my", "md"]


def test_first_letters_lookahead_keeps_the_matches():
    words = ["said", "says", "told", "added"]
    plain = re.compile(r"\b(?:" + "|".join(words) + r")\b")
    fast = re.compile(first_letters(words) + plain.pattern)
    text = "She said he told them; they added what it says, unsaid."
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(fast.finditer(text))) == 4


def test_run_pattern_lookahead_keeps_the_runs():
    plain = re.compile(rf"(?<![\w.'-]){RUN}")
    text = ("el-Sayed and Ana de la Cruz met Mr. Doe of the Harbour Board, O'Neill's aide "
            "and al-Amin; ÉDF's Chief Jo Lee (J.L.) came.")
    runs = [m.group() for m in RUN_RE.finditer(text)]
    assert runs == [m.group() for m in plain.finditer(text)]
    assert {"el-Sayed and Ana de la Cruz", "al-Amin", "\u00c9DF"} <= set(runs)


def test_name_parts_drop_suffixes_and_lower_case():
    assert _name_parts("Martin Luther King Jr.") == ("martin", "luther", "king")
    assert _name_parts("Henry Ford II") == ("henry", "ford")
    assert _name_parts("Jr.") == ("jr.",)

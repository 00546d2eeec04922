"""Attributions as data: speaker, cue, kind and the span of the words, in the original text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from search.attributions import Attribution
from search.cues import trie_pattern
from search.extraction import extract_document, normalise, normalise_mapped
from search.quotes import masked_text, quote_spans

REPO = Path(__file__).resolve().parents[1]


def attributions(*paragraphs: str) -> list[list[tuple[str, str, str, str]]]:
    """(speaker, cue, kind, covered words) per attribution, per paragraph."""
    facts = extract_document(list(paragraphs), "A story", None)
    return [[(a.speaker, a.cue, a.kind, text[a.quote[0]:a.quote[1]]) for a in p.attributions]
            for text, p in zip(paragraphs, facts.paragraphs, strict=True)]


def test_quote_before_cue_is_direct_and_spans_the_quoted_words():
    assert attributions('"The dam will hold," said Petra Lindqvist.') == [
        [("Petra Lindqvist", "said", "direct", "The dam will hold")]]


def test_quote_after_colon_is_direct():
    assert attributions('Petra Lindqvist said: "The dam will hold."') == [
        [("Petra Lindqvist", "said", "direct", "The dam will hold.")]]


def test_reported_clause_is_indirect_without_that():
    assert attributions("Petra Lindqvist warned that the dam would not hold.") == [
        [("Petra Lindqvist", "warned", "indirect", "the dam would not hold")]]


def test_reported_clause_with_quoted_words_is_mixed():
    assert attributions('Petra Lindqvist said the dam was "close to failing" after the rain.') \
        == [[("Petra Lindqvist", "said", "mixed", 'the dam was "close to failing" after the rain')]]


def test_according_to_reports_the_clause_before_it():
    assert attributions("The levee broke at noon, according to Petra Lindqvist.") == [
        [("Petra Lindqvist", "according to", "indirect", "The levee broke at noon")]]


def test_quote_continuing_from_previous_paragraph_has_no_cue():
    result = attributions('"The dam will hold," said Petra Lindqvist.', '"We built it well."')
    assert result[1] == [("Petra Lindqvist", "", "direct", "We built it well.")]


def test_spans_are_in_the_original_text_despite_normalisation():
    text = ("\u201cWe  will\u2014not\u2014back down,\u201d   Petra  Lindqvist\u2019s aide, "
            "Omar Reyes, said.")
    [[(speaker, cue, kind, words)]] = attributions(text)
    assert (speaker, cue, kind) == ("Omar Reyes", "said", "direct")
    assert words == "We  will\u2014not\u2014back down"


def test_two_speakers_in_one_paragraph_each_get_their_words():
    text = ("Petra Lindqvist said the dam would hold. Omar Reyes, the city engineer, "
            "disputed that, saying the spillway was blocked.")
    found = attributions(text)[0]
    assert ("Petra Lindqvist", "said", "indirect", "the dam would hold") in found
    assert any(a[0] == "Omar Reyes" and "spillway was blocked" in a[3] for a in found)


def test_normalise_mapped_agrees_with_normalise():
    text = "  A\u00a0b\u2014c  \u2018d\u2019 e\u2013f.Next state department  "
    normalised, origin = normalise_mapped(text)
    assert normalised == normalise(text)
    assert len(origin) == len(normalised)
    assert text[origin[normalised.index("Next")]:].startswith("Next")


def test_attribution_round_trips_through_its_dict():
    attribution = Attribution("Petra Lindqvist", "said", "indirect", (3, 9))
    assert Attribution.from_dict(attribution.as_dict()) == attribution


def test_extract_json_has_attributions(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('Dam holds\n\n"The dam will hold," said Petra Lindqvist.\n',
                     encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "search.cli", "extract", str(story), "--json"],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout.splitlines()[-1])
    [attribution] = record["attributions"]
    assert set(attribution) == {"speaker", "cue", "kind", "quote"}
    start, end = attribution["quote"]
    assert record["text"][start:end] == "The dam will hold"


def test_trie_pattern_matches_exactly_its_words():
    words = ["said", "says", "say", "stated", "warned", "warns"]
    pattern = re.compile(r"\b" + trie_pattern(words) + r"\b")
    text = "sa said says say stated sayx warned warn warns swarned"
    assert [m.group() for m in pattern.finditer(text)] == [
        "said", "says", "say", "stated", "warned", "warns"]


def test_recipient_before_a_colon_leaves_the_quote_direct():
    assert attributions('Mr Barnes told the Daily Courier: "They are poor."') == [
        [("Barnes", "told", "direct", "They are poor.")]]


def test_adverbials_after_the_cue_are_not_reported_words():
    assert attributions("Gov. Maria Lopez said Tuesday in a statement that the state would "
                        "appeal.") == [[("Maria Lopez", "said", "indirect",
                                         "the state would appeal")]]


def test_speech_reported_inside_a_quotation_spans_its_own_words():
    found = attributions("\u201cI was alarmed when Gov. Carl Brandt said we would rebuild the "
                         "cities,\u201d Tom Doherty said.")[0]
    assert ("Carl Brandt", "said", "indirect", "we would rebuild the cities") in found
    assert ("Tom Doherty", "said", "direct",
            "I was alarmed when Gov. Carl Brandt said we would rebuild the cities") in found


def test_the_person_told_is_not_part_of_the_reported_words():
    assert attributions("Petra Lindqvist told reporters on Capitol Hill she had the votes.",
                        "Petra Lindqvist warned Mr Brown that taxes would rise.") == [
        [("Petra Lindqvist", "told", "indirect", "she had the votes")],
        [("Petra Lindqvist", "warned", "indirect", "taxes would rise")]]


def test_quote_spans_pair_marks_and_report_an_open_one():
    text = 'He said "yes" and then \u201cno, never'
    spans, left_open = quote_spans(text)
    assert [text[s:e] for s, e in spans] == ['"yes"', "\u201cno, never"]
    assert left_open


def test_masked_text_keeps_length_and_hides_quoted_words():
    text = 'Rep. Jo Doe (D-Ore.) said "Mr Roe lied" today.'
    masked = masked_text(text, quote_spans(text)[0])
    assert len(masked) == len(text)
    assert "Roe" not in masked and "D-Ore" not in masked
    assert masked.index("said") == text.index("said")


def test_each_cue_of_a_sentence_gets_its_own_words():
    assert attributions('"It is sound," Jane Doe said, adding that it would pass.',
                        "Jane Doe said the plan was sound and Tom Roe said it was not.",
                        "Mervyn Kay said inflation was low, but added that rents were high.") == [
        [("Jane Doe", "said", "direct", "It is sound"),
         ("Jane Doe", "adding", "indirect", "it would pass")],
        [("Jane Doe", "said", "indirect", "the plan was sound"),
         ("Tom Roe", "said", "indirect", "it was not")],
        [("Mervyn Kay", "said", "indirect", "inflation was low"),
         ("Mervyn Kay", "added", "indirect", "rents were high")]]


def test_quoted_word_inside_a_reported_clause_before_the_cue_is_mixed():
    assert attributions('The standard was initially "high", Jane Doe added.',
                        'Asked about it, "No," Jane Doe said.') == [
        [("Jane Doe", "added", "mixed", 'The standard was initially "high"')],
        [("Jane Doe", "said", "direct", "No")]]


def test_a_quote_before_the_subject_belongs_to_another_verb():
    found = attributions('Tom Hale has used the phrase "open pits" often, and criticized the '
                         "mayor for the delay.")[0]
    assert ("Tom Hale", "criticized", "indirect", "the mayor for the delay") in found


def test_embedded_tweet_signature_names_its_author():
    assert attributions("Great rally tonight in Ohio! \u2014 Dana Whitfield DW (@danaw) "
                        "May 5, 2016") == [
        [("Dana Whitfield", "(@danaw)", "direct", "Great rally tonight in Ohio!")]]

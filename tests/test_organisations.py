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


# --- issue #11: the kinds of organisation news text names ---------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Shares in Nike and Goldman Sachs rose, CNN reported.", ["Nike", "Goldman Sachs", "CNN"]),
    ("She wrote for Politico before joining the Huffington Post.",
     ["Politico", "Huffington Post"]),
    ("GOP leaders met scholars from the Heritage Foundation.",
     ["Republican Party", "Heritage Foundation"]),
    ("The Taliban and Hezbollah were named in the filing.", ["Taliban", "Hezbollah"]),
])
def test_well_known_names_need_no_head_word(text, expected):
    assert extract_organisations(text) == expected


def test_party_nicknames_take_the_party_name():
    result = facts("Mr Gale said the Tories and Labour clashed in the Commons.", date=None)
    assert result.paragraphs[0].organisations == [
        "Conservative Party", "Labour Party", "House of Commons"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The S.E.C. and the U.N. disagreed.",
     ["Securities and Exchange Commission", "United Nations"]),
    ("EPA and FBI staff briefed NYPD officers.",
     ["Environmental Protection Agency", "Federal Bureau of Investigation",
      "New York City Police Department"]),
    ("Both the CBI and the TUC spoke to the BBC.",
     ["Confederation of British Industry", "Trades Union Congress", "BBC"]),
])
def test_well_known_acronyms_are_expanded_unless_they_are_the_name(text, expected):
    assert extract_organisations(text) == expected


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("The Washington Post published the memo.", "A lawyer told the Post it was false.",
     ["Washington Post"]),
    ("The Telegraph Group sold the Daily Telegraph.", "Staff at the Telegraph were told.",
     ["Daily Telegraph"]),
    ("British Airways cut flights.", "BA's chief executive blamed fuel.", ["British Airways"]),
    ("The IMF met in Lima.", "Peru asked the fund for a loan.", ["International Monetary Fund"]),
    ("The House Intelligence Committee met.", "The Intelligence Committee then voted.",
     ["House Intelligence Committee"]),
])
def test_back_references_resolve_to_the_name_met_earlier(first, second, expected):
    assert facts(first, second).paragraphs[1].organisations == expected


def test_a_paper_called_by_a_common_word_needs_it_named_first():
    assert facts("He told the Post it was wrong.").paragraphs[0].organisations == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Mayors of the United States Conference of Mayors met.",
     ["United States Conference of Mayors"]),
    ("The Oregon State Nurses Association protested.", ["Oregon State Nurses Association"]),
    ("A judge of the U.S. Court of Appeals for the Ninth Circuit ruled.",
     ["Court of Appeals for the Ninth Circuit"]),
    ("She studied at Kelby Law School.", ["Kelby Law School"]),
    ("The Vermont Senate and the Maine Supreme Court met.",
     ["Vermont Senate", "Maine Supreme Court"]),
])
def test_long_names_are_kept_whole(text, expected):
    assert extract_organisations(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The Tenants Union of Ohio and Brightwater sued.", ["Tenants Union of Ohio"]),
    ("The Daily and Sunday Telegraph cut jobs.", ["Daily Telegraph", "Sunday Telegraph"]),
    ("A Washington Post-ABC News poll found a tie.", ["Washington Post", "ABC News"]),
    ("News Corp's News International sold the paper.", ["News Corp", "News International"]),
])
def test_two_names_side_by_side_stay_two(text, expected):
    assert extract_organisations(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Amazon's profits rose.", ["Amazon"]),
    ("The Commission on Fair Debates' rules bar him.", ["Commission on Fair Debates"]),
])
def test_possessives_are_not_part_of_the_name(text, expected):
    assert extract_organisations(text) == expected


def test_a_surname_that_is_also_a_company_is_the_person():
    result = facts("Michael Bloomberg said he would run.", "Bloomberg said he was ready.",
                   "Bloomberg News said it would cover him.")
    assert [p.organisations for p in result.paragraphs] == [[], [], ["Bloomberg News"]]


@pytest.mark.parametrize("text", [
    "Home Secretary Jane Dorrit and Treasury Secretary Tom Avery spoke.",
    "Vice President Ann Holloway spoke.",
    "Kentucky GOP Gov. Sam Farrow spoke.",
])
def test_a_title_does_not_name_an_organisation_of_its_own(text):
    assert extract_organisations(text) in ([], ["Republican Party"])


def test_a_state_party_is_only_named_in_full():
    assert extract_organisations("Kentucky GOP Gov. Sam Farrow spoke.") == ["Republican Party"]
    assert extract_organisations("The Ohio Democratic Party sued.") == ["Ohio Democratic Party"]


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Book publishing giant Quillmart settled.", "Quillmart said it was pleased."],
     [["Quillmart"], ["Quillmart"]]),
    (["The shares of retailer Fenwicks fell."], [["Fenwicks"]]),
    (["Fenwicks' chief executive resigned."], [["Fenwicks"]]),
    (["She toured Brightwell Flooring, a family-owned business in Erie."],
     [["Brightwell Flooring"]]),
    (["Talvane CEO Ann Lee said so."], [["Talvane"]]),
    (["He gave an interview to Tallyfact.com on Monday."], [["Tallyfact"]]),
    (["The report was written by Parents for Safer Streets."], [["Parents for Safer Streets"]]),
    (["Fares rose, said analyst Ann Lee of Harrow Brothers."], [["Harrow Brothers"]]),
    (["Kestrel Ventures founder Ann Lee said so."], [["Kestrel Ventures"]]),
    (["The Brantwood newspaper chain was sold."], [["Brantwood"]]),
])
def test_context_shows_a_name_without_a_head_word_is_an_organisation(paragraphs, expected):
    assert [p.organisations for p in facts(*paragraphs).paragraphs] == expected


@pytest.mark.parametrize("text", [
    "Most Fortune 500 companies and the S&P 500 gained.",
    "He bought an Apple Watch in Monmouth County.",
    "Fires spread through the Amazon rainforest.",
    "She lives in Princeton with her family.",
    "GM crops were banned.",
    "The Independent candidate won the seat.",
    "Shell companies hid the money.",
    "Thanks for Nothing is a song.",
    "The Times Square crowd cheered.",
    "Labour costs rose and Treasury yields fell.",
    "Aboard Air Force One, the pool waited.",
    "The United Arab Emirates and Dawn Keller met.",
])
def test_products_places_indexes_and_words_are_not_organisations(text):
    assert extract_organisations(text) == []


def test_the_armed_services_belong_to_the_documents_country():
    assert extract_organisations("She served as a Navy captain.") == ["United States Navy"]
    british = facts("Mr Hale, a former MP, joined the Army.", date=None)
    assert british.paragraphs[0].organisations == ["British Army"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The Department of Defense and the Energy Department met.",
     ["Department of Defense", "Energy Department"]),
    ("The Department of State and the Department of Justice met.",
     ["State Department", "Justice Department"]),
])
def test_departments_keep_the_documents_form_except_state_and_justice(text, expected):
    assert extract_organisations(text) == expected


def test_a_possessive_that_belongs_to_the_name_is_kept():
    assert extract_organisations("Sales at McDonald's and Sainsbury's rose.") == [
        "McDonald's", "Sainsbury's"]


def test_other_spellings_of_a_known_name_are_kept_as_written():
    assert extract_organisations("Asda, owned by Wal-Mart, and the World Health Organisation.") \
        == ["Asda", "Wal-Mart", "World Health Organisation"]


def test_a_title_before_a_surname_marks_the_person():
    result = facts("Sen. Ann Ford spoke.", "Ford said the Ford Motor Company agreed.")
    assert [p.organisations for p in result.paragraphs] == [[], ["Ford Motor Company"]]


@pytest.mark.parametrize(("text", "expected"), [
    ("Deals with Harlow & Finch and the Daily Mail & General Trust were signed.",
     ["Harlow & Finch", "Daily Mail & General Trust"]),
    ("Polls by QuillPoll and PollWatcher differ; Sen. Ann McCain and Tom DeVos disagree.",
     ["QuillPoll", "PollWatcher"]),
    ("Officers of Homeland Security Investigations and the Kestrel Protective Services came.",
     ["Homeland Security Investigations", "Kestrel Protective Services"]),
    ("Follow @QuillPoll and #KestrelNews for more.", []),
])
def test_names_shaped_like_a_firm_or_a_brand(text, expected):
    assert extract_organisations(text) == expected


def test_where_an_organisation_is_is_not_part_of_its_name():
    assert extract_organisations("Voters met at Ridgeview University on Long Island.") == [
        "Ridgeview University"]


def test_names_whose_head_word_comes_after_of():
    assert extract_organisations("The Loyal Order of Harbour Police backed the mayor.") == [
        "Loyal Order of Harbour Police"]
    assert extract_organisations("Staff at the Duchy of Wessex and the Duchy of Mercia "
                                 "agreed.") == ["Duchy of Wessex", "Duchy of Mercia"]


def test_a_court_ends_before_the_judge_it_names():
    found = extract_organisations("Retired Ninth Circuit Judge Ada Flint and Sixth Circuit Court "
                                  "of Appeals Judge R. Cole Banner praised the nominee.")
    assert found == ["Ninth Circuit", "Sixth Circuit Court of Appeals"]


def test_a_paper_whose_head_word_is_hyphenated():
    assert extract_organisations("The statement ran in the Harlow Courier-Review.") == [
        "Harlow Courier-Review"]


def test_a_sector_noun_marks_the_name_after_it():
    assert extract_organisations("Plans include selling the ports and the utility Vexor.") == [
        "Vexor"]
    assert extract_organisations("Fares fell at the carrier Skylane this year.") == ["Skylane"]


def test_the_house_beside_the_senate_is_the_house_of_representatives():
    assert extract_organisations("The bill now goes to the House and Senate for a vote.") == [
        "House of Representatives", "Senate"]


def test_two_committees_share_a_plural_head():
    assert extract_organisations("Leaders of the House Ethics and House Budget Committees met.") \
        == ["House Ethics Committee", "House Budget Committee"]

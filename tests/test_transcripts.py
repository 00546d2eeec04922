"""Transcripts: turn labels, the briefers a header names, reporters' turns, page labels, spans."""

from __future__ import annotations

import datetime as dt

from search.attributions import Attribution
from search.extraction import DocumentFacts, Person, extract_document, normalise
from search.speakers import SpeakerReader
from search.transcripts import header_people, parse_turn, turn_attribution

JUNE_3 = dt.date(2024, 6, 3)


def facts(*paragraphs: str, title: str | None = None) -> DocumentFacts:
    return extract_document(list(paragraphs), title, JUNE_3)


def speakers(*paragraphs: str, title: str | None = None) -> list[list[str]]:
    return [p.speakers for p in facts(*paragraphs, title=title).paragraphs]


# --- labels and headers ------------------------------------------------------------------------


def test_header_names_every_briefer_with_their_role():
    people = header_people("Press Gaggle by Press Secretary Nadia Orlov-Brandt and Deputy "
                           "Director for Regional Affairs Tomas Weller En Route Halden, MN")
    assert [(p.name, p.title) for p in people] == [
        (["Nadia", "Orlov-Brandt"], "Press Secretary"),
        (["Tomas", "Weller"], "Deputy Director for Regional Affairs")]


def test_header_keeps_an_and_inside_a_role():
    people = header_people("Press Briefing by Secretary of Parks and Waterways Lena Marsh")
    assert [(p.name, p.title) for p in people] == [
        (["Lena", "Marsh"], "Secretary of Parks and Waterways")]


def test_reporter_turn_written_with_spaces_and_no_colon():
    turn = parse_turn("Q    Will the bridge open on time?")
    assert turn is not None and turn.reporter and turn.cue == "Q"


def test_page_labels_are_not_turns():
    for text in ("UPDATE: The vote was moved to Friday.", "EDITOR'S NOTE: This story was "
                 "corrected.", "WATCH: The minister's speech in full.", "NEW: More details."):
        assert parse_turn(text) is None, text


# --- speakers of turns ---------------------------------------------------------------------------


def test_turn_labels_take_the_full_names_the_title_gives():
    title = ("Press Briefing by Press Secretary Nadia Orlov-Brandt and National Water Council "
             "Coordinator for River Policy Tomas Weller")
    result = speakers("MS. ORLOV-BRANDT: Good afternoon. Tomas will start.",
                      "MR. WELLER: Thanks, Nadia. Two points on the dams.",
                      "First, the inspections are finished.",
                      title=title)
    assert result == [["Nadia Orlov-Brandt"], ["Tomas Weller"], ["Tomas Weller"]]


def test_long_header_in_the_body_names_the_briefers():
    result = speakers("Press Briefing by Press Secretary Nadia Orlov-Brandt and National Water "
                      "Council Coordinator for River and Canal Policy Tomas Weller En Route "
                      "Halden, Northern Province, Estmarch",
                      "MR. WELLER: Good morning.", title="Briefings")
    assert result == [[], ["Tomas Weller"]]


def test_header_gives_briefers_their_title_and_organisation():
    result = facts("MS. ORLOV-BRANDT: Good afternoon.",
                   title="Press Briefing by Press Secretary Nadia Orlov-Brandt and National "
                         "Water Council Coordinator Tomas Weller")
    assert result.people["Nadia Orlov-Brandt"].title == "Press Secretary"


def test_header_role_is_split_into_title_and_organisation():
    result = facts("MR. WELLER: Thanks.",
                   title="Press Call by National Water Council Coordinator for River Policy "
                         "Tomas Weller")
    assert result.people["Tomas Weller"] == Person(
        "Tomas Weller", "Coordinator for River Policy", "National Water Council")


def test_label_resolves_to_a_name_introduced_in_the_body():
    result = speakers("MS. ORLOV-BRANDT: With that, I'll turn it over to Admiral Ruth Kessing.",
                      "ADMIRAL KESSING: Thank you. The patrols resumed this morning.",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result == [["Nadia Orlov-Brandt"], ["Ruth Kessing"]]


def test_role_label_resolves_to_the_person_the_header_names():
    result = speakers("THE PRESIDENT: Thank you all. Please, sit down.",
                      title="Remarks by President Elena Varga at the Harbour Summit")
    assert result == [["Elena Varga"]]


def test_quoted_interview_labels():
    result = speakers('Governor Ida Brenner said on Sunday that the tax plan was fair.',
                      '"HALVORSEN: Why should voters believe that?',
                      '"BRENNER: Because the numbers add up.',
                      '"And they will keep adding up.')
    assert result == [["Ida Brenner"], ["Halvorsen"], ["Ida Brenner"], ["Ida Brenner"]]


def test_printed_interview_turn_ends_where_the_quotation_does():
    result = speakers('"HALVORSEN: What about the schools?',
                      '"BRENNER: They come first.',
                      "Her opponent Carl Dunmore said the plan was too costly.",
                      "The election is in November.")
    assert result == [["Halvorsen"], ["Brenner"], ["Carl Dunmore"], []]


def test_unnamed_official_turn_has_no_speaker_and_is_not_carried():
    result = speakers("MS. ORLOV-BRANDT: Our official will explain.",
                      "SENIOR ADMINISTRATION OFFICIAL: Thanks. The plan has three parts.",
                      "First, the dams.",
                      title="Background Press Call by Press Secretary Nadia Orlov-Brandt")
    assert result == [["Nadia Orlov-Brandt"], [], []]


def test_transcript_end_closes_the_turn():
    result = speakers("MS. ORLOV-BRANDT: Thanks, everyone.", "END 3:02 P.M. EDT",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result == [["Nadia Orlov-Brandt"], []]


def test_label_with_a_particle_resolves_to_the_full_name():
    result = speakers("MS. ORLOV-BRANDT: Here is Director Anna de Witt.",
                      "MS. DE WITT: Thank you.",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result[1] == ["Anna de Witt"]


def test_reporter_turn_does_not_carry_the_previous_speaker():
    title = "Press Gaggle by Press Secretary Nadia Orlov-Brandt"
    result = speakers("MS. ORLOV-BRANDT: Happy to take questions.",
                      "Q    On the dams: why now?",
                      "And what does it cost?",
                      "QUESTION: One more on the budget?",
                      "MS. ORLOV-BRANDT: It is funded.",
                      title=title)
    assert result == [["Nadia Orlov-Brandt"], [], [], [], ["Nadia Orlov-Brandt"]]


def test_page_label_is_not_carried_through_the_document():
    result = speakers("UPDATE: The council met again on Monday.",
                      "The roads will reopen next month.",
                      "Mayor Jo Castell said the repairs were finished.")
    assert result == [[], [], ["Jo Castell"]]


def test_dateline_or_kicker_with_a_colon_is_not_a_turn():
    result = speakers("HALDENBURG: Flood barriers failed overnight in the old town.",
                      "The river rose two metres.",
                      "GENERAL ELECTION: Voters will choose a new council.",
                      "Mayor Jo Castell said the repairs were finished.")
    assert result == [[], [], [], ["Jo Castell"]]


def test_bare_label_after_an_introduction_opens_a_turn():
    result = speakers("The interview, in part:", "HALVORSEN: Is the plan fair?",
                      "BRENNER: It is.", "And it is affordable.")
    assert result == [[], ["Halvorsen"], ["Brenner"], ["Brenner"]]


def test_speech_reported_in_a_reporters_question_counts():
    result = speakers("MS. ORLOV-BRANDT: Go ahead.",
                      "Q Senator Abel Marchetti said that the dams are unsafe. Do you agree?",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result == [["Nadia Orlov-Brandt"], ["Abel Marchetti"]]


def test_speech_reported_in_a_turn_keeps_the_turn_speaker():
    result = speakers("MS. ORLOV-BRANDT: Minister Paulo Serrat told us that the ferry is safe.",
                      "And as I said, we agree with him.",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result == [["Nadia Orlov-Brandt", "Paulo Serrat"], ["Nadia Orlov-Brandt"]]


def test_the_president_in_a_transcript_is_the_president_it_names_most():
    result = speakers("Q Former President Osei criticised the deal. Former President Osei "
                      "says it costs jobs.",
                      "MS. ORLOV-BRANDT: President Varga met President Hale today, and the "
                      "Varga-Lind administration welcomes the deal.",
                      "The President said the deal protects jobs.",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    assert result[2] == ["Nadia Orlov-Brandt", "Varga"]


def test_statement_paragraphs_are_not_given_to_the_author():
    result = speakers("Today I am signing the harbour bill into law.",
                      "It protects the fishing towns.",
                      title="Statement by President Elena Varga on the Harbour Act")
    assert result == [[], []]


def test_readout_header_introduces_the_people_its_body_reports():
    result = speakers("The President underscored that the port will stay open.",
                      "Prime Minister Roe encouraged the President to visit in the spring.",
                      title="Readout of President Elena Varga's Call with Prime Minister Jo "
                            "Roe of Estmarch")
    assert result == [["Elena Varga"], ["Jo Roe"]]


def test_a_briefer_mentioned_by_first_name_in_a_later_turn():
    result = speakers("MS. ORLOV-BRANDT: Tomas will cover the dams.",
                      "MR. WELLER: As Nadia mentioned, the dams are safe.",
                      title="Press Gaggle by Press Secretary Nadia Orlov-Brandt and Adviser "
                            "Tomas Weller")
    assert result == [["Nadia Orlov-Brandt"], ["Tomas Weller", "Nadia Orlov-Brandt"]]


# --- attributions ----------------------------------------------------------------------------


def test_turn_attribution_spans_the_words_after_the_label():
    text = "MS. ORLOV-BRANDT:  Good afternoon,\neveryone."
    found = turn_attribution(text, "Nadia Orlov-Brandt", None)
    assert found == Attribution("Nadia Orlov-Brandt", "MS. ORLOV-BRANDT:", "direct",
                                (19, len(text)))
    assert text[found.quote[0]:found.quote[1]] == "Good afternoon,\neveryone."


def test_reader_gives_attributions_for_turns_and_their_continuations():
    reader = SpeakerReader()
    reader.read_header("Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    paragraphs = ["MS. ORLOV-BRANDT:   We are ready.", "  The dams are safe.  ",
                  "Q   Are they?", "Next question."]
    found = []
    for original in paragraphs:
        reader.read_speakers(normalise(original))
        found.append(reader.turn_attributions(original))
    assert found[0] == [Attribution("Nadia Orlov-Brandt", "MS. ORLOV-BRANDT:", "direct",
                                    (20, 33))]
    assert found[1] == [Attribution("Nadia Orlov-Brandt", "MS. ORLOV-BRANDT:", "direct",
                                    (2, 20))]
    assert found[2:] == [[], []]


def test_document_attributions_span_the_original_text_of_turns():
    paragraphs = ["MS. ORLOV-BRANDT:  Go ahead.",
                  "Q    Senator Abel Marchetti said that the dams are unsafe. Do you agree?"]
    result = facts(*paragraphs, title="Press Gaggle by Press Secretary Nadia Orlov-Brandt")
    spans = [[(a.speaker, a.cue, paragraph[a.quote[0]:a.quote[1]]) for a in p.attributions]
             for paragraph, p in zip(paragraphs, result.paragraphs, strict=True)]
    assert spans[0] == [("Nadia Orlov-Brandt", "MS. ORLOV-BRANDT:", "Go ahead.")]
    assert [(speaker, text) for speaker, _, text in spans[1]] == [
        ("Abel Marchetti", "the dams are unsafe")]


def test_labels_sharing_a_surname_follow_the_title():
    result = speakers("PRESIDENT VARGA: Thank you.", "THE FIRST GENTLEMAN: Welcome, everyone.",
                      "THE PRESIDENT: We are glad to be here.",
                      title="Remarks by President Elena Varga and First Gentleman Tom Varga")
    assert result == [["Elena Varga"], ["Tom Varga"], ["Elena Varga"]]


def test_honorific_label_whose_surname_is_also_an_agency_acronym():
    assert speakers("MS. DOE: Good morning.", "CHAIR DOE: Thanks.",
                    title="Press Briefing by Press Secretary Wren Doe") == [
        ["Wren Doe"], ["Wren Doe"]]

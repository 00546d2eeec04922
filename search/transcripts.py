"""Transcripts: turn labels ("MS. DOE:", "Q", "THE PRESIDENT:"), the briefers a header names,
and the span of what a turn says.

A label opens a turn when it looks like a person (honorific or title and a surname, a bare
surname, a role such as "THE PRESS SECRETARY") or a reporter ("Q", "QUESTION:"). Page labels
("UPDATE:", "EDITOR'S NOTE:", "WATCH:") are not turns. Names are resolved by the caller, which
knows the people the header and the body have introduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.attributions import Attribution
from search.organisations import ACRONYM_ORGS, PLACES, TITLE_WORDS

# Labels of people who speak but are not named: their turns have no speaker.
REPORTER_LABELS = frozenset("""
    Q A QUESTION QUESTIONS QUESTIONER ANSWER REPORTER REPORTERS PARTICIPANT PARTICIPANTS
    MODERATOR OPERATOR AUDIENCE MEMBER MEMBERS CROWD VOICE VOICES PRESS STAFF STAFFER CORRESPONDENT
    ANNOUNCER INTERPRETER TRANSLATOR UNIDENTIFIED INAUDIBLE CROSSTALK SPEAKER ATTENDEE
    ATTENDEES PANELIST AIDE HOST OFFICIAL OFFICIALS STUDENT CHILD WOMAN MAN""".split())
# Page furniture written like a label: never a turn, never carried to later paragraphs.
PAGE_LABELS = frozenset("""
    NEW UPDATE UPDATED UPDATES NOTE NOTES EDITOR EDITORS EDITOR'S CORRECTION CORRECTIONS
    CLARIFICATION WATCH READ MORE RELATED SEE ALSO PHOTO PHOTOS VIDEO VIDEOS LISTEN AUDIO
    BREAKING NEWS EXCLUSIVE DEVELOPING ANALYSIS OPINION COMMENTARY SOURCE SOURCES CREDIT
    CREDITS ADVERTISEMENT SPONSORED TRANSCRIPT END FACT CHECK BACKGROUND CONTEXT WARNING
    DISCLAIMER SUBSCRIBE SIGN UP TOP SUMMARY KEY POINTS TIMELINE LATEST LIVE RECOMMENDED
    TRENDING POPULAR FOLLOW SHARE CAPTION FILE PICTURED ABOVE BELOW TOPICS TAGS PREVIOUSLY
    CLICK HERE STORY STORIES LINK LINKS EMAIL CONTACT DISCLOSURE ERRATUM APPENDIX FULL TEXT
    ALERT ADVISORY MEDIA EMBARGOED RELEASE IMMEDIATE Q&A FAQ TIP TIPS PLUS BONUS EXTRA
    REPORT REPORTS STATEMENT REMARKS DATE TIME LOCATION WHERE WHEN WHAT WHAT'S WHO WHY HOW
    SUBJECT RE CC TITLE HEADLINE BYLINE DATELINE TAKEAWAY TAKEAWAYS HIGHLIGHTS QUOTE
    QUOTES BOTTOM LINE NEXT MATTERS BIG PICTURE PLAY GO DEEPER DRIVING FLASHBACK ZOOM
    REALITY CATCH QUICK NUMBERS DATA CHART MAP GRAPHIC INTERACTIVE LOOK AHEAD TODAY
    TONIGHT POLL SURVEY SCHEDULE AGENDA PODCAST NEWSLETTER DOWNLOAD PREVIEW RECAP REVIEW
    SPOILER SPOILERS TRIGGER CONTENT ADVERTISING PROMOTED PARTNER FEATURED TOPIC SECTION
    PART CHAPTER EPISODE FIRST ONLY""".split())
# Words a page label may have besides the ones above: 'PHOTOS OF THE DAY'.
_FILLER_LABEL_WORDS = frozenset("THE OF A AN IN ON TO FOR AND & BY IT YOU YOUR THIS DAY".split())
HONORIFIC_LABELS = frozenset("MR MS MRS MISS DR SIR LORD LADY DAME MADAM".split())
# Words a label drops before a role: 'THE PRESIDENT', 'THE VICE PRESIDENT'.
ROLE_LABEL_WORDS = frozenset("""PRESIDENT VICE SECRETARY PRESS FIRST LADY GENTLEMAN SPEAKER LEADER
    CHAIRMAN CHAIRWOMAN CHAIR GOVERNOR MAYOR AMBASSADOR ADMIRAL GENERAL MINISTER PRIME
    DEPUTY SPOKESPERSON SPOKESMAN SPOKESWOMAN DIRECTOR COORDINATOR ADVISOR ADVISER NATIONAL
    SECURITY ATTORNEY SURGEON COMMISSIONER ADMINISTRATOR SENATOR CHANCELLOR""".split())

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_CAPS = rf"[{_UPPER}][{_UPPER}'\u2019.-]*"
_WORD = rf"(?:{_CAPS}|#?\d{{1,2}})"
_TURN_RE = re.compile(
    r"\A(?P<lead>\s*[\"\u201c]?\s*)"
    r"(?:(?P<q>Q(?=\s+[^\s:a-z])|Q\.(?=\s)|(?:Q|QUESTION|Question)\s*:)"
    rf"|(?P<label>{_CAPS}(?:\s+{_WORD}){{0,5}}|(?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][\w'\u2019-]+"
    r"(?:\s+[A-Z][\w'\u2019-]+)?)"
    r"(?:\s+\((?:via|by|as|on|in|through|translated|interpreted|inaudible|off|speaking)\b"
    r"[^()]{0,40}\))?\s*:)"  # 'MR. DOE (via teleconference):'
    r"\s*")
_HEADER_RE = re.compile(  # the lookahead of first letters only makes the scan faster
    r"(?=[ABCDGILMOPQRST])"
    r"\b(?:Briefings?|Gaggle|Remarks|Statement|Interview|Conference|Call|Roundtable|"
    r"Testimony|Availability|Readout|Address|Speech|Conversation|Discussion|Transcript|"
    r"Q&A|Session|Message|Op-Ed|Letter|Proclamation)\s+(?:by|with|from|(?<=Interview )of)\s+"
    r"(?P<rest>.+)")
# Words that end the list of people in a header: 'by X Aboard Air Force One', 'by X on Y'.
_HEADER_STOP_RE = re.compile(
    r"\s+(?:Aboard|aboard|En|en|on|On|at|At|in|In|during|During|before|Before|after|After|"
    r"to|To|upon|Upon|regarding|Regarding|about|About|following|Following|ahead|Ahead|"
    r"prior|Prior|via|Via|as|As|celebrating|Celebrating|announcing|Announcing|marking|"
    r"Marking|honoring|Honoring|commemorating|Commemorating)\b|\s*[;:(\u2013\u2014]|\s+-\s")
_HEADER_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|with)\s+|\s*&\s*")
_NAME_TOKEN_RE = re.compile(r"\A(?:[A-Z][a-z\u00e0-\u00ff]+(?:['\u2019-][A-Z]?[a-z\u00e0-\u00ff]+)*"
                            r"|Mc[A-Z][a-z]+|O'[A-Z][a-z]+|[A-Z]\.|Jr\.|Sr\.|II|III)\Z")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on"})
# Title words of headers besides the common ones: 'Speaker McCarthy', 'Leader Schumer'.
_HEADER_TITLES = TITLE_WORDS | {"speaker", "leader", "whip", "lady", "gentleman", "pastor"}
# A paragraph that closes a transcript: 'END 2:45 P.M. EDT', '###'.
TRANSCRIPT_END_RE = re.compile(r"\A(?:END\b|#{3}|\*{3})")
_OPEN_QUOTE_RE = re.compile(r"\A\s*[\"\u201c]")


def continues_turn(text: str, turn_quoted: bool) -> bool:
    """Whether an unlabelled paragraph goes on with the turn before it.

    Stage directions ('(Laughter.)') and a transcript's end do not; in a printed interview
    ('"DOE: ...') only paragraphs that open with a quotation mark do.
    """
    if text.startswith("(") or TRANSCRIPT_END_RE.match(text):
        return False
    return not turn_quoted or bool(_OPEN_QUOTE_RE.match(text))


@dataclass(frozen=True)
class Turn:
    """A transcript turn a paragraph opens with: its label and where the spoken words start."""

    cue: str  # the label as written, with its colon when it has one: "MS. DOE:"
    reporter: bool  # a reporter's (or other unnamed person's) turn: no speaker
    role: str | None  # a role label without a name: 'press secretary' for THE PRESS SECRETARY
    title: list[str]  # title words before the name: ['President'] for PRESIDENT DOE
    name: list[str]  # name words, display-cased: ['Jean-Pierre']
    start: int  # offset of the spoken words in the parsed text
    quoted: bool = False  # the label follows a quotation mark, as in printed interviews
    honorific: bool = False  # 'MR. DOE', 'Ms. Doe': a person's label beyond doubt


@dataclass(frozen=True)
class HeaderPerson:
    """A person a transcript or statement header names, with the role it gives them."""

    name: list[str]
    title: str | None


def parse_turn(text: str) -> Turn | None:
    """The turn a paragraph opens with; None for prose and for page labels ('UPDATE:')."""
    match = _TURN_RE.match(text)
    if match is None or match.end() >= len(text.rstrip()):
        return None
    cue = text[match.start("q") if match["q"] else match.start("label"):match.end()].strip()
    quoted = bool(match["lead"].strip())
    if match["q"]:
        return Turn(cue, True, None, [], [], match.end(), quoted)
    words = [w.strip(".") for w in match["label"].split()]
    upper = [w.upper() for w in words]
    if _is_page_label(upper, match["label"]):
        return None
    if upper[-1] in REPORTER_LABELS or upper[0] in ("UNIDENTIFIED", "AUDIENCE") \
            or re.fullmatch(r"#?\d+", upper[-1]):
        return Turn(cue, True, None, [], [], match.end(), quoted)  # 'SENIOR OFFICIAL'
    if upper[0] == "THE":
        if len(upper) == 1 or not all(w in ROLE_LABEL_WORDS for w in upper[1:]):
            return None
        return Turn(cue, False, " ".join(words[1:]).lower(), [], [], match.end(), quoted)
    cut = 0
    while cut < len(words) - 1 and (upper[cut] in HONORIFIC_LABELS
                                    or words[cut].lower() in TITLE_WORDS
                                    or words[cut].lower() + "." in TITLE_WORDS
                                    or upper[cut] in ROLE_LABEL_WORDS):
        cut += 1
    name = [display_case(w) for w in words[cut:]]
    if len(name) > 3 or any(w.upper() in ROLE_LABEL_WORDS or w.upper() in _FILLER_LABEL_WORDS
                            or (cut == 0 and w.upper() in ACRONYM_ORGS) for w in name):
        return None  # 'FIRST ON CNN:'; but 'MR. DOE:' even where DOE is an agency
    title = [display_case(w) for w in words[:cut] if w.upper() not in HONORIFIC_LABELS]
    honorific = any(w in HONORIFIC_LABELS for w in upper[:cut])
    return Turn(cue, False, None, title, name, match.end(), quoted, honorific)


def _is_page_label(upper: list[str], label: str) -> bool:
    """Whether an upper-case label is page furniture, a place or an organisation's acronym."""
    if upper[0] in PAGE_LABELS and all(w in PAGE_LABELS or w in _FILLER_LABEL_WORDS
                                       or w.isdigit() for w in upper):
        return True
    if label.lower() in PLACES or " ".join(upper).title() in PLACES:
        return True
    return len(upper) == 1 and (label in ACRONYM_ORGS or "." in label.strip("."))


def display_case(word: str) -> str:
    """A name word as a document would print it: 'JEAN-PIERRE' -> 'Jean-Pierre'."""
    if not word.isupper():
        return word
    parts = re.split(r"([-'\u2019])", word.lower())
    cased = "".join(p.capitalize() for p in parts)
    if re.match(r"\AMc[a-z]", cased):
        cased = "Mc" + cased[2:].capitalize()
    return cased


_MEETING_RE = re.compile(
    r"(?P<owner>(?:[A-Z][\w.-]*\s+){0,6}[A-Z][\w-]+)['\u2019]s\s+(?:[A-Z][\w-]*\s+){0,3}?"
    r"(?:Meeting|Call|Conversation|Visit|Engagement|Discussion|Trip|Bilateral)s?\s+"
    r"(?:with|to)\s+(?P<other>.+)")
_OWNER_START_RE = re.compile(r"\A(?:Readout|Statement|Remarks|Press|Background)\b.*?\s"
                             r"(?:of|on|from|by)\s+")


def header_people(text: str) -> list[HeaderPerson]:
    """People a header names: 'Press Briefing by Press Secretary Jane Doe and Adviser Al Roe'."""
    people = _speakers_in_header(text)
    meeting = _MEETING_RE.search(text) if "'s" in text or "\u2019s" in text else None
    if meeting:  # 'Readout of President Roe's Call with Prime Minister Doe of Estmarch'
        owner = _OWNER_START_RE.sub("", meeting["owner"])
        people += [person for piece in (owner, meeting["other"])
                   for person in _listed_people(piece) if person not in people]
    return people


def _speakers_in_header(text: str) -> list[HeaderPerson]:
    """The people a header says speak or write: 'Remarks by ...', 'Readout from ...'."""
    match = _HEADER_RE.search(text)
    if match is None:
        return []
    return _listed_people(match["rest"])


def _listed_people(rest: str) -> list[HeaderPerson]:
    """People listed at the start of a header's text, up to a word such as 'on' or 'Aboard'."""
    stop = _HEADER_STOP_RE.search(rest)
    rest = rest[:stop.start()] if stop else rest
    people: list[HeaderPerson] = []
    pending = ""
    for piece in _HEADER_SPLIT_RE.split(rest):
        # 'Secretary of Health and Human Services Jo Roe' is split at its 'and'.
        person = (_header_person(f"{pending} and {piece}".split()) if pending else None) \
            or _header_person(piece.split())
        if person:
            people.append(person)
            pending = ""
        elif people and people[-1].title is None and _is_role(piece):
            people[-1] = HeaderPerson(people[-1].name, piece)  # 'by Jo Roe, Spokesperson'
        else:
            pending = piece
    return people


def _is_role(words: str) -> bool:
    """Whether words are a role alone: 'Deputy Spokesperson', 'Secretary of State'."""
    tokens = words.split()
    return bool(tokens) and any(t.lower() in TITLE_WORDS for t in tokens) and all(
        t[:1].isupper() or t in _CONNECTORS for t in tokens)


def _header_person(tokens: list[str]) -> HeaderPerson | None:
    """Name and title from 'National Security Advisor Jane Doe' (the name is the last words)."""
    tokens = [t[:-2] if t.endswith(("'s", "\u2019s")) else t for t in tokens]
    for index in range(1, len(tokens) - 1):
        if tokens[index] in ("of", "from") and tokens[index - 1].lower() not in TITLE_WORDS:
            before = _header_person(tokens[:index])
            if before:
                return before  # 'Prime Minister Jo Roe of Estmarch', 'Jo Roe of CBS'
    last_role = max((i for i, t in enumerate(tokens)
                     if t.lower() in _HEADER_TITLES or t.lower() in _CONNECTORS), default=-1)
    name = tokens[last_role + 1:]
    if len(name) != 1 or last_role < 0 or tokens[last_role].lower() in _CONNECTORS:
        # The name is the last two words (three with an initial); one only after a title.
        size = 3 if len(name) > 2 and re.fullmatch(r"[A-Z]\.", name[-2]) else 2
        name = name[-size:] if len(name) >= 2 else []
    if not name or not all(_NAME_TOKEN_RE.match(t) for t in name):
        return None
    title = " ".join(tokens[:len(tokens) - len(name)]) or None
    return HeaderPerson(name, title)


def turn_attribution(original: str, speaker: str, cue: str | None) -> Attribution | None:
    """The attribution of one turn paragraph: its label (or the turn's) and the spoken span.

    The span is measured in the original paragraph text: after the label when the paragraph
    opens with one, else the whole paragraph without surrounding space.
    """
    turn = parse_turn(original)
    if turn and turn.reporter:
        return None
    start = turn.start if turn else spoken_start(original)
    end = len(original.rstrip())
    cue = turn.cue if turn else cue
    if cue is None or start >= end:
        return None
    return Attribution(speaker=speaker, cue=cue, kind="direct", quote=(start, end))


# 'President Jo Roe' (not a vice or former president), and 'the Roe-Doe administration', the
# form a White House uses for its own.
_PRESIDENT_RE = re.compile(  # (?=[A-Z]) first only makes the scan faster
    r"(?=[A-Z])(?:(?<![Vv]ice )(?<![Ff]ormer )(?<![Ee]x-)\bPresident\s+(?:[A-Z][\w\u2019'-]+\s+)?"
    r"(?P<titled>[A-Z][\w\u2019'-]+)"
    r"|\b(?P<admin>[A-Z][a-z]+)-[A-Z][a-z]+\s+[Aa]dministration\b)")


def president_mentions(text: str) -> list[str]:
    """Surnames a text gives a president: 'President Jo Roe', 'the Roe-Doe administration'."""
    found = []
    for match in _PRESIDENT_RE.finditer(text):
        name = match["titled"] or match["admin"]
        name = re.sub(r"['\u2019]s\Z", "", name)
        if name.lower() not in TITLE_WORDS and not name.isupper():
            found.append(name)
    return found


def spoken_start(original: str) -> int:
    """Where the spoken words of an unlabelled paragraph start: after space and an open quote."""
    match = re.match(r"\s*[\"\u201c]?\s*", original)
    return match.end() if match else 0

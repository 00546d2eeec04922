"""Who is quoted or reported in a paragraph, with names resolved across the document.

Rules in the way a careful journalist reads a story: speech verbs and their subjects, quotes
and their attributions, titles and affiliations, pronouns, quotes that run on into the next
paragraph, and transcript turns ("MS. DOE:") resolved to the briefer a header names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.dates import MONTHS, WEEKDAYS
from search.organisations import (
    ACRONYM_ORGS,
    DEMONYMS,
    FUNCTION_WORDS,
    ORG_HEADS,
    PARTICLES,
    PLACES,
    RUN,
    RUN_RE,
    TITLE_WORDS,
    DocumentOrganisations,
    is_place,
    is_whole_organisation,
    organisations_in,
    organisations_in_tokens,
    strip_function_words,
    strip_place_prefix,
    strip_place_suffix,
    word_set,
)

_QUOTES_RE = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")


@dataclass(frozen=True)
class Person:
    """A person named in a document, with the title and organisation the document gives."""

    name: str
    title: str | None
    organisation: str | None

SPEECH_VERBS = word_set("""
    said says say told tells added adds noted notes warned warns acknowledged acknowledges
    announced announces stated explained explains argued argues insisted insists claimed
    asserted asserts contended contends declared declares remarked commented observed
    emphasized emphasised emphasizes emphasises stressed stresses wrote writes tweeted tweets
    replied replies responded responds answered asked asks urged urges cautioned cautions
    conceded concedes admitted admits confirmed confirms recalled recalls predicted predicts
    suggested suggests promised promises pledged pledges vowed vows concluded concludes
    reiterated reiterates countered counters complained complains testified testifies
    reported explained continued""")
# Verbs that attribute words only when a quotation follows: 'called the offer "an insult"'.
QUOTE_VERBS = word_set("called calls described describes dubbed termed branded")

# Lower-cased; a person's title is the words up to the last of these before the name.
ROLE_ENDINGS = word_set("""minister secretary president spokesman spokeswoman spokesperson
    ambassador director chairman chairwoman governor senator envoy commissioner chancellor
    premier mayor official representative""")
HONORIFICS = word_set("mr mr. mrs mrs. ms ms. miss sir dr dr.")
# Title words that name a person's role, so never the first word of an organisation's name.
GENERIC_SUBJECTS = word_set("""
    Officials Analysts Experts Critics Diplomats Sources Residents Witnesses Police
    Authorities Observers Protesters Activists Lawmakers Legislators Republicans Democrats
    Investigators Prosecutors Researchers Scientists Officers Doctors Aides Others People
    Reporters Journalists Leaders Members Voters Rebels Militants Troops Soldiers Survivors
    Families Opponents Supporters Allies Advocates Economists Engineers Teachers Students
    Parents Users Customers Investors Traders Everyone Nobody Someone Government Officials
    Administration Regime Spokesman Spokeswoman Spokesperson Official Analyst Reporter
    Question Moderator Operator Participant Staff Question""")
NON_SPEAKER_LABELS = word_set("""
    QUESTION Q QUESTIONER REPORTER PARTICIPANT MODERATOR OPERATOR NOTE UPDATE AUDIENCE
    MEMBER VOICE VOICES PRESS STAFF CORRESPONDENT ANNOUNCER EDITOR EDITORS TRANSCRIPT
    END UNIDENTIFIED INAUDIBLE CROSSTALK""")
_ROLE_NOUNS_FOR_ORG = ("official|officials|spokesman|spokeswoman|spokesperson|statement|"
                       "source|sources|representative|release|report|press release|"
                       "announcement|analyst|analysts|researcher|researchers")

_ADV = (r"(?:also|then|later|previously|recently|again|further|separately|repeatedly|once|"
        r"has|have|had|would|will|earlier|publicly|privately|quickly|simply|flatly|"
        r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|"
        r"last\s+(?:week|month|year)|this\s+week)")
_ADVS = rf"(?:\s+{_ADV})*"
_PHRASE = r"(?:[^,;:\x01.!?]|\.(?=[\w,]))"
_ROLE = rf"(?:the|a|an|\d{{1,3}}|[a-z][\w'-]*)\b{_PHRASE}{{0,140}}?"
# A role after a name that ends its clause: 'the chief economist at X' or 'chief economist at X'.
_ROLE_START = "(?:the|a|an|(?i:" + "|".join(
    sorted((re.escape(w) for w in TITLE_WORDS if w.isalpha()), key=len, reverse=True)) + r"))" \
    r"(?:-[A-Za-z]+)?\s"

_VERB_RE = re.compile(
    r"\b(?:" + "|".join(sorted(SPEECH_VERBS | QUOTE_VERBS, key=len, reverse=True)) + r")\b")
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_OWNER_WORDS = frozenset({"its", "their"})
_QUOTE_AHEAD_RE = re.compile(r"[^.!?\x01]*\x01")
_COORDINATED_RE = re.compile(
    rf"(?:\A|[.!?]\s+|\x01\s*,?\s*)(?:(?P<pronoun>he|she|He|She)|(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>{_ROLE}),)?)\s+[a-z][^.;:!?\x01]*\band\Z")
_OWNER_ROLE_RE = re.compile(r"\A(?P<noun>[a-z]+)'s\s+(?P<title>.+)\Z")
_ROLE_AT_NOUN_RE = re.compile(
    r"\A(?P<title>.+?)\s+(?:at|of|for|with|from)\s+the\s+(?P<noun>[a-z]+)\Z")
_PRONOUN_BEFORE_RE = re.compile(rf"\b(he|she|He|She|it|It){_ADVS}\s*\Z")
_APPOSITIVE_BEFORE_RE = re.compile(
    rf"(?<![\w.'-])(?P<run>{RUN})\s*,\s*(?P<role>{_ROLE}),{_ADVS}\s*\Z")
_ROLE_THEN_NAME_BEFORE_RE = re.compile(
    rf"(?P<role>(?:[a-z][\w'-]*\s+){{0,4}}[a-z][\w'-]*)\s*,\s*(?P<run>{RUN})\s*,{_ADVS}\s*\Z")
_RUN_BEFORE_RE = re.compile(rf"(?<![\w.'-])(?P<run>{RUN}){_ADVS}\s*\Z")
_ORG_ROLE_BEFORE_RE = re.compile(
    rf"(?:\b(?:a|an|the|one|two|several)\s+(?:senior\s+|top\s+|other\s+)?|(?:\A|[.!?]\s+))"
    rf"(?P<run>{RUN})\s+(?:{_ROLE_NOUNS_FOR_ORG}){_ADVS}\s*\Z"
    rf"|\b(?:a|an|the)\s+(?:{_ROLE_NOUNS_FOR_ORG})\s+(?:for|from|at|of|with)\s+(?:the\s+)?"
    rf"(?P<run2>{RUN}){_ADVS}\s*\Z")
_GROUP_AT_ORG_BEFORE_RE = re.compile(
    rf"\b(?:[Oo]fficials|[Aa]nalysts|[Ee]conomists|[Rr]esearchers|[Ee]xperts|[Ss]trategists|"
    rf"[Ss]cientists|[Ll]awyers|[Dd]iplomats)\s+(?:at|from|with|of|for)\s+(?:the\s+)?"
    rf"(?P<run>{RUN}){_ADVS}\s*\Z")
_ORG_NOUN_BEFORE_RE = re.compile(rf"\b(?:the|The)\s+(?P<noun>[a-z]+){_ADVS}\s*\Z")
_LOWER_WORDS_BEFORE_RE = re.compile(r"((?:[a-z][\w-]*\s+){1,4})\Z")
_PRONOUN_AFTER_RE = re.compile(r"\A\s*(he|she)\b")
_RUN_AFTER_RE = re.compile(
    rf"\A\s*(?:the\s+)?(?P<lc>(?:[a-z][\w-]*\s+){{0,3}}?)(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>{_ROLE_START}{_PHRASE}{{1,140}}?)(?=\s*(?:[,.;:!?]|\x01|\Z)))?")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")
_ORG_ROLE_AFTER_RE = re.compile(
    rf"\A(?:a|an|one|the)\s+(?:senior\s+|top\s+)?(?P<run>{RUN})\s+(?:{_ROLE_NOUNS_FOR_ORG})\b"
    rf"|\A(?:a|an|the)\s+(?:{_ROLE_NOUNS_FOR_ORG})\s+(?:for|from|at|of|with)\s+(?:the\s+)?"
    rf"(?P<run2>{RUN})")
_QUOTE_NAME_RE = re.compile(
    rf"\x01\s*,?\s*(?P<run>{RUN})\s*,\s*(?P<role>{_ROLE_START}{_PHRASE}{{1,140}}?)"
    rf"(?=\s*(?:[.;]|\x01|\Z))")
_COLON_QUOTE_RE = re.compile(
    rf"(?:\A|[.!?]\s+|\x01\s*)(?:(?P<pronoun>He|She)|(?P<run>{RUN}))"
    rf"(?:\s*,[^,.!?:\x01]{{1,60}},)?[^.!?:\x01]{{0,80}}:\s*\x01")
_AFTER_QUOTE_RE = re.compile(r"\x01\s*,?\s*\Z")
_TURN_RE = re.compile(
    r"\A(?P<label>(?:[A-Z][A-Z'.-]*\.?(?:\s+[A-Z][A-Z'.-]*\.?){0,4})"
    r"|(?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][\w'-]+|Question|Q)\s*:\s*")
_HEADER_BY_RE = re.compile(
    rf"\b(?:Briefing|Remarks|Statement|Interview|Conference|Call|Roundtable|Testimony|"
    rf"Availability|Readout|Address|Speech)\b[^.]*?\b(?:by|with|from)\s+(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>[^,;.]{{1,80}}))?")
_HEADER_NAME_ROLE_RE = re.compile(
    rf"\A(?:[A-Z][A-Za-z]*(?:\s+[a-z]+)?:\s*)?(?P<run>{RUN})\s*,\s*"
    rf"(?P<role>(?:[A-Z][\w.'-]*|of|for|the|and|on)"
    rf"(?:\s+(?:[A-Z][\w.'-]*|of|for|the|and|on))*)\s*(?:[,;]|\Z)")
_ACRONYM_RE = re.compile(r"\A(?:[A-Z]{2,}s?|(?:[A-Z]\.){2,})\Z")
_ROLE_SPLIT_RE = re.compile(rf"\s+(?:at|of|for|with|from)\s+(?:the\s+)?(?P<org>{RUN})\s*\Z")


def _quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Quoted spans (marks included), pairing marks in order; and whether one is left open."""
    spans: list[tuple[int, int]] = []
    start = None
    for match in _QUOTES_RE.finditer(text):
        if start is None:
            start = match.start()
        else:
            spans.append((start, match.end()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each quotation replaced by a \\x01 marker, so quoted names are not read."""
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(" \x01 ")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _is_name_token(token: str) -> bool:
    if token in PARTICLES or re.fullmatch(r"[A-Z]\.", token) or token in ("Jr.", "Sr."):
        return True
    return (token[:1].isupper() or token[:3] in ("al-", "el-")) and not _ACRONYM_RE.match(token) \
        and token not in ORG_HEADS and token not in FUNCTION_WORDS \
        and token.lower() not in WEEKDAYS and token not in GENERIC_SUBJECTS


@dataclass
class _Mention:
    """A person as one run of words names them: name tokens, title, organisation."""

    name: list[str]
    title: str | None = None
    organisation: str | None = None


def _person_mention(tokens: list[str], acronyms: dict[str, str]) -> _Mention | None:
    """Split 'Acting Secretary of State Jane Doe of the X Institute' into name, title, org."""
    tokens = strip_function_words(tokens)
    organisation = None
    for index in range(1, len(tokens) - 1):
        if tokens[index] in ("of", "from", "at") and tokens[index - 1].lower() not in TITLE_WORDS:
            tail = tokens[index + 1:]
            tail = tail[1:] if tail and tail[0] == "the" else tail
            orgs = organisations_in_tokens(tail, acronyms)
            if len(orgs) == 1 and tail and (tail[-1] in ORG_HEADS or tail[-1] in ACRONYM_ORGS
                                            or tail[-1] in acronyms):
                organisation, tokens = orgs[0], tokens[:index]
                break
    tokens = strip_place_suffix(strip_place_prefix(tokens))
    cut = _title_end(tokens)
    title_tokens, name = tokens[:cut], _without_origin(tokens[cut:])
    if name and name[0] in ("of", "for"):
        size = 3 if len(name) >= 4 and (re.fullmatch(r"[A-Z]\.", name[-2])
                                         or name[-2] in PARTICLES) else 2
        title_tokens, name = title_tokens + name[:-size], name[-size:]
    if not name or len(name) > 4 or not all(_is_name_token(t) for t in name):
        return None
    if name[0] in PARTICLES or name[-1] in PARTICLES or is_place(name):
        return None
    title = _title_text(title_tokens)
    if title and organisation is None:
        title, organisation = _role_parts(title, acronyms)
    return _Mention(name, title, organisation)


def is_title_word(word: str) -> bool:
    """Whether a word is part of a person's title, hyphenated ones too ('Director-General')."""
    word = word.lower()
    return word in TITLE_WORDS or ("-" in word and all(
        part in TITLE_WORDS for part in word.split("-")))


def _without_origin(name: list[str]) -> list[str]:
    """A name without the 'of Estmarch' after it (the orgs and titles are taken by then)."""
    for index in range(2, len(name) - 1):
        if name[index] in ("of", "from"):
            return name[:index]
    return name


def _title_end(tokens: list[str]) -> int:
    """Index after the last title word that still has a name token after it."""
    cut = 0
    for index, token in enumerate(tokens[:-1]):
        if is_title_word(token):
            cut = index + 1
    return cut


def _title_text(tokens: list[str]) -> str | None:
    tokens = [t for t in tokens if t.lower() not in HONORIFICS]
    return " ".join(tokens) or None


def _role_parts(role: str, acronyms: dict[str, str]) -> tuple[str | None, str | None]:
    """Title and organisation from a role phrase: 'the lead planner at the X Institute'."""
    role = re.sub(r"\A(?:the|a|an)\s+", "", role.strip(" ,.")).strip()
    if not role or re.search(r"\b(?:who|which|whose|that)\b", role) or len(role.split()) > 12:
        return None, None
    if re.fullmatch(r"\d{1,3}", role):
        return None, None
    split = _ROLE_SPLIT_RE.search(role)
    if split:
        orgs = organisations_in_tokens(split["org"].split(), acronyms)
        if orgs:
            title = role[:split.start()].strip() or None
            return title, orgs[0]
    orgs = organisations_in(role, acronyms)
    return role, orgs[0] if orgs else None


@dataclass
class _Speaker:
    position: int
    name: str
    is_person: bool


class SpeakerReader:
    """Reads a document's paragraphs in order, remembering people, speakers and open quotes."""

    PRONOUN_REACH = 3  # paragraphs a 'she added' may look back for its speaker

    def __init__(self) -> None:
        self.titles: dict[str, str | None] = {}
        self.affiliations: dict[str, str | None] = {}
        self.order: list[str] = []
        self.speakers: set[str] = set()
        self.organisations = DocumentOrganisations()
        self.acronyms = self.organisations.acronyms
        self.last_person: tuple[str, int] | None = None
        self.last_org: tuple[str, int] | None = None
        self.previous_quote_speaker: str | None = None
        self.turn_speaker: str | None = None
        self.in_transcript = False
        self.index = -1

    # -- people ------------------------------------------------------------------------------

    def remember(self, mention: _Mention) -> str:
        """The canonical name for a mention, registering the person if new."""
        name = self.resolve(mention.name) or " ".join(mention.name)
        if name not in self.titles:
            self.order.append(name)
            self.titles[name] = None
            self.affiliations[name] = None
        if mention.title and not self.titles[name]:
            self.titles[name] = mention.title
        if mention.organisation and not self.affiliations[name]:
            self.affiliations[name] = mention.organisation
        return name

    def resolve(self, tokens: list[str]) -> str | None:
        """The full name a (possibly partial) name refers to, most recent first."""
        wanted = [t.lower() for t in tokens]
        key = " ".join(tokens)
        if key in self.titles:
            return key
        for known in reversed(self.order):
            parts = known.lower().split()
            if len(wanted) == 1 and wanted[0] == parts[-1]:
                return known
            if len(wanted) > 1 and wanted[0] == parts[0] and wanted[-1] == parts[-1]:
                return known
        if len(wanted) == 1:
            for known in reversed(self.order):
                if len(known.split()) > 1 and wanted[0] == known.lower().split()[0]:
                    return known
        return None

    def role_parts(self, role: str) -> tuple[str | None, str | None]:
        """Title and organisation from a role, 'the union's vice chairman' resolved in context."""
        title, organisation = _role_parts(role, self.acronyms)
        owner, _, rest = (title or "").partition(" ")
        if owner in _OWNER_WORDS and rest:
            seen = self.organisations.seen
            return rest, organisation or (seen[-1] if seen else None)
        if title and not organisation:
            owner = _OWNER_ROLE_RE.match(title)
            match = owner or _ROLE_AT_NOUN_RE.match(title)
            found = self.organisations.called(match["noun"]) if match else None
            if found or owner:
                return match["title"], found
        return title, organisation

    def resolve_title(self, title: str) -> str | None:
        """The person most recently given this title, for 'the Foreign Minister said'."""
        wanted = title.lower()
        for known in reversed(self.order):
            known_title = (self.titles[known] or "").lower()
            if known_title and (known_title == wanted or known_title.endswith(" " + wanted)):
                return known
        return None

    def speaking_people(self) -> dict[str, Person]:
        """Every person who speaks in the document, with title and organisation."""
        return {name: Person(name, self.titles[name], self.affiliations[name])
                for name in self.order if name in self.speakers}

    # -- header and transcript turns ---------------------------------------------------------

    def read_header(self, text: str) -> None:
        """Register a briefer a header names: 'Briefing by Jane Doe', 'Jane Doe, Spokesperson'."""
        match = _HEADER_BY_RE.search(text)
        if match is None and len(text.split()) <= 16:
            match = _HEADER_NAME_ROLE_RE.match(text)
            if match and not any(is_title_word(w) for w in match["role"].split()):
                match = None
        if match is None:
            return
        mention = _person_mention(match["run"].split(), self.acronyms)
        if mention and (len(mention.name) > 1 or mention.title):
            if match["role"] and not mention.title:
                mention.title, mention.organisation = self.role_parts(match["role"])
            if not mention.organisation:
                later = organisations_in(text[match.end():], self.acronyms)
                mention.organisation = later[0] if later else None
            self.remember(mention)

    def turn_speaker_for(self, label: str) -> str | None:
        """The speaker a transcript label names ('MS. DOE' -> 'Jane Doe'); None for questions."""
        words = [w.strip(".") for w in label.split()]
        if not words or words[0].upper() in NON_SPEAKER_LABELS or label.lower() in PLACES:
            return None
        name_words = [w for w in words if w.lower() not in TITLE_WORDS
                      and w.lower() + "." not in TITLE_WORDS]
        if not name_words:
            return None
        tokens = [w if not w.isupper() else w.capitalize() for w in name_words]
        title_words = [w.capitalize() for w in words[:len(words) - len(name_words)]]
        mention = _Mention(tokens, _title_text(title_words))
        return self.remember(mention)

    # -- paragraphs --------------------------------------------------------------------------

    def read_speakers(self, text: str) -> list[str]:
        """Speakers of the next normalised paragraph, resolved against the ones before."""
        self.index += 1
        spans, left_open = _quote_spans(text)
        masked = _masked(text, spans) if spans else text
        speakers = self.paragraph_speakers(text, masked, bool(spans), left_open)
        self.speakers.update(speaker.name for speaker in speakers if speaker.is_person)
        return list(dict.fromkeys(speaker.name for speaker in speakers))

    def paragraph_speakers(self, text: str, masked: str, quoted: bool,
                           left_open: bool) -> list[_Speaker]:
        """Speakers of a paragraph: its transcript turn, attributions, or carried-over ones."""
        turn = _TURN_RE.match(text)
        if turn and (turn["label"] is None or turn["label"].isupper() or ". " in turn["label"]
                     or turn["label"] in ("Question", "Q")):
            return self.turn_speakers(turn, masked)
        if not self.in_transcript and len(text.split()) <= 16:
            self.read_header(text)
        self.register_mentions(masked)
        found = self.found_speakers(masked)
        if self.in_transcript and not found and not text.startswith("("):
            found = [_Speaker(0, self.turn_speaker, True)] if self.turn_speaker else []
        if not found and quoted and _QUOTES_RE.match(text) and self.previous_quote_speaker:
            found = [_Speaker(0, self.previous_quote_speaker, True)]
        self.previous_quote_speaker = found[-1].name if found and quoted and found[-1].is_person \
            else None
        if left_open and found:
            self.previous_quote_speaker = found[-1].name
        return found

    def turn_speakers(self, turn: re.Match, masked: str) -> list[_Speaker]:
        """The speaker of a transcript turn, then anyone the turn itself quotes."""
        self.in_transcript = True
        label = turn["label"] or turn.group().rstrip(": ")
        self.turn_speaker = self.turn_speaker_for(label)
        self.previous_quote_speaker = None
        found = [_Speaker(0, self.turn_speaker, True)] if self.turn_speaker else []
        self.register_mentions(masked[turn.end():])
        return found + [s for s in self.found_speakers(masked[turn.end():], pronouns=False)
                        if s.name != self.turn_speaker]

    def register_mentions(self, masked: str) -> None:
        """Remember people named in full ('Foreign Minister Jane Doe') for a later 'Doe said'."""
        for match in RUN_RE.finditer(masked):
            tokens = match.group().split()
            if len(tokens) < 2 or organisations_in_tokens(tokens, self.acronyms):
                continue
            mention = _person_mention(tokens, self.acronyms)
            if mention and len(mention.name) > 1:
                self.remember(mention)

    def found_speakers(self, masked: str, pronouns: bool = True) -> list[_Speaker]:
        """Speakers of one paragraph's unquoted text, in order of appearance."""
        found: list[_Speaker] = []
        for verb in _VERB_RE.finditer(masked):
            speaker = self.verb_speaker(masked, verb, found, pronouns)
            if speaker:
                found.append(speaker)
        if "ccording to" in masked:
            for match in _ACCORDING_RE.finditer(masked):
                speaker = self.speaker_after(masked[match.end():match.end() + 200], match.end(),
                                             strong=False, org_roles=True)
                if speaker:
                    found.append(speaker)
        if "\x01" in masked:
            for match in _QUOTE_NAME_RE.finditer(masked):
                speaker = self.person_speaker(match["run"], match["role"], match.start("run"),
                                              strong=True)
                if speaker:
                    found.append(speaker)
        if ":" in masked and "\x01" in masked:
            found.extend(self.colon_speakers(masked))
        found.sort(key=lambda s: s.position)
        for speaker in found:
            self.note_speaker(speaker)
        return found

    def colon_speakers(self, masked: str) -> list[_Speaker]:
        """Subjects of sentences that end in a colon and a quote: 'Doe was blunt: "..."'."""
        found = []
        for match in _COLON_QUOTE_RE.finditer(masked):
            if match["pronoun"]:
                speaker = self.pronoun_speaker(match["pronoun"], [], match.start("pronoun"))
            else:
                speaker = self.named_speaker(match["run"], None, match.start("run"), strong=False)
            if speaker:
                found.append(speaker)
        return found

    def note_speaker(self, speaker: _Speaker) -> None:
        """Remember the latest person and organisation quoted, for pronouns."""
        if speaker.is_person:
            self.last_person = (speaker.name, self.index)
        else:
            self.last_org = (speaker.name, self.index)

    def verb_speaker(self, masked: str, verb: re.Match, found: list[_Speaker],
                     pronouns: bool) -> _Speaker | None:
        """Who a speech verb's words belong to: the subject before it, or the name after it."""
        window = max(0, verb.start() - 160)
        before = masked[window:verb.start()].rstrip()
        after = masked[verb.end():verb.end() + 200]
        position = verb.start()
        if verb.group() in QUOTE_VERBS and not _QUOTE_AHEAD_RE.match(after):
            return None
        if not before or before.endswith((",", "\x01", ":")):
            speaker = self.speaker_after(after, verb.end(), strong=True)
            if speaker:
                return speaker
        pronoun = _PRONOUN_BEFORE_RE.search(before)
        if pronoun:
            return self.pronoun_speaker(pronoun.group(1), found, position) if pronouns else None
        speaker = self.appositive_speaker(before, window)
        if speaker:
            return speaker
        org_role = _ORG_ROLE_BEFORE_RE.search(before) or _GROUP_AT_ORG_BEFORE_RE.search(before)
        if org_role:
            return self.organisation_speaker(org_role["run"] or org_role["run2"], position)
        org_noun = _ORG_NOUN_BEFORE_RE.search(before)
        if org_noun:
            found_org = self.organisations.called(org_noun["noun"])
            return _Speaker(position, found_org, False) if found_org else None
        run = _RUN_BEFORE_RE.search(before)
        if run:
            run_start = run.start("run")
            strong = bool(_AFTER_QUOTE_RE.search(before[:run_start]))
            lower = _LOWER_WORDS_BEFORE_RE.search(before[:run_start])
            role = _lower_role(lower.group(1)) if lower else None
            return self.named_speaker(run["run"], role, window + run_start, strong)
        if before.endswith(" and"):
            return self.coordinated_speaker(before, window, found, pronouns)
        return None

    def appositive_speaker(self, before: str, window: int) -> _Speaker | None:
        """The subject of 'Jane Doe, the X's chair, said' or 'its chair, Jane Doe, said'."""
        appositive = _APPOSITIVE_BEFORE_RE.search(before)
        if appositive:
            speaker = self.person_speaker(appositive["run"], appositive["role"],
                                          window + appositive.start("run"), strong=True)
            if speaker:
                return speaker
        if "," not in before[-40:]:
            return None
        role_first = _ROLE_THEN_NAME_BEFORE_RE.search(before, max(0, len(before) - 120))
        role = _role_before_name(role_first["role"]) if role_first else None
        if role is None:
            return None
        return self.person_speaker(role_first["run"], role, window + role_first.start("run"),
                                   strong=True)

    def coordinated_speaker(self, before: str, window: int, found: list[_Speaker],
                            pronouns: bool) -> _Speaker | None:
        """The subject of 'Minister Doe thanked the teams and said ...'."""
        match = _COORDINATED_RE.search(before)
        if match is None:
            return None
        if match["pronoun"]:
            if not pronouns:
                return None
            return self.pronoun_speaker(match["pronoun"], found, window + match.start())
        return self.named_speaker(match["run"], match["role"], window + match.start("run"),
                                  strong=False)

    def speaker_after(self, after: str, position: int, strong: bool,
                      org_roles: bool = False) -> _Speaker | None:
        """The speaker named right after a speech verb or 'according to'."""
        pronoun = _PRONOUN_AFTER_RE.match(after)
        if pronoun:
            return self.pronoun_speaker(pronoun.group(1), [], position)
        if org_roles:
            org_role = _ORG_ROLE_AFTER_RE.match(after)
            if org_role:
                return self.organisation_speaker(org_role["run"] or org_role["run2"], position)
        match = _RUN_AFTER_RE.match(after)
        if match is None:
            return None
        lower = match["lc"].split()
        role = match["role"] or _lower_role(match["lc"])
        if lower and role is None:
            return None
        if match["role"] and match["lc"].strip():
            role = f"{match['lc'].strip()} {match['role']}"
        return self.named_speaker(match["run"], role, position + match.start("run"), strong)

    def named_speaker(self, run: str, role: str | None, position: int,
                      strong: bool) -> _Speaker | None:
        """A person or organisation speaker from a run of capitalised words."""
        tokens = strip_function_words(run.split())
        if not tokens or tokens[0].lower() in WEEKDAYS or tokens[0].rstrip(".").lower() in MONTHS:
            return None
        orgs = organisations_in_tokens(tokens, self.acronyms)
        if orgs and is_whole_organisation(tokens, orgs[0]):
            return _Speaker(position, orgs[0], False)
        return self.person_speaker(run, role, position, strong)

    def person_speaker(self, run: str, role: str | None, position: int,
                       strong: bool) -> _Speaker | None:
        """A person speaker from a run (and role), resolved against people met so far."""
        tokens = strip_function_words(run.split())
        if tokens and tokens[-1].lower() in ROLE_ENDINGS:
            known = self.resolve_title(" ".join(strip_place_prefix(tokens)))
            return _Speaker(position, known, True) if known else None
        mention = _person_mention(tokens, self.acronyms)
        if mention is None:
            return None
        if role and not mention.title:
            title, organisation = self.role_parts(role)
            mention.title = title
            mention.organisation = mention.organisation or organisation
        if mention.title in _SPOKESPEOPLE and not mention.organisation:
            mention.organisation = self.organisations.only_in_paragraph()
        name_tokens = mention.name
        if len(name_tokens) == 1 and self.resolve(name_tokens) is None and not (
                strong or mention.title or role):
            return None
        if len(name_tokens) == 1 and name_tokens[0] in DEMONYMS:
            return None
        return _Speaker(position, self.remember(mention), True)

    def organisation_speaker(self, run: str, position: int) -> _Speaker | None:
        """An organisation speaker ('a Treasury spokesman said'), if the run names one."""
        orgs = organisations_in_tokens(strip_function_words(run.split()), self.acronyms)
        return _Speaker(position, orgs[-1], False) if orgs else None

    def pronoun_speaker(self, pronoun: str, found: list[_Speaker],
                        position: int) -> _Speaker | None:
        """The speaker a 'he'/'she'/'it' refers to: the latest person (or organisation) quoted."""
        wants_person = pronoun.lower() != "it"
        for speaker in reversed(found):
            if speaker.is_person == wants_person:
                return _Speaker(position, speaker.name, wants_person)
        latest = self.last_person if wants_person else self.last_org
        if latest and self.index - latest[1] <= self.PRONOUN_REACH:
            return _Speaker(position, latest[0], wants_person)
        return None


def _role_before_name(words: str) -> str | None:
    """The role in 'its vice-president, Jane Doe,': title words, with the owner before them."""
    role = _lower_role(words)
    if role is None:
        return None
    rest = words.split()[:-len(role.split())]
    if rest and (rest[-1] in _OWNER_WORDS or rest[-1].endswith("'s")):
        return f"{rest[-1]} {role}"
    return role


def _lower_role(words: str) -> str | None:
    """Lower-case role words just before a name ('former ambassador'), else None."""
    kept: list[str] = []
    for word in reversed(words.split()):
        if not is_title_word(word):
            break
        kept.insert(0, word)
    return " ".join(kept) or None

"""Who is quoted or reported in a paragraph, with names resolved across the document.

Rules in the way a careful journalist reads a story: speech verbs and their subjects, quotes
and their attributions, titles and affiliations, pronouns, quotes that run on into the next
paragraph, and transcript turns ("MS. DOE:") resolved to the briefer a header names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from search.attributions import Attribution
from search.clauses import clause_start, comma_parts
from search.cues import first_letters, trie_pattern
from search.dates import MONTHS, WEEKDAY_PATTERN, WEEKDAYS
from search.names import gender_of, pronoun_gender
from search.organisations import (
    ACRONYM_ORGS,
    DEMONYMS,
    FUNCTION_WORDS,
    ORG_HEADS,
    PARTICLES,
    RUN,
    RUN_RE,
    RUN_START,
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
from search.quotes import QUOTES_RE, content, masked_text, quote_spans, sentence_bounds
from search.transcripts import (
    PAGE_LABELS,
    REPORTER_LABELS,
    TRANSCRIPT_END_RE,
    Turn,
    continues_turn,
    header_people,
    parse_turn,
    president_mentions,
    turn_attribution,
)

_QUOTES_RE = QUOTES_RE
_quote_spans = quote_spans
_masked = masked_text


@dataclass(frozen=True)
class Person:
    """A person named in a document, with the title and organisation the document gives."""

    name: str
    title: str | None
    organisation: str | None

SPEECH_VERBS = word_set("""
    said says say told tells added adds noted notes warned warns acknowledged acknowledges
    announced announces stated explained explains argued argues insisted insists claimed claims
    asserted asserts contended contends declared declares remarked commented observed
    emphasized emphasised emphasizes emphasises stressed stresses wrote writes tweeted tweets
    replied replies responded responds answered asked asks urged urges cautioned cautions
    conceded concedes admitted admits confirmed confirms recalled recalls predicted predicts
    suggested suggests promised promises pledged pledges vowed vows concluded concludes
    reiterated reiterates countered counters complained complains testified testifies
    reported explained continued accused accuses denied denies criticized criticised
    criticizes criticises apologised apologized apologises apologizes demanded demands
    proposed proposes echoed echoes lamented laments alleged alleges disputed disputes
    objected objects questioned questions underscored underscores reaffirmed reaffirms
    expressed expresses conveyed conveys highlighted touted touts cited cites
    recommended recommends advised advises counselled reckoned reckons mused quipped
    boasted boasts conceded acknowledged affirmed affirms assured assures
    underscored underscores encouraged encourages mentioned mentions""")
# Verbs that attribute words only when a quotation follows: 'called the offer "an insult"'.
QUOTE_VERBS = word_set("""called calls described describes dubbed termed branded brands
    attacked attacks slammed blasted praised praises""")

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
    Question Moderator Operator Participant Staff Question Proponents Backers Detractors
    Skeptics Sceptics Defenders Organizers Organisers Campaigners Demonstrators Lawyers
    Attorneys Protesters Members Sponsors Donors Employees Workers Negotiators Delegates""")
NON_SPEAKER_LABELS = REPORTER_LABELS | PAGE_LABELS  # labels that never name a speaker
# Roles and party labels that stand before a name and are no part of it: 'House Speaker Jane
# Doe', 'Democrat Jane Doe', 'Acme CEO Jane Doe', 'Tory MP Jane Doe'.
_TITLES = TITLE_WORDS | word_set("""speaker investigator detective coach ceo cfo coo cto
    mp mep msp boss whip nominee candidate lawmaker legislator treasurer comptroller auditor
    magistrate trustee chairperson democrat republican democratic gop tory labour conservative
    liberal independent socialist lord lady gentleman dame baroness baron senators representatives
    governors ministers secretaries mayors congressmen""")
_ROLE_NOUNS_FOR_ORG = ("official|officials|spokesman|spokeswoman|spokesperson|statement|"
                       "source|sources|representative|release|report|press release|"
                       "announcement|analyst|analysts|researcher|researchers")

_ADV = (r"(?:also|then|later|previously|recently|again|further|separately|repeatedly|once|"
        r"has|have|had|would|will|earlier|publicly|privately|quickly|simply|flatly|"
        rf"(?:on\s+)?{WEEKDAY_PATTERN}|yesterday|today|"
        r"last\s+(?:week|month|year)|this\s+week|(?!only\b)[a-z]{3,}ly|in\s+particular|too|"
        r"however|instead|not|never|always|often|both|once\s+again)")
_ADVS = rf"(?:\s+{_ADV})*"
_LAST_ADV_RE = re.compile(rf"\s+{_ADV}\Z")
_PHRASE = r"(?:[^,;:\x01.!?]|\.(?=[\w,]))"
_ROLE = rf"(?:the|a|an|\d{{1,3}}|[a-z][\w'-]*)\b{_PHRASE}{{0,140}}?"
# A role after a name that ends its clause: 'the chief economist at X' or 'chief economist at X'.
_ROLE_START = "(?:the|a|an|(?i:" + "|".join(
    sorted((re.escape(w) for w in TITLE_WORDS if w.isalpha()), key=len, reverse=True)) + r"))" \
    r"(?:-[A-Za-z]+)?\s"

# Speech verbs of more than one word ('made it clear that'), in readouts and briefings.
_PHRASE_VERBS = (r"made\s+(?:it\s+)?clear", r"makes\s+(?:it\s+)?clear")
# The words as a trie (one alternation of 200 words is slow), behind a lookahead of their
# first letters that only makes the scan faster.
_VERB_RE = re.compile(
    first_letters([*SPEECH_VERBS, *QUOTE_VERBS, "made", "makes"])
    + r"\b(?:" + "|".join([*_PHRASE_VERBS, trie_pattern(SPEECH_VERBS | QUOTE_VERBS)]) + r")\b")
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_OWNER_WORDS = frozenset({"its", "their"})
# Verbs a name may follow outside quotes ('..., said Jane Doe'); after others it is the object.
_INVERTING_VERBS = frozenset({"said", "says", "added", "adds", "wrote", "writes", "explained"})
# 'called the plan a hoax': a verdict in words, quoted or not.
_CALLED_IT_RE = re.compile(r"(?:\s+(?!a\b|an\b)[\w'.-]+){1,5}\s+(?:a|an)\s+[a-z]")
_CALL_ON_RE = re.compile(r"\s+(?:on|for|upon)\b")
_NOUN_USE_AFTER_RE = re.compile(r"\s+(?:[a-z]+ed\s+by|made|of)\b")  # after a plural noun
_QUOTE_AHEAD_RE = re.compile(r"[^.!?\x01]*\x01")
_COORDINATED_RE = re.compile(
    rf"(?:\A|[.!?]\s+|\x01\s*+,?\s*+)(?:(?P<pronoun>he|she|He|She)|(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>{_ROLE}),)?)\s+[a-z][^.;:!?]*\b(?:and|but)\Z")
_OWNER_ROLE_RE = re.compile(r"\A(?P<noun>[a-z]+)'s\s+(?P<title>.+)\Z")
_ROLE_AT_NOUN_RE = re.compile(
    r"\A(?P<title>.+?)\s+(?:at|of|for|with|from)\s+the\s+(?P<noun>[a-z]+)\Z")
_PRONOUN_BEFORE_RE = re.compile(rf"(?=[hHsSiItT])\b(he|she|He|She|it|It|they|They){_ADVS}\s*\Z")
# The first of two people who speak together: 'Jane Doe and John Roe said'.
_PARTNER_BEFORE_RE = re.compile(rf"{RUN_START}(?P<run>{RUN})\s*,?\s+and\s+\Z")
_PLURAL_SUBJECT_RE = re.compile(
    r"(?:\A|[.!?]\s+)(?:[A-Z][a-z]+\s+)?[a-z]+s\s+(?:say|said|argue|argued|contend|claim|"
    r"warn|insist|believe|fear)\b")
_LIST_ITEM_BEFORE_RE = re.compile(rf"{RUN_START}(?P<run>{RUN})\s*,\s*\Z")
# Participles that report speech of the clause's subject: 'Doe spoke, promising to act'.
_PARTICIPLE_RE = re.compile(r"(?=[abcdefinpqstuvw])"  # their first letters: a faster scan
                            r"\b(?:saying|adding|arguing|noting|warning|insisting|claiming|"
                            r"complaining|questioning|promising|pledging|vowing|urging|"
                            r"explaining|accusing|calling\s+(?:on|for)|denying|stressing|"
                            r"suggesting|telling|describing|predicting|citing|slamming|"
                            r"blasting|blaming|forecasting|criticizing|criticising|condemning|"
                            r"praising|decrying|asserting|contending|"
                            r"to\s+(?:express|reaffirm|underscore|convey|emphasize|stress|call)|"
                            r"calling)\b")
# What a participle with no comma before it may follow: 'issued a report arguing', 'by warning'.
_SPEECH_ACT_BEFORE_RE = re.compile(
    r"(?:\b(?:a|an|the|his|her|its|their)\s+(?:[a-z]+\s+)?(?:report|statement|speech|letter|"
    r"memo|op-ed|essay|post|tweet|release|address|video|interview|ad)"
    rf"(?:\s+(?:on\s+)?(?:{WEEKDAY_PATTERN}|today))?"
    r"|\bby)\s*\Z")
_APPOSITIVE_BEFORE_RE = re.compile(
    rf"{RUN_START}(?P<run>{RUN})\s*,\s*(?P<role>{_ROLE}),{_ADVS}\s*\Z")
# A name between commas that ends a clause, its role before it: 'its chair, Jane Doe, said'.
_NAME_BETWEEN_COMMAS_RE = re.compile(rf",\s*(?P<run>{RUN})\s*,{_ADVS}\s*\Z")
_LOWER_WORD_RE = re.compile(r"[a-z][\w'-]*\Z")
_RUN_BEFORE_RE = re.compile(rf"{RUN_START}(?P<run>{RUN}){_ADVS}\s*\Z")
_ORG_ROLE_BEFORE_RE = re.compile(
    r"(?:\A|(?=[aots.!?]))"
    rf"(?:(?:\b(?:a|an|the|one|two|several)\s+(?:senior\s+|top\s+|other\s+)?|(?:\A|[.!?]\s+))"
    rf"(?P<run>{RUN})\s+(?:{_ROLE_NOUNS_FOR_ORG}){_ADVS}\s*\Z"
    rf"|\b(?:a|an|the)\s+(?:{_ROLE_NOUNS_FOR_ORG})\s+(?:for|from|at|of|with)\s+(?:the\s+)?"
    rf"(?P<run2>{RUN}){_ADVS}\s*\Z)")
_GROUP_AT_ORG_BEFORE_RE = re.compile(
    rf"(?=[OoAaEeRrSsLlDd])"
    rf"\b(?:[Oo]fficials|[Aa]nalysts|[Ee]conomists|[Rr]esearchers|[Ee]xperts|[Ss]trategists|"
    rf"[Ss]cientists|[Ll]awyers|[Dd]iplomats)\s+(?:at|from|with|of|for)\s+(?:the\s+)?"
    rf"(?P<run>{RUN}){_ADVS}\s*\Z")
# Roles that point back to the person holding them: 'the mayor said', 'the Vermont senator'.
_PERSON_ROLES = word_set("""minister secretary president mayor governor senator congressman
    congresswoman nominee candidate chancellor commissioner judge coach ambassador premier
    chairman chairwoman leader lawmaker attorney prosecutor sheriff detective investigator
    representative chief executive director""")
_ROLE_ALIASES = {"sen": "senator", "gov": "governor", "rep": "representative",
                 "senators": "senator",
                 "congressman": "representative", "congresswoman": "representative",
                 "executive": "chief", "ceo": "chief"}
_ROLE_NOUN_BEFORE_RE = re.compile(
    r"(?=[tT]he\s)(?<![\w'])(?:the|The)\s+(?P<mods>(?:(?!the\b)[\w.'-]+\s+){0,3}?)"
    r"(?P<role>" + "|".join(sorted(_PERSON_ROLES, key=len, reverse=True)) + r")"
    rf"{_ADVS}\s*\Z")
_ORG_NOUN_BEFORE_RE = re.compile(rf"(?=[tT]he\s)\b(?:the|The)\s+(?P<noun>[a-z]+){_ADVS}\s*\Z")
_PRONOUN_AFTER_RE = re.compile(r"\A\s*(he|she)\b")
_RUN_AFTER_RE = re.compile(
    rf"\A\s*(?:the\s+)?(?:[A-Z][\w.&-]*'s\s+)?(?P<lc>(?:[a-z][\w-]*\s+){{0,3}}?)(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>{_ROLE_START}{_PHRASE}{{1,140}}?)(?=\s*(?:[,.;:!?]|\x01|\Z)))?")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")
# 'you heard from the President that ...': the words are the President's.
_HEARD_FROM_RE = re.compile(
    r"\bheard\s+from\s+(?=(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
    r"(?:\s+[a-z]+ly)?\s+(?:that|say|saying)\b)")
_ORG_ROLE_AFTER_RE = re.compile(
    rf"\A(?:a|an|one|the)\s+(?:senior\s+|top\s+)?(?P<run>{RUN})\s+(?:{_ROLE_NOUNS_FOR_ORG})\b"
    rf"|\A(?:a|an|the)\s+(?:{_ROLE_NOUNS_FOR_ORG})\s+(?:for|from|at|of|with)\s+(?:the\s+)?"
    rf"(?P<run2>{RUN})")
_QUOTE_NAME_RE = re.compile(
    rf"\x01\s*+,?\s*+(?P<run>{RUN})\s*,\s*(?P<role>{_ROLE_START}{_PHRASE}{{1,140}}?)"
    rf"(?=\s*(?:[.;]|\x01|\Z))")
_COLON_QUOTE_RE = re.compile(
    rf"(?:\A|[.!?]\s+|\x01\s*)(?:(?P<pronoun>He|She)|(?P<run>{RUN}))"
    rf"(?:\s*,[^,.!?:\x01]{{1,60}},)?[^.!?:\x01]{{0,80}}:\s*\x01")
_AFTER_QUOTE_RE = re.compile(r"\x01\s*,?\s*\Z")
_HEADER_BY_RE = re.compile(
    rf"\b(?:Briefing|Remarks|Statement|Interview|Conference|Call|Roundtable|Testimony|"
    rf"Availability|Readout|Address|Speech)\b[^.]*?\b(?:by|with|from)\s+(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>[^,;.]{{1,80}}))?")
_HEADER_NAME_ROLE_RE = re.compile(
    rf"\A(?:[A-Z][A-Za-z]*(?:\s+[a-z]+)?:\s*)?(?P<run>{RUN})\s*,\s*"
    rf"(?P<role>(?:[A-Z][\w.'-]*|of|for|the|and|on)"
    rf"(?:\s+(?:[A-Z][\w.'-]*|of|for|the|and|on))*)\s*(?:[,;]|\Z)")
# A clause's subject: a pronoun first, or a name followed by a lower-case word (its verb).
_PRONOUN_SUBJECT_RE = re.compile(r"\s*(?P<pronoun>He|She)\s+[a-z]")
_SUBJECT_RUN_RE = re.compile(rf"{RUN_START}(?P<run>{RUN})(?=\s+[a-z])")
_SUBJECT_FOLLOW_RE = re.compile(
    r",?\s+(?!(?:and|or|but|the|of|in|on|at|to|for|with|from|by|who|which|whose|that|as|"
    r"than|a|an|its|his|her|their)\b)[a-z]{3,}\b")
_OBJECT_BEFORE_RE = re.compile(
    r"\b(?:of|to|with|for|by|from|at|in|on|about|against|than)\s+(?:the\s+)?\Z")
_QUESTION_BEFORE_RE = re.compile(r"\b(?:did|does|do|will|would|could|should|can)\s+\Z")
_PREPOSITION_BEFORE_RE = re.compile(
    r"\b(?:of|to|with|for|by|from|at|in|on|about|against|and|or|than)\s+(?:the\s+)?\Z")
_HONOURS = word_set("lord lady dame baroness")
_WHO_CLAUSE_BEFORE_RE = re.compile(
    rf"{RUN_START}(?P<run>{RUN})\s*,\s*who\s+(?:[a-z][\w'-]*\s+)+[^,;:\x01]{{0,80}}\Z")
# A clause's subject after a conjunction, inside a part: 'He spoke as Sir Jo Doe'.
_CONJUNCT_NAME_RE = re.compile(
    rf"\b(?:as|when|while|after|before|because|since|but|although|though)\s+"
    rf"(?P<lc>(?:[a-z][\w-]*\s+){{0,3}})(?P<run>{RUN})\Z")
_GENDERED_RE = re.compile(r"\b(?:[Hh]e|[Hh]is|him|himself|[Ss]he|[Hh]er|herself)\b")
_MALE_PRONOUNS = frozenset({"he", "He", "his", "His", "him", "himself"})
_FEMALE_PRONOUNS = frozenset({"she", "She", "her", "Her", "herself"})
_MAIN_SUBJECT_RE = re.compile(
    rf"[,\x01]\s*(?:,\s*)?(?:(?P<pronoun>he|she)|(?P<run>{RUN}))\s+[a-z]")
# The people a run of capitalised words names, by (run, acronyms): the same in every document.
_RUN_PEOPLE: dict[tuple[str, tuple], list[_Mention]] = {}
# A deputy's role is another role: 'Vice President Doe' is not 'the president'.
_SECOND_IN_COMMAND_RE = re.compile(r"\b(vice|deputy|assistant|under|lieutenant)[\s-]+(\w+)")
# A body that is no named organisation stands between 'it' and the one quoted before.
_GOVERNMENT_RE = re.compile(r"\b(?:government|administration|ministry|authorities|court)\b")
# An unnamed person who opens a sentence and does something: 'The boyfriend told police'.
_UNNAMED_SUBJECT_RE = re.compile(
    r"(?:\A|(?=[.!?]))(?:\A|[.!?]\s+)(?:The|A|An|His|Her|Their)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>"
    r"boyfriend|girlfriend|husband|wife|man|woman|boy|girl|witness|victim|suspect|driver|"
    r"neighbou?r|friend|father|mother|son|daughter|brother|sister|resident|passenger|"
    r"customer|employee|worker|caller|gunman|shooter|teenager|student|patient)"
    r"\s+(?:[a-z]+ed|told|said|says|saw|ran|went|took|gave|came|was|is|had|has)\b")
_TRAILING_WHEN_RE = re.compile(
    r"\s+(?:on|in|at|for)\s+(?:the\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)\b.*\Z")
_AFFILIATED_BEFORE_RE = re.compile(
    rf"{RUN_START}(?P<run>{RUN})\s+(?:with|of|from|at|for)\s+the\s+(?:[\w.'-]+\s+){{0,5}}?"
    r"(?i:department|office|agency|company|union|police|university|institute|council|"
    r"committee|commission|campaign|firm|bank|board|court|bureau|service|association|"
    r"coalition|foundation|center|centre|hospital|school|district)\s*\Z")
# Two people named together, each perhaps with a role between commas.
_PAIR_RE = re.compile(
    rf"{RUN_START}(?P<first>{RUN})(?:\s*,[^,;.\x01]{{1,60}},)?\s+and\s+(?P<second>{RUN})")
# The signature an embedded tweet ends with: ' - Jane Doe (@janedoe) May 5, 2016'.
_TWEET_SIGNATURE_RE = re.compile(
    r"\s-\s*(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4})\s*(?P<handle>\(@\w{1,30}\))"
    r"(?=\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*\Z)")
_WITH_GROUP_BEFORE_RE = re.compile(
    rf"{RUN_START}(?P<run>{RUN})\s+and\s+(?:[\w-]+\s+){{0,3}}(?:leaders|officials|lawmakers|"
    rf"members|aides|advisers|advisors|allies|colleagues|supporters|others)\s*\Z")
_LIST_OPENING_RE = re.compile(r"(?:including|like|such\s+as|along\s+with|as\s+well\s+as|and|or)\b")
_NAME_PART_RE = re.compile(rf"(?P<lc>(?:[\w-]+\s+){{0,4}}?)(?P<run>{RUN})")
# A part of a clause that describes rather than names: 'a lawyer for the union', 'one of them'.
_DESCRIPTION_RE = re.compile(r"\A(?:[a-z\d]|(?:A|An|The|One|Another|Her|His|Its|Their)\s)")
# A clause's introduction: 'After the vote', 'In a statement on Monday', 'Asked about it'.
_INTRO_RE = re.compile(r"\A(?:After|Before|When|While|As|If|Although|Though|Since|Because|"
                       r"In|On|At|During|Asked|Speaking|Writing|Following|Earlier|Later)\b")
# The text before a sentence's first word ends here: its start, a full stop, a quotation.
_SENTENCE_OPENING_RE = re.compile(r"(?:\A\s*|[.!?]\s+)(?:[\w.'-]+,?\s+){0,3}\Z")
_ACRONYM_RE = re.compile(r"\A(?:[A-Z]{2,}s?|(?:[A-Z]\.){2,})\Z")
_ROLE_SPLIT_RE = re.compile(rf"\s+(?:at|of|for|with|from)\s+(?:the\s+)?(?P<org>{RUN})\s*\Z")


_NAME_SUFFIXES = frozenset({"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"})  # generational


def _is_name_token(token: str) -> bool:
    if token in PARTICLES or re.fullmatch(r"[A-Z]\.", token) or token in _NAME_SUFFIXES:
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
    gender: str | None = None


def _person_mention(tokens: list[str], acronyms: dict[str, str]) -> _Mention | None:
    """Split 'Acting Secretary of State Jane Doe of the X Institute' into name, title, org."""
    tokens = _sentence_words_off(tokens)
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
    if not name or len(name) > 4 or not all(_is_name_token(t) for t in name) \
            or name[-1].lower() in ROLE_ENDINGS or name[-1] == "Leader":  # 'Mexican President'
        return None
    if name[0] in PARTICLES or name[-1] in PARTICLES or is_place(name):
        return None
    title = _title_text(title_tokens)
    if title and organisation is None:
        title, organisation = _role_parts(title, acronyms)
    return _Mention(name, title, organisation, gender_of(title_tokens, name))


def _title_follows(after: str) -> bool:
    """Whether a title for a later name follows a run: ' coach Jo', ' press secretary Jo'."""
    words = after.split()[:3]
    for word in words:
        if is_title_word(word):
            return True
        if not word.islower():
            return False
    return False


def is_title_word(word: str) -> bool:
    """Whether a word is part of a person's title, hyphenated ones too ('Director-General')."""
    word = word.lower()
    return word in _TITLES or ("-" in word and all(
        part in _TITLES for part in word.split("-")))


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
    cue: str = ""  # the cue as written: 'said', 'according to', ':'; '' for a quote alone
    cue_span: tuple[int, int] | None = None  # where the cue is in the text it was read from


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
        self.genders: dict[str, str] = {}
        self.hint: str | None = None  # the gender a name being resolved has, if known
        self.unnamed: list[tuple[int, int, str | None]] = []  # (paragraph, position, gender)
        self.bare: set[str] = set()  # people the document has called by surname alone
        self.context = ""  # the masked text being read
        self.quoted: tuple[str, list[tuple[int, int]]] = ("", [])  # its text and quotations
        self.acronyms_seen: tuple[int, tuple] = (0, ())
        self.group: tuple[tuple[str, str], int] | None = None  # two people who spoke together
        self.partners: list[_Speaker] = []  # speakers found beside the one a cue returns
        self.spoken: list[tuple[str, str, str, tuple[int, int]]] = []  # the latest paragraph's
        # People in focus for a 'she said', latest last: (name, paragraph, position).
        # (name, paragraph, position, kind): kind "s" a speaker, "o" a sentence's opening
        # subject, "m" another subject.
        self.recent: list[tuple[str, int, int, str]] = []
        self.last_org: tuple[str, int] | None = None
        self.previous_quote_speaker: str | None = None
        self.turn_speaker: str | None = None
        self.turn_cue: str | None = None
        self.turn_paragraph = -1  # index of the latest paragraph spoken in a named turn
        self.turn_quoted = False
        self.turn_start = 0  # where the latest paragraph's words start, after a turn's label
        self.after_colon = False  # the latest paragraph ends in a colon: 'Transcript follows:'
        self.presidents: Counter[str] = Counter()
        self.in_transcript = False
        self.index = -1

    # -- people ------------------------------------------------------------------------------

    def remember(self, mention: _Mention) -> str:
        """The canonical name for a mention, registering the person if new."""
        name = self.resolve(mention.name) or " ".join(mention.name)
        if len(mention.name) == 1:
            self.bare.add(name)
        if name not in self.titles:
            self.order.append(name)
            if " " in name:  # 'White' is then Mary Jo White, not a short 'White House'
                self.organisations.context.people.add(name.rsplit(" ", 1)[-1])
            self.titles[name] = None
            self.affiliations[name] = None
        if mention.title and not self.titles[name]:
            self.titles[name] = mention.title
        if mention.organisation and not self.affiliations[name]:
            self.affiliations[name] = mention.organisation
        if mention.gender and name not in self.genders:
            self.genders[name] = mention.gender
        return name

    def resolve(self, tokens: list[str]) -> str | None:
        """The full name a (possibly partial) name refers to, most recent first."""
        wanted = [t.lower() for t in tokens]
        key = " ".join(tokens)
        if key in self.titles:
            return key
        if len(wanted) == 1:
            same = [known for known in self.order if _name_parts(known)[-1] == wanted[0]]
            if len(same) > 1:  # 'Clinton' of two: the one the pronouns fit, else the one
                # the story already calls by surname alone, else the one it introduced first
                same.sort(key=lambda known: (bool(self.hint) and self.genders.get(known)
                                             != self.hint, known not in self.bare))
            if same:
                return same[0]
        in_focus = [entry[0] for entry in reversed(self.recent[-12:])]
        if len(wanted) > 1:
            for known in dict.fromkeys(in_focus + self.order[::-1]):
                parts = _name_parts(known)
                if wanted[0] == parts[0] and wanted[-1] == parts[-1]:
                    return known
        elif len(wanted) == 1:
            for known in reversed(self.order):
                words = _lower_words(known)
                if len(words) > 1 and wanted[0] == words[0]:
                    return known
        return None

    def fullest(self, name: str) -> str:
        """The one full name the document gives for a bare surname, else the name as it is."""
        if name not in self.titles:
            return name  # an organisation, or nobody the document introduced
        wanted = _lower_words(name)
        fuller = [known for known in self.order if len(_lower_words(known)) > len(wanted)
                  and _name_parts(known)[-len(wanted):] == wanted]
        return fuller[0] if len(fuller) == 1 else name

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

    def role_holder(self, role: str, modifiers: list[str]) -> str | None:
        """The person 'the (Vermont) senator' means: the one in focus who holds the role."""
        wanted = _ROLE_ALIASES.get(role, role)
        holders = [name for name in dict.fromkeys(
            [e[0] for e in reversed(self.recent) if self.index - e[1] <= self.PRONOUN_REACH]
            + self.order[::-1])
            if wanted in _title_roles(self.titles.get(name))]
        lowered = {m.lower() for m in modifiers}
        for name in holders:
            if lowered <= set((self.titles[name] or "").lower().split()):
                return name
        if holders:
            return holders[0]
        here = {e[0] for e in self.recent if e[1] == self.index}
        if len(here) == 1 and not self.titles.get(next(iter(here))):
            return here.pop()  # 'Sanders still senses ..., the Vermont senator said'
        if len(self.order) == 1 and not self.titles[self.order[0]]:
            return self.order[0]  # the one person the story has named: its headline's
        before = {e[0] for e in self.recent if e[1] == self.index - 1}
        untitled = [name for name in before if not self.titles.get(name)]
        if len(untitled) == 1:
            return untitled[0]  # 'Jo Doe backed the plan.' then 'the prime minister said'
        spoke = [e for e in self.recent if e[3] == "s"]
        latest = spoke[-1] if spoke and not modifiers else None
        if latest and self.index - latest[1] <= 1 and not self.titles.get(latest[0]):
            return latest[0]
        return None

    def resolve_title(self, title: str) -> str | None:
        """The person most recently given this title, for 'the Foreign Minister said'."""
        wanted = title.lower()
        if wanted == "president" and self.in_transcript and self.principal():
            return self.principal()
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
        """Register briefers a header names: 'Briefing by Jane Doe and Al Roe', 'Doe, Chief'."""
        people = header_people(text)
        for person in people:
            if not all(_is_name_token(t) for t in person.name):
                continue  # 'Background Call by Senior Administration Officials'
            mention = _Mention(person.name)
            if person.title:
                mention.title, mention.organisation = self.role_parts(person.title)
                mention.title = self.title_without_organisation(mention.title,
                                                                mention.organisation)
            name = self.remember(mention)
            if (person.title or "").lower() == "president":
                self.presidents[name] += 3  # the president a header names is 'the President'
        if people or _HEADER_BY_RE.search(text) or len(text.split()) > 16:
            return
        match = _HEADER_NAME_ROLE_RE.match(text)
        if match is None or not any(is_title_word(w) for w in match["role"].split()):
            return
        mention = _person_mention(match["run"].split(), self.acronyms)
        if mention and (len(mention.name) > 1 or mention.title):
            if match["role"] and not mention.title:
                mention.title, mention.organisation = self.role_parts(match["role"])
            if not mention.organisation:
                later = organisations_in(text[match.end():], self.acronyms)
                mention.organisation = later[0] if later else None
            self.remember(mention)

    def title_without_organisation(self, title: str | None,
                                   organisation: str | None) -> str | None:
        """'White House Press Secretary' -> 'Press Secretary' when the organisation is known."""
        tokens = (title or "").split()
        for size in range(1, len(tokens)):
            if organisation and organisations_in_tokens(tokens[:size], self.acronyms) == [
                    organisation]:
                return " ".join(tokens[size:])
        return title

    def accepts_turn(self, turn: Turn) -> bool:
        """Whether a label opens a turn: a bare 'DOE:' (or 'ISLAMABAD:') must be expected.

        Reporters, roles and honorifics always do; other labels once the document is a
        transcript, after a colon or a quotation mark, or when they name a known person.
        """
        if turn.reporter or turn.role or turn.honorific:
            return True
        if self.in_transcript or turn.quoted or self.after_colon:
            return True
        return self.resolve_with_title(turn.name, turn.title) is not None

    def turn_speaker_for(self, turn: Turn) -> str | None:
        """The speaker a turn's label names ('MS. DOE' -> 'Jane Doe'); None for reporters."""
        if turn.reporter:
            return None
        if turn.role:
            return self.resolve_title(turn.role) or self.resolve_title_start(turn.role)
        if not turn.title and len(turn.name) == 1 and turn.name[0].upper() in self.acronyms:
            return None  # an organisation's acronym the document defines, 'ACME:'
        known = self.resolve_with_title(turn.name, turn.title)
        return self.remember(_Mention(known.split() if known else turn.name,
                                      _title_text(turn.title)))

    def resolve_with_title(self, name: list[str], title: list[str]) -> str | None:
        """The known person a label names, preferring one whose title the label repeats."""
        wanted = " ".join(title).lower()
        if wanted:
            for known in reversed(self.order):
                if (self.titles[known] or "").lower().endswith(wanted) \
                        and known.lower().split()[-1] == name[-1].lower():
                    return known
        spoken = " " + " ".join(name).lower()
        for known in reversed(self.order):
            if len(name) > 1 and (" " + known.lower()).endswith(spoken):
                return known  # 'MR. DE WITT' -> 'Anna de Witt'
        return self.resolve(name)

    def resolve_title_start(self, role: str) -> str | None:
        """The person most recently given a title starting with a role: 'secretary of state'."""
        for known in reversed(self.order):
            if (self.titles[known] or "").lower().startswith(role):
                return known
        return None

    # -- paragraphs --------------------------------------------------------------------------

    def read_speakers(self, text: str) -> list[str]:
        """Speakers of the next normalised paragraph, resolved against the ones before."""
        self.index += 1
        spans, left_open = _quote_spans(text)
        masked = _masked(text, spans)
        self.quoted = (text, spans)
        speakers = self.paragraph_speakers(text, masked, bool(spans), left_open)
        self.speakers.update(speaker.name for speaker in speakers if speaker.is_person)
        self.spoken = self.spans_of(text, spans, masked, speakers)
        return list(dict.fromkeys(speaker.name for speaker in speakers))

    def spans_of(self, text: str, spans: list[tuple[int, int]], masked: str,
                 speakers: list[_Speaker]) -> list[tuple[str, str, str, tuple[int, int]]]:
        """(speaker, cue, kind, span) for each speaker's words, spans in the normalised text."""
        offset = self.turn_start  # a turn's speakers are read in its body (reporters' too)
        if offset:
            text = text[offset:]
            spans = _quote_spans(text)[0]
            masked = _masked(text, spans)
        found = []
        for speaker in speakers:
            if speaker.cue_span is None and self.turn_paragraph == self.index \
                    and speaker.name == self.turn_speaker:
                continue  # the turn's own words: see turn_attributions
            if speaker.cue.startswith("(@"):  # a tweet's words: all before its signature
                words = ("direct", (0, len(text[:text.rfind(" -", 0, speaker.position)].rstrip())))
            else:
                words = content(text, masked, spans, speaker.position, speaker.cue_span,
                                _next_cue(speaker, speakers))
            if words and not any(f[0] == speaker.name and f[3] == words[1] for f in found):
                start, end = words[1]
                found.append((speaker.name, speaker.cue, words[0], (start + offset, end + offset)))
        return found

    def paragraph_speakers(self, text: str, masked: str, quoted: bool,
                           left_open: bool) -> list[_Speaker]:
        """Speakers of a paragraph: its transcript turn, attributions, or carried-over ones."""
        turn = parse_turn(text)
        accepted = turn is not None and self.accepts_turn(turn)
        self.turn_start = turn.start if accepted else 0
        self.after_colon = text.endswith(":")
        if accepted:
            return self.turn_speakers(turn, text)
        if not self.in_transcript and len(text.split()) <= 40:
            self.read_header(text)
        self.register_mentions(masked)
        found = self.found_speakers(masked)
        if self.in_transcript:
            found = self.continued_turn_speakers(text, found)
        if not found and quoted and _QUOTES_RE.match(text) and self.previous_quote_speaker:
            found = [_Speaker(0, self.previous_quote_speaker, True)]
        self.previous_quote_speaker = found[-1].name if found and quoted and found[-1].is_person \
            else None
        if left_open and found:
            self.previous_quote_speaker = found[-1].name
        return found

    def turn_speakers(self, turn: Turn, text: str) -> list[_Speaker]:
        """The speaker of a transcript turn, then anyone the turn itself quotes or reports."""
        self.in_transcript = True
        self.turn_speaker = self.turn_speaker_for(turn)
        self.turn_cue = turn.cue if self.turn_speaker else None
        self.turn_quoted = turn.quoted
        self.turn_paragraph = self.index if self.turn_speaker else -1
        self.previous_quote_speaker = None
        body = text[turn.start:]
        self.note_presidents(body)
        spans, _ = _quote_spans(body)
        masked = _masked(body, spans)
        self.register_mentions(masked)
        found = [_Speaker(0, self.turn_speaker, True)] if self.turn_speaker else []
        return found + [s for s in self.found_speakers(masked, pronouns=False)
                        if s.name != self.turn_speaker]

    def continued_turn_speakers(self, text: str, found: list[_Speaker]) -> list[_Speaker]:
        """An unlabelled paragraph of a transcript: the turn's speaker, then those it reports."""
        self.note_presidents(text)
        if TRANSCRIPT_END_RE.match(text):
            self.turn_speaker = None
        if self.turn_speaker is None or not continues_turn(text, self.turn_quoted):
            return found
        self.turn_paragraph = self.index
        return [_Speaker(0, self.turn_speaker, True)] + [
            s for s in found if s.name != self.turn_speaker]

    def note_presidents(self, text: str) -> None:
        """Count the presidents a transcript names, to know whom 'the President' means."""
        for surname in president_mentions(text):
            known = self.resolve_with_title([surname], ["President"])
            self.presidents[known or self.remember(_Mention([surname], "President"))] += 1

    def principal(self) -> str | None:
        """The president a transcript names most: the one its 'the President' refers to."""
        return self.presidents.most_common(1)[0][0] if self.presidents else None

    def turn_attributions(self, original: str) -> list[Attribution]:
        """The latest paragraph's transcript attribution, spans in its original text."""
        if self.turn_paragraph != self.index or not self.turn_speaker:
            return []
        found = turn_attribution(original, self.turn_speaker, self.turn_cue)
        return [found] if found else []

    def read_title(self, title: str) -> None:
        """Read a document's title: a briefer it names, and the people it is about."""
        self.read_header(title)
        self.register_mentions(_masked(title, _quote_spans(title)[0]))

    def register_mentions(self, masked: str) -> None:
        """Remember people named in full ('Foreign Minister Jane Doe') for a later 'Doe said'.

        A person who opens a sentence is in focus for a later 'she said'.
        """
        self.note_unnamed(masked)
        for match in RUN_RE.finditer(masked):
            run = match.group()
            key = (run, self.acronyms_key())
            if key not in _RUN_PEOPLE:
                if len(_RUN_PEOPLE) > 50_000:
                    _RUN_PEOPLE.clear()
                _RUN_PEOPLE[key] = self.run_people(run)
            for mention in _RUN_PEOPLE[key]:
                self.register_mention(masked, mention, match)
        if " and " in masked:
            self.note_pairs(masked)

    def note_pairs(self, masked: str) -> None:
        """Two people named together ('Jane Doe, of Ohio, and John Roe') are a later 'they'."""
        for match in _PAIR_RE.finditer(masked):
            first = self.resolve(_sentence_words_off(match["first"].split())[-1:])
            second = self.resolve(_sentence_words_off(match["second"].split())[-1:])
            if first and second and first != second \
                    and len(first.split()) > 1 and len(second.split()) > 1:
                self.group = ((first, second), self.index)

    def acronyms_key(self) -> tuple:
        """The acronyms the document has defined so far, as a key for cached readings."""
        if self.acronyms_seen[0] != len(self.acronyms):
            self.acronyms_seen = (len(self.acronyms), tuple(sorted(self.acronyms.items())))
        return self.acronyms_seen[1]

    def run_people(self, run: str) -> list[_Mention]:
        """The people a run names: 'Jane Doe and John Roe', 'Acme Court Justice Jane Doe'."""
        if " " not in run and (run in FUNCTION_WORDS or run.lower() in WEEKDAYS):
            return []  # 'The', 'But', 'Monday': the commonest runs, and never a person
        if organisations_in_tokens(run.split(), self.acronyms):
            mention = _person_mention(run.split(), self.acronyms)
            return [mention] if mention and mention.title and len(mention.name) > 1 else []
        return [mention for part in run.split(" and ")
                if (mention := _person_mention(part.split(), self.acronyms))]

    def register_mention(self, masked: str, mention: _Mention, match: re.Match) -> None:
        """Remember one person a run names, and put them in focus if they open a sentence."""
        if len(mention.name) > 1:
            name = self.remember(mention)
        else:
            name = self.resolve(mention.name)
            if name and mention.gender and name not in self.genders:
                self.genders[name] = mention.gender
        opening = masked[max(0, match.start() - 40):match.start()]
        opens = match.start() == 0 or _SENTENCE_OPENING_RE.search(opening)
        subject = opens or _SUBJECT_FOLLOW_RE.match(masked, match.end()) \
            and not opening.endswith(("the ", "The "))  # not in: the Doe campaign
        if name and subject and not _PREPOSITION_BEFORE_RE.search(opening):
            self.recent.append((name, self.index, match.start(), "o" if opens else "m"))

    def found_speakers(self, masked: str, pronouns: bool = True) -> list[_Speaker]:
        """Speakers of one paragraph's unquoted text, in order of appearance."""
        self.context = masked
        found = self.cued_speakers(masked, pronouns)
        if "(@" in masked:
            found.extend(self.tweet_speakers(masked))
        if "ccording to" in masked:
            for match in _ACCORDING_RE.finditer(masked):
                speaker = self.speaker_after(masked[match.end():match.end() + 200], match.end(),
                                             strong=False, org_roles=True)
                if speaker:
                    found.append(_cued(speaker, match))
        if "heard from" in masked:
            for match in _HEARD_FROM_RE.finditer(masked):
                speaker = self.speaker_after(masked[match.end():match.end() + 200], match.end(),
                                             strong=False)
                if speaker:
                    found.append(_cued(speaker, match))
        if "\x01" in masked:
            for match in _QUOTE_NAME_RE.finditer(masked):
                speaker = self.person_speaker(match["run"], match["role"], match.start("run"),
                                              strong=True)
                if speaker:
                    speaker.cue_span = (match.start("run"), match.start("run"))
                    found.append(speaker)
        if "\x01" in masked and len(self.quoted[0]) == len(masked):
            found.extend(self.quoted_speakers(*self.quoted))
        if ":" in masked and "\x01" in masked:
            for speaker in self.colon_speakers(masked):
                colon = masked.find(":", speaker.position)
                if any(speaker.position <= s.position < colon for s in found if s.cue_span):
                    continue  # 'Doe told the BBC: "..."' has its speaker already
                speaker.cue, speaker.cue_span = ":", (colon, colon + 1)
                found.append(speaker)
        found.sort(key=lambda s: s.position)
        for speaker in found:
            self.note_speaker(speaker)
        return found

    def cued_speakers(self, masked: str, pronouns: bool) -> list[_Speaker]:
        """Speakers of the speech verbs and participles ('said', 'adding'), partners too."""
        found: list[_Speaker] = []
        self.partners = []
        for verb in _VERB_RE.finditer(masked):
            speaker = self.verb_speaker(masked, verb, found, pronouns)
            if speaker:
                found.append(_cued(speaker, verb))
                self.add_partner(masked, speaker)
        if "ing" in masked or " to " in masked:
            for match in _PARTICIPLE_RE.finditer(masked):
                speaker = self.participle_speaker(masked, match, found, pronouns)
                if speaker:
                    found.append(_cued(speaker, match))
        for partner, cue in self.partners_with_cues(found):
            found.append(_cued_like(partner, cue))
        return found

    def tweet_speakers(self, masked: str) -> list[_Speaker]:
        """The author of an embedded tweet: '... - Jane Doe (@janedoe) May 5, 2016'."""
        found = []
        for match in _TWEET_SIGNATURE_RE.finditer(masked):
            words = match["name"].split()
            while len(words) > 1 and words[-1].isupper():  # 'Jane Doe JD' -> 'Jane Doe'
                words.pop()
            speaker = self.named_speaker(" ".join(words), None, match.start("name"), True)
            if speaker:
                speaker.cue, speaker.cue_span = match["handle"], match.span("handle")
                found.append(speaker)
        return found

    def quoted_speakers(self, text: str, spans: list[tuple[int, int]]) -> list[_Speaker]:
        """People whose speech a quotation reports: '"... when Gov. Doe said ...," he said'."""
        found = []
        for start, end in spans:
            for verb in _VERB_RE.finditer(text, start + 1, end):
                if verb.group() in QUOTE_VERBS:
                    continue
                run = _RUN_BEFORE_RE.search(text, max(start + 1, verb.start() - 60), verb.start())
                if run is None or _PREPOSITION_BEFORE_RE.search(
                        text, max(0, run.start() - 12), run.start()):
                    continue
                speaker = self.named_speaker(run["run"], None, run.start("run"), strong=False)
                if speaker and speaker.is_person and (
                        " " in run["run"].strip() or speaker.name in self.titles):
                    found.append(_cued(speaker, verb))
        return found

    def add_partner(self, masked: str, speaker: _Speaker) -> None:
        """For 'Jane Doe and John Roe said', the first person too; both make a group."""
        if not speaker.is_person or speaker.position <= 0:
            return
        match = _PARTNER_BEFORE_RE.search(masked, max(0, speaker.position - 60), speaker.position)
        if match is None:
            return
        partner = self.named_speaker(match["run"], None, match.start("run"), strong=False)
        if partner and partner.is_person and partner.name != speaker.name:
            self.partners.append(partner)
            self.group = ((partner.name, speaker.name), self.index)
            self.listed_partners(masked, match.start("run"))

    def listed_partners(self, masked: str, end: int) -> None:
        """The earlier people of a list: 'Sens. Jo Doe, Al Roe and Di Poe said' adds Jo Doe."""
        match = _LIST_ITEM_BEFORE_RE.search(masked, max(0, end - 60), end)
        while match:
            partner = self.named_speaker(match["run"], None, match.start("run"), strong=False)
            if not (partner and partner.is_person):
                return
            self.partners.append(partner)
            self.group = None  # three or more: no pair for a later 'they'
            end = match.start("run")
            match = _LIST_ITEM_BEFORE_RE.search(masked, max(0, end - 60), end)

    def partners_with_cues(self, found: list[_Speaker]) -> list[tuple[_Speaker, _Speaker]]:
        """Each partner with the speaker whose cue it shares."""
        pairs = []
        for partner in self.partners:
            later = [s for s in found if s.position >= partner.position and s.cue_span]
            if later:
                pairs.append((partner, later[0]))
        return pairs

    def participle_speaker(self, masked: str, match: re.Match, found: list[_Speaker],
                           pronouns: bool = True) -> _Speaker | None:
        """The subject of 'Doe spoke to the crowd, promising to act': the clause's speaker."""
        if match.group().endswith("call") or match.group() == "calling":
            if not _QUOTE_AHEAD_RE.match(masked, match.end()):
                return None  # 'to call the plan "a sham"' reports words; 'to call him' does not
        elif not masked[:match.start()].rstrip().endswith((",", "\x01", " as")) \
                and match.group() not in ("saying", "adding") and match.group()[:3] != "to " \
                and not _SPEECH_ACT_BEFORE_RE.search(masked, max(0, match.start() - 40),
                                                     match.start()):
            return None  # 'a promising start', 'was telling the truth'
        start = clause_start(masked, match.start())
        if _INTRO_RE.match(masked, start) and not masked[start:match.start()].count(" ") > 1:
            return self.main_subject(masked, match.end(), found, pronouns)  # 'After saying so, she'
        earlier = [s for s in found if start <= s.position < match.start()]
        if earlier:  # 'Doe said ..., adding': Doe again
            return _Speaker(match.start(), earlier[-1].name, earlier[-1].is_person)
        pronoun = _PRONOUN_SUBJECT_RE.match(masked, start, match.start())
        if pronoun:
            return self.pronoun_speaker(pronoun["pronoun"], found, pronoun.start("pronoun")) \
                if pronouns else None
        for run in _SUBJECT_RUN_RE.finditer(masked, start, match.start()):
            if _PREPOSITION_BEFORE_RE.search(masked, max(0, run.start() - 12), run.start()) \
                    or _title_follows(masked[run.end():run.end() + 60]):
                continue  # 'with Doe', 'Green Bay coach Jo Doe': not the subject itself
            speaker = self.named_speaker(run["run"], None, run.start("run"), strong=False)
            if speaker:
                return speaker if speaker.is_person else None
        return None

    def main_subject(self, masked: str, end: int, found: list[_Speaker],
                     pronouns: bool = True) -> _Speaker | None:
        """The subject after an introductory clause: 'After saying so, she left'."""
        match = _MAIN_SUBJECT_RE.search(masked, end, min(len(masked), end + 300))
        if match is None:
            return None
        if match["pronoun"]:
            return self.pronoun_speaker(match["pronoun"], found, match.start("pronoun")) \
                if pronouns else None
        speaker = self.named_speaker(match["run"], None, match.start("run"), strong=False)
        return speaker if speaker and speaker.is_person else None

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
            self.recent.append((speaker.name, self.index, speaker.position, "s"))
        else:
            self.last_org = (speaker.name, self.index)

    def verb_speaker(self, masked: str, verb: re.Match, found: list[_Speaker],
                     pronouns: bool) -> _Speaker | None:
        """Who a speech verb's words belong to: the subject before it, or the name after it."""
        window = max(0, verb.start() - 160)
        before = masked[window:verb.start()].rstrip()
        after = masked[verb.end():verb.end() + 200]
        position = verb.start()
        if verb.group() in QUOTE_VERBS and not _QUOTE_AHEAD_RE.match(after) \
                and not _CALL_ON_RE.match(after) and not _CALLED_IT_RE.match(after):
            return None
        if verb.group()[-1] == "s" and verb.group() != "warns" and _NOUN_USE_AFTER_RE.match(after):
            return None  # a plural noun: 'claims denied by the party', 'demands of the union'
        core = _without_trailing_adverbs(before)
        if core.endswith((",", " -")):
            speaker = self.appositive_speaker(before, window) \
                or self.clause_subject_speaker(masked, len(core) + window)
            if speaker:
                return speaker
        inverted = not before or before.endswith(("\x01", ":")) \
            or _AFTER_QUOTE_RE.search(before) or verb.group() in _INVERTING_VERBS
        if inverted and (not before or before.endswith((",", "\x01", ":"))):
            speaker = self.speaker_after(after, verb.end(), strong=True)
            if speaker:
                return speaker
        return self.subject_before(before, window, position, found, pronouns)

    def subject_before(self, before: str, window: int, position: int, found: list[_Speaker],
                       pronouns: bool) -> _Speaker | None:
        """The subject that ends right before a cue: a pronoun, a role, an organisation, a name."""
        pronoun = _PRONOUN_BEFORE_RE.search(before)
        if pronoun:
            return self.pronoun_speaker(pronoun.group(1), found, position) if pronouns else None
        speaker = self.appositive_speaker(before, window)
        if speaker:
            return speaker
        org_role = _ORG_ROLE_BEFORE_RE.search(before) or _GROUP_AT_ORG_BEFORE_RE.search(before)
        if org_role:
            return self.organisation_speaker(org_role["run"] or org_role["run2"], position)
        role_noun = _ROLE_NOUN_BEFORE_RE.search(before)
        if role_noun:
            holder = self.role_holder(role_noun["role"], role_noun["mods"].split())
            return _Speaker(position, holder, True) if holder else None
        org_noun = _ORG_NOUN_BEFORE_RE.search(before)
        if org_noun:
            found_org = self.organisations.called(org_noun["noun"])
            return _Speaker(position, found_org, False) if found_org else None
        who = _WHO_CLAUSE_BEFORE_RE.search(before) if "who" in before else None
        if who:
            speaker = self.named_speaker(who["run"], None, window + who.start("run"), True)
            if speaker and speaker.is_person:
                return speaker  # 'Ms Doe, who presents The Show tells her'
        with_group = _WITH_GROUP_BEFORE_RE.search(before, max(0, len(before) - 120))
        if with_group:  # 'Gov. Jo Doe and GOP leaders touted the plan'
            speaker = self.named_speaker(with_group["run"], None,
                                         window + with_group.start("run"), False)
            if speaker and speaker.is_person:
                return speaker
        affiliated = _AFFILIATED_BEFORE_RE.search(before) if " the" in before else None
        if affiliated:  # 'Sgt. Jane Doe with the city's police department said'
            speaker = self.named_speaker(affiliated["run"], None,
                                         window + affiliated.start("run"), True)
            if speaker and speaker.is_person:
                return speaker
        run = _RUN_BEFORE_RE.search(before)
        if run:
            return self.run_subject(before, run, window)
        if before.endswith((" and", " but")):
            return self.coordinated_speaker(before, window, found, pronouns)
        return None

    def run_subject(self, before: str, run: re.Match, window: int) -> _Speaker | None:
        """The speaker a run of capitalised words right before a cue names, if its subject."""
        run_start = run.start("run")
        if _OBJECT_BEFORE_RE.search(before, max(0, run_start - 12), run_start) \
                or _QUESTION_BEFORE_RE.search(before, max(0, run_start - 8), run_start):
            return None  # 'supporters in Congress say', 'what did Doe say'
        strong = bool(_AFTER_QUOTE_RE.search(before[:run_start]))
        lower = _lower_words_before(before[:run_start], 4)
        role = _lower_role(lower) if lower else None
        name = _TRAILING_WHEN_RE.sub("", run["run"])  # 'Jane Doe on Friday said'
        return self.named_speaker(name, role, window + run_start, strong)

    def appositive_speaker(self, before: str, window: int) -> _Speaker | None:
        """The subject of 'Jane Doe, the X's chair, said' or 'its chair, Jane Doe, said'."""
        appositive = _APPOSITIVE_BEFORE_RE.search(before)
        if appositive and _LIST_OPENING_RE.match(appositive["role"]):
            return None  # 'Critics, including the league, said': a group, not a person
        if appositive:
            speaker = self.person_speaker(appositive["run"], appositive["role"],
                                          window + appositive.start("run"), strong=True)
            if speaker:
                return speaker
        if "," not in before[-40:]:
            return None
        name = _NAME_BETWEEN_COMMAS_RE.search(before, max(0, len(before) - 90))
        words = _lower_words_before(before[:name.start()] + " ", 5) if name else None
        role = _role_before_name(words) if words else None
        if role is None:
            return None
        return self.person_speaker(name["run"], role, window + name.start("run"), strong=True)

    def clause_subject_speaker(self, masked: str, end: int) -> _Speaker | None:
        """The subject of 'Jane Doe, the agency's chief, who has run it since 2010, said'."""
        parts = comma_parts(masked, clause_start(masked, end), end)
        if len(parts) < 2:
            return None
        for index in range(len(parts)):
            done, speaker = self.part_subject(masked, parts, index)
            if done:
                return speaker
        return None

    def part_subject(self, masked: str, parts: list[tuple[int, int]],
                     index: int) -> tuple[bool, _Speaker | None]:
        """What one comma part tells of its clause's subject: (found or ruled out, speaker)."""
        start, stop = parts[index]
        segment = masked[start:stop]
        beside = parts[index + 1] if index + 1 < len(parts) else parts[index - 1]
        name = _NAME_PART_RE.fullmatch(segment)
        role = _prefix_role(name["lc"]) if name and name["lc"] else None
        if name and (role or not name["lc"]):
            strong = len(name["run"].split()) > 1 or bool(name["lc"])
            if not strong and self.resolve(name["run"].split()) is None:
                return True, None  # 'Proponents, including the league, said'
            speaker = self.named_speaker(name["run"], role or masked[beside[0]:beside[1]],
                                         start + name.start("run"), strong)
            described = _DESCRIPTION_RE.match(segment) \
                or segment.split()[-1].lower() in ROLE_ENDINGS
            return bool(speaker or not described), speaker  # 'The Chancellor, Jo Doe, said'
        if _DESCRIPTION_RE.match(segment) or segment.split()[-1][:1].islower() \
                or index == 0 and _INTRO_RE.match(segment):
            return False, None
        late = _CONJUNCT_NAME_RE.search(segment)  # 'He spoke as Sir Jo Doe, the chief, warned'
        if late is None or late["lc"] and not _lower_role(late["lc"]):
            return True, None
        role = masked[beside[0]:beside[1]] if index + 1 < len(parts) else None
        return True, self.named_speaker(late["run"], role, start + late.start("run"), True)

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
        tokens = _sentence_words_off(run.split())
        if not tokens or tokens[0].lower() in WEEKDAYS or tokens[0].rstrip(".").lower() in MONTHS:
            return None
        orgs = organisations_in_tokens(tokens, self.acronyms)
        if orgs and is_whole_organisation(tokens, orgs[0]):
            return _Speaker(position, orgs[0], False)
        if " and " in run:
            return self.pair_speaker(run, position)
        return self.person_speaker(run, role, position, strong)

    def pair_speaker(self, run: str, position: int) -> _Speaker | None:
        """'Mr. Doe and Ms. Roe said': the second person, the first noted as a partner."""
        first, _, second = run.rpartition(" and ")
        left = self.person_speaker(first, None, position, strong=False)
        right = self.person_speaker(second, None, position + len(first) + 5, strong=False)
        if left and right and left.name != right.name:
            self.partners.append(left)
            self.group = ((left.name, right.name), self.index)
        return right

    def person_speaker(self, run: str, role: str | None, position: int,
                       strong: bool) -> _Speaker | None:
        """A person speaker from a run (and role), resolved against people met so far."""
        tokens = _sentence_words_off(run.split())
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
        honoured = bool(tokens) and tokens[0].lower() in HONORIFICS | _HONOURS
        if len(name_tokens) == 1 and self.resolve(name_tokens) is None and not (
                strong or mention.title or role or honoured):
            return None
        if len(name_tokens) == 1 and name_tokens[0] in DEMONYMS:
            return None
        self.hint = mention.gender or (self.sentence_gender(position)
                                       if len(name_tokens) == 1 else None)
        name = self.remember(mention)
        self.hint = None
        return _Speaker(position, name, True)

    def sentence_gender(self, position: int) -> str | None:
        """The gender the pronouns of the sentence at position imply, if they agree."""
        start, end = sentence_bounds(self.context, position, position)
        words = set(_GENDERED_RE.findall(self.context, start, end))
        male, female = bool(words & _MALE_PRONOUNS), bool(words & _FEMALE_PRONOUNS)
        return None if male == female else pronoun_gender("he" if male else "she")

    def organisation_speaker(self, run: str, position: int) -> _Speaker | None:
        """An organisation speaker ('a Treasury spokesman said'), if the run names one."""
        orgs = organisations_in_tokens(strip_function_words(run.split()), self.acronyms)
        return _Speaker(position, orgs[-1], False) if orgs else None

    def group_speaker(self, position: int) -> _Speaker | None:
        """'They said' after two people spoke together: both (the second one returned)."""
        start = sentence_bounds(self.context, position, position)[0]
        if any(word.strip(",;:").capitalize() in GENERIC_SUBJECTS
               for word in self.context[start:position].split()):
            return None  # 'Proponents ... say they support it': the group named just before
        if _PLURAL_SUBJECT_RE.search(self.context, 0, start):
            return None  # 'Investor groups argue that ... . It would help, they say.'
        if self.group and self.index - self.group[1] <= 1:  # the pair in the paragraph before
            first, second = self.group[0]
            self.partners.append(_Speaker(position, first, True))
            return _Speaker(position, second, True)
        return None

    def pronoun_speaker(self, pronoun: str, found: list[_Speaker],
                        position: int) -> _Speaker | None:
        """The speaker a 'he'/'she'/'it' refers to: the latest person (or organisation) quoted."""
        if pronoun.lower() == "they":
            return self.group_speaker(position)
        wants_person = pronoun.lower() != "it"
        if not wants_person:
            for speaker in reversed(found):
                if not speaker.is_person:
                    return _Speaker(position, speaker.name, False)
            latest = self.last_org  # 'it said': an organisation quoted just before
            if latest and self.index - latest[1] <= 1 and not _GOVERNMENT_RE.search(
                    self.context, max(0, position - 200), position):
                return _Speaker(position, latest[0], False)
            return None
        gender = pronoun_gender(pronoun)
        name, where = self.person_meant(gender, found, position)
        if name is None or self.unnamed_after(where, gender, position):
            return None  # 'The boyfriend told police ... He said': nobody named
        self.genders.setdefault(name, gender)
        return _Speaker(position, name, True)

    def person_meant(self, gender: str | None, found: list[_Speaker],
                     position: int) -> tuple[str | None, tuple[int, int]]:
        """The person a 'he' or 'she' at position means, and where they were last in focus."""
        earlier = [e for e in self.recent[-30:] if self.index - self.PRONOUN_REACH <= e[1]
                   < self.index]
        tiers = ([(s.name, self.index, s.position) for s in found
                  if s.is_person and s.position < position],
                 [e[:3] for e in self.recent[-30:] if e[1] == self.index and e[2] < position],
                 [e[:3] for e in earlier if e[3] != "m"], [e[:3] for e in earlier])
        for entries in tiers:
            for name, index, at in reversed(entries):
                if self.genders.get(name, gender) == gender:
                    return name, (index, at)
        return None, (-1, -1)

    def unnamed_after(self, where: tuple[int, int], gender: str | None, position: int) -> bool:
        """Whether an unnamed person ('the boyfriend') came into focus after where."""
        return any(where < (index, at) < (self.index, position) and found in (None, gender)
                   for index, at, found in self.unnamed[-6:])

    def note_unnamed(self, masked: str) -> None:
        """Put the unnamed people who open sentences in focus: 'The boyfriend told police'."""
        for match in _UNNAMED_SUBJECT_RE.finditer(masked):
            self.unnamed.append((self.index, match.start("noun"),
                                 gender_of([match["noun"]], [])))


def _without_trailing_adverbs(text: str) -> str:
    """The text without the adverbs and auxiliaries that end it ('Doe, the chief, has also')."""
    while text[-1:].isalpha():
        adverb = _LAST_ADV_RE.search(text, max(0, len(text) - 24))
        if adverb is None:
            break
        text = text[:adverb.start()]
    return text


def _lower_words_before(text: str, most: int) -> str | None:
    """Up to most lower-case words that end text (text ending in a space), else None."""
    if not text[-1:].isspace():
        return None
    kept: list[str] = []
    for word in reversed(text[-100:].split()):
        if len(kept) == most or not _LOWER_WORD_RE.match(word):
            break
        kept.insert(0, word)
    return " ".join(kept) or None


def _sentence_words_off(tokens: list[str]) -> list[str]:
    """Tokens without the sentence words before a name, honorifics kept ('But Mr Doe')."""
    start = 0
    while start < len(tokens) - 1 and tokens[start].lower() not in HONORIFICS \
            and not strip_function_words(tokens[start:start + 1]):
        start += 1
    return strip_function_words(tokens[start:]) if start == len(tokens) - 1 else tokens[start:]


def _next_cue(speaker: _Speaker, speakers: list[_Speaker]) -> int | None:
    """Where the next attribution after a speaker's cue starts (its subject or its cue)."""
    if speaker.cue_span is None:
        return None
    end = speaker.cue_span[1]
    later = [other.position if other.position > end else other.cue_span[0]
             for other in speakers if other.cue_span and other.cue_span[0] > end]
    return min(later) if later else None


def _cued_like(partner: _Speaker, speaker: _Speaker) -> _Speaker:
    """The partner with the cue of the speaker it speaks beside."""
    partner.cue, partner.cue_span = speaker.cue, speaker.cue_span
    return partner


def _cued(speaker: _Speaker, cue: re.Match) -> _Speaker:
    """The speaker with the cue that introduced their words."""
    speaker.cue = cue.group().strip()
    speaker.cue_span = (cue.start(), cue.start() + len(speaker.cue))
    return speaker


@lru_cache(maxsize=4096)
def _lower_words(name: str) -> tuple[str, ...]:
    """A name's words, lower-cased."""
    return tuple(name.lower().split())


@lru_cache(maxsize=4096)
def _name_parts(name: str) -> tuple[str, ...]:
    """A name's lower-cased words without a trailing 'jr.', 'sr.', 'ii' or 'iii'."""
    return tuple(_without_suffix(list(_lower_words(name))))


def _without_suffix(parts: list[str]) -> list[str]:
    """Name parts without a trailing 'jr.', 'sr.', 'ii' or 'iii' (lower-cased parts)."""
    while len(parts) > 1 and parts[-1] in ("jr.", "jr", "sr.", "sr", "ii", "iii", "iv"):
        parts = parts[:-1]
    return parts


def _title_roles(title: str | None) -> set[str]:
    """The role words of a title, aliases folded: 'Sen.' and 'senator' are one role."""
    title = (title or "").lower().split("'s ")[-1]  # the nominee's daughter is a daughter
    title = _SECOND_IN_COMMAND_RE.sub(r"\1-\2", title.replace(".", ""))
    return {_ROLE_ALIASES.get(word, word) for word in title.split()}


def _role_before_name(words: str) -> str | None:
    """The role in 'its vice-president, Jane Doe,': title words, with the owner before them."""
    role = _lower_role(words)
    if role is None:
        return None
    rest = words.split()[:-len(role.split())]
    if rest and (rest[-1] in _OWNER_WORDS or rest[-1].endswith("'s")):
        return f"{rest[-1]} {role}"
    return role


def _prefix_role(words: str) -> str | None:
    """The words before a name when they are all title words or capitalised ('Tory MP')."""
    kept = words.split()
    if kept and all(is_title_word(w) or w[:1].isupper() for w in kept):
        return " ".join(kept)
    return None


def _lower_role(words: str) -> str | None:
    """Lower-case role words just before a name ('former ambassador'), else None."""
    kept: list[str] = []
    for word in reversed(words.split()):
        if not is_title_word(word):
            break
        kept.insert(0, word)
    return " ".join(kept) or None

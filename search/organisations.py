"""Organisations named in text, in canonical form, and the vocabulary of proper names.

A run of capitalised words is an organisation when it has a head word ("Institute",
"Ministry"), is a well-known name or acronym (the table in search.organisation_names: "Red
Cross", "IMF", "Labour"), was defined or introduced earlier in the document (an acronym in
brackets, initials, a paper's short name, a fuller name it shortens), or when the words around
it show it is one ("retailer X", "X's chief executive", "X, a company that"). What the document
has said so far (people's surnames, British context, names met) lives in a NameContext. The
tables of places, demonyms, function words and people's titles live here too, because they
decide what a capitalised run is not. Functions here take text already normalised by
search.extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from search.dates import MONTHS, WEEKDAYS
from search.organisation_names import (
    BRITISH_SHORT_FORMS,
    KNOWN_ACRONYMS,
    KNOWN_FIRST_WORDS,
    KNOWN_MAX_WORDS,
    KNOWN_NAMES,
    NAMES_AFTER_THE,
)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a table."""
    return frozenset(text.split())

TITLE_WORDS = word_set("""
    president vice prime minister secretary assistant deputy acting under ambassador senator
    sen. rep. representative congressman congresswoman governor gov. mayor general gen.
    lieutenant lt. colonel col. major maj. captain capt. admiral adm. sergeant sgt. commander
    chairman chairwoman chair director spokesman spokeswoman spokesperson chief justice judge
    dr. professor prof. king queen prince princess pope sheikh envoy commissioner chancellor
    premier attorney counsel adviser advisor officer leader emir ayatollah cardinal bishop
    rabbi reverend rev. special senior executive coordinator administrator inspector sheriff
    analyst economist researcher fellow planner editor correspondent founder co-founder head
    manager lawyer prosecutor former president-elect mr. mrs. ms. mr mrs ms miss sir
    superintendent undersecretary under-secretary official strategist scientist""")
# Role words that end a title and are rarely surnames: "the Foreign Minister said".
PERSON_ROLES = TITLE_WORDS - word_set("""justice general special executive senior chief deputy
    acting assistant vice prime under head major former supreme""")

ORG_HEADS = word_set("""
    Department Dept. Ministry Corporation Corp Corp. Inc Inc. Company Co. Ltd Ltd. LLC Group
    Holdings Institute Institution Agency Council University College Academy International
    Organization Organisation Association Commission Committee Bank Fund Foundation Party
    Union Court Office Bureau Service Center Centre Watch Forum Society Authority Board
    Parliament Assembly Administration Federation Coalition Alliance Network Times Post
    Journal Tribune Herald Gazette News Army Navy Force Corps Guard Command Secretariat
    Tribunal Laboratory Laboratories Motors Airlines Airways Systems Technologies Partners
    Trust Front Movement Reserve Brigade Brigades Conservancy Caucus Cabinet Initiative
    Program Programme Mission Observatory Capital Securities Investments Associates
    Consulting Insurance Regulator League Cooperative Co-operative Directorate Inspectorate
    Consortium Chamber School Police Media Publishers Publishing Industries Enterprises
    Entertainment Studios Pharmaceuticals plc PLC LLP GmbH Conference Circuit Co Services
    Investigations Operations Brotherhood PAC Duchy""")

# Plural heads a list of names shares: 'the Armed Services and Intelligence Committees'.
_PLURAL_HEADS = {"Committees": "Committee", "Subcommittees": "Subcommittee",
                 "Departments": "Department", "Ministries": "Ministry"}
# Newspaper heads that join another word with a hyphen: 'Decatur Herald-Review'.
_PAPER_HEADS = word_set("Herald Tribune Gazette Journal Times Post Courier Review Star Sun News")
# Words that head a name whose own head word comes after 'of': 'Fraternal Order of Police'.
_OF_HEADS = word_set("Order Brotherhood Sisterhood Guild Friends Sons Daughters Knights")

# --- known names and how to read them ----------------------------------------------------------

# Acronyms of well-known organisations, by their exact spelling ("FBI", "S.E.C.").
ACRONYM_ORGS = dict(KNOWN_ACRONYMS)
# Names the table leaves out because they are optional or context-bound, found all the same.
_NAMED_ORGS = {"white house": "White House", "pentagon": "Pentagon", "kremlin": "Kremlin"}
_NAMED_ORG_FIRST_WORDS = frozenset(name.split()[0] for name in _NAMED_ORGS) | KNOWN_FIRST_WORDS
# Known bodies a state, county or city prefix belongs to: "Ohio Democratic Party".
_TAKES_PLACE_PREFIX = frozenset((
    "Senate", "House of Representatives", "Supreme Court", "Democratic Party", "Republican Party",
    "Green Party", "Libertarian Party", "Court of Appeals", "General Assembly", "National Guard",
    "Chamber of Commerce", "Red Cross", "Labour Party", "Conservative Party", "Liberal Party",
    "High Court", "Court of Appeal", "Communist Party"))
# Single-word names that are also common words, not names when they open a sentence.
_COMMON_WORD_NAMES = word_set("""Target Visa Shell Sky Vice Slate Salon Fortune Unite Vanguard
    Fidelity Paramount Sputnik Vogue Oracle Time Commons Lords Amnesty Fed Axios Vox Dawn
    Pew Total Emirates Citizens Reform""")
# Abbreviations that are not an organisation's initials: 'GP' is a doctor, not the Green Party.
_COMMON_ABBREVIATIONS = word_set("GP PM MP AM TV PR AI IT HR ID OK CD DJ PC GM VP AG DA JD SC")
# Capitalised small words that open a name when they stand mid-sentence: 'Our Principles PAC'.
_NAME_OPENING_WORDS = word_set("Our For We Your My Every No All One")
# One-word names that are also given names: a person's when a surname follows.
_GIVEN_NAME_HOMONYMS = word_set("Dawn Dell Ford Sinclair Forbes Pearson Tesla Disney Hearst")
_US_SHORT_FORMS = {"Treasury": "Treasury Department"}
# The armed services named without their country: the document's country decides which.
_SERVICES = {"Navy": ("United States Navy", "Royal Navy"),
             "Army": ("United States Army", "British Army"),
             "Air Force": ("United States Air Force", "Royal Air Force"),
             "Marines": ("United States Marine Corps", "Royal Marines")}
# Words after a one-word name that make the run a product, a place or a title instead.
_NOT_ORG_AFTER = word_set("""County City Township Prime Watch Music Maps Pay Store Park Street
    Square Road Avenue River Valley Hall Yard Stadium Arena Airport Station Bridge Island Beach
    Heights Hills World Land Model Secretary Secretaries Minister Ministers Day Ocean Sea Coast""")
_HONORIFICS = word_set("""mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady sen. sen rep. rep
    gov. gov senator governor mayor president secretary judge prof. professor""")
# One-word names that are also towns: not the organisation after "in" or "near".
_TOWN_NAMES = word_set("Princeton Georgetown Dartmouth Monmouth Harvard Cambridge Oxford")
_PAPER_CUE_AFTER_RE = re.compile(r"(?:[.,;:'\")]|\Z| (?:newspaper|reported|said|says|revealed"
                                 r"|wrote|on Sunday|columnist|editor|journalist|website)\b)")
_WORD_BEFORE_NOUN = {
    "GM": re.compile(r" (?:crops?|foods?|maize|wheat|seeds?|trials?|technology|plants?)\b"),
    "Labour": re.compile(r" (?:costs?|markets?|shortages?|force|laws?|relations|rights"
                         r"|productivity|supply|mobility|standards)\b"),
    "Treasury": re.compile(r" (?:bonds?|yields?|notes?|bills?|securities|market|prices"
                           r"|futures|auctions?|rates?)\b"),
}
# --- context cues: the words around a name that show it is an organisation's ----------------
_ORG_NOUNS = (r"company|firm|retailer|broadcaster|newspaper|website|magazine|carmaker|automaker"
              r"|airline|bank|lender|insurer|supermarket|chain|conglomerate|start-?up|charity"
              r"|think[- ]tank|super PAC|nonprofit|non-profit|pollster|agency|brokerage"
              r"|consultancy|watchdog|outlet|tabloid|shop|business|manufacturer|organi[sz]ation")
# The word or two just before a name: 'retailer Quillmart' (any name), 'giant Quillmart' (one word).
_STRONG_BEFORE = word_set("""company firm retailer broadcaster newspaper website magazine carmaker
    automaker airline bank lender insurer supermarket chain conglomerate startup start-up charity
    think-tank nonprofit non-profit pollster agency brokerage consultancy watchdog outlet tabloid
    shop business manufacturer organisation organization utility carrier telecom telco miner
    refiner chipmaker drugmaker shipbuilder exporter""") | {
    "think tank", "super PAC", "advocacy group", "campaign group", "pressure group", "lobby group"}
_BEFORE = word_set("publisher giant group subsidiary") | {
    "rival firm", "colleagues at", "works for", "works at", "worked for", "worked at",
    "working for", "working at", "owned by", "acquired by", "spokesman for", "spokeswoman for",
    "spokesperson for", "executive at", "executives at", "analyst at", "analysts at"}
# 'analyst Ann Lee of Harrow Brothers': the firm an analyst or economist speaks for.
_ANALYSTS = word_set("analyst analysts economist economists strategist strategists")
_AFTER_RE = re.compile(r"(?:'s)? (?:subsidiary|subsidiaries|shareholders|shares|stock|boss"
                       r"|chairman|chairwoman|headquarters|board of)\b")
# ... and after a name of any length: 'Talvane Capital founder', 'the Harrow Post newspaper'.
_STRONG_AFTER_RE = re.compile(r"(?:'s)? (?:founder|co-founder|chief executive|newspapers?|magazine"
                              r"|website|publishing house|newspaper chain|media group)\b")
# A name written in camel case is a brand's, not a person's ('HuffPollster'), but for surnames
# like 'McCain' or 'DeVos'.
_CAMEL_CASE_RE = re.compile(r"(?!(?:Mc|Mac|De|Di|Du|Da|La|Le|Van|Von|St|Fitz|O)[A-Z])"
                            r"[A-Z][a-z]+[A-Z][A-Za-z]*\Z")
_APPOSITIVE_RE = re.compile(rf", (?:a|an|the) (?:[\w-]+ ){{0,3}}?(?:{_ORG_NOUNS}|union)\b")
_WEB_SUFFIX_RE = re.compile(r"\.(?:com|org|net|co\.uk)\b")
_NUMBER_AFTER_RE = re.compile(r" (?:100|250|400|500|1000|2000)\b")
_INDEX_AFTER_RE = re.compile(r" (?:composite|index|indices|industrial average)\b")
_PLACE_HOMONYMS = frozenset({"Amazon"})
_PLACE_NOUN_AFTER_RE = re.compile(r" (?:rainforest|basin|river|region|jungle)\b")
# --- canonical forms and document context ------------------------------------------------------

_COUNTRY_ABBREVIATIONS = frozenset({"U.S.", "US", "USA", "U.S.A.", "UK", "U.K."})
# Papers named by a common word that stands alone only once the document named them in full.
_PAPERS_NEEDING_MENTION = frozenset({"Times", "Post", "Journal", "Globe"})
# Departments named "X Department" in news copy even when written "Department of X".
_SHORT_NAMED_DEPARTMENTS = frozenset({"State", "Justice"})
# Words that mark British copy ("Mr Hale" without a full stop), so "the Treasury" is HM Treasury.
_BRITISH_MARKERS = ("Labour", "Tory", "Tories", " MP", "Downing Street", "Whitehall", "Westminster",
                    "Commons", "NHS", "Lib Dem", "Chancellor of the Exchequer", "Home Secretary",
                    "\u00a3", "Mr ", "Mrs ", "Ms ", "Dr ")
_BRITISH_MARKER_RE = re.compile("|".join(map(re.escape, _BRITISH_MARKERS)))
# Words naming a department's field: never a short form of a longer name on their own.
_DEPARTMENT_SHORT = word_set("""State Defense Justice Treasury Energy Commerce Labor Agriculture
    Education Transportation Interior""")
# Words that open many organisations' names, so never a short form on their own.
_COMMON_NAME_WORDS = word_set("""National International Northern Southern Eastern Western
    Central Federal Royal Regional General United Consumer Public Democratic Republican Social
    New Free Independent Global World Human Civil Environmental Economic Financial Foreign
    Home Security Health Energy Water Power Trade Labour Green Liberal Conservative Workers
    Islamic Catholic Christian Arab African Asian European American Pacific Atlantic Coastal
    Marine Maritime Science Technology Research Policy Strategic Defence Interior First Joint
    Supreme High Special Air Naval Military Civic Community Peace Rural Urban""")
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|near|outside|across|around|throughout)\s+\Z")
_SENTENCE_START_RE = re.compile(r"(?:\A|[.!?:\"]\s*)\Z")
_NOT_ORGS = frozenset({
    "oval office", "soviet union", "west bank", "world trade center", "times square",
    "union station", "supreme leader", "super pac",
})

PLACES = frozenset(word.replace("_", " ").lower() for word in """
    U.S. US USA U.S.A. UK U.K. America Britain England Scotland Wales Ireland Europe Asia Africa
    West East North South Middle_East Gulf Persian_Gulf Balkans Caucasus Crimea Donbas Gaza
    Gaza_Strip West_Bank Golan_Heights Kurdistan United_States United_Kingdom Great_Britain
    Latin_America North_America South_America Soviet_Union Capitol_Hill Washington Moscow
    Beijing London Paris Berlin Tokyo Tehran Kabul Baghdad Jerusalem Geneva Brussels Kiev Kyiv
    Ankara Istanbul Cairo Riyadh New_York Los_Angeles Chicago Aleppo Damascus Idlib Mosul
    Raqqa Homs Astana Vienna Rome Madrid Delhi New_Delhi Seoul Pyongyang Islamabad Karachi
    Lagos Nairobi Johannesburg Sydney Toronto Ottawa Mexico_City Havana Caracas Kabul Doha
    Dubai Abu_Dhabi Beirut Amman Tripoli Sanaa Aden Minsk Warsaw Prague Budapest Athens Lisbon
    Stockholm Oslo Copenhagen Helsinki Dublin Edinburgh Manila Jakarta Hanoi Bangkok Taipei
    Hong_Kong Shanghai Singapore Afghanistan Albania Algeria Angola Argentina Armenia
    Australia Austria Azerbaijan Bahrain Bangladesh Belarus Belgium Bolivia Bosnia Brazil
    Bulgaria Burma Cambodia Cameroon Canada Chad Chile China Colombia Congo Croatia Cuba
    Cyprus Czech_Republic Denmark Ecuador Egypt Eritrea Estonia Ethiopia Finland France
    Georgia Germany Ghana Greece Guatemala Haiti Honduras Hungary Iceland India Indonesia Iran
    Iraq Israel Italy Japan Jordan Kazakhstan Kenya Korea North_Korea South_Korea Kosovo Kuwait
    Kyrgyzstan Laos Latvia Lebanon Libya Lithuania Macedonia Malaysia Mali Mexico Moldova
    Mongolia Montenegro Morocco Mozambique Myanmar Nepal Netherlands New_Zealand Nicaragua
    Niger Nigeria Norway Oman Pakistan Palestine Panama Paraguay Peru Philippines Poland
    Portugal Qatar Romania Russia Rwanda Saudi_Arabia Senegal Serbia Slovakia Slovenia
    Somalia Spain Sri_Lanka Sudan South_Sudan Sweden Switzerland Syria Taiwan Tajikistan
    Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine United_Arab_Emirates UAE
    Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia Zimbabwe Alabama Alaska Arizona
    Arkansas California Colorado Connecticut Delaware Florida Hawaii Idaho Illinois Indiana
    Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi
    Missouri Montana Nebraska Nevada New_Hampshire New_Jersey New_Mexico North_Carolina
    North_Dakota Ohio Oklahoma Oregon Pennsylvania Rhode_Island South_Carolina South_Dakota
    Tennessee Texas Utah Vermont Virginia West_Virginia Wisconsin Wyoming""".split())
# States and cities: their own bodies keep the place in their name ("Ohio Democratic Party").
_SUBNATIONAL_PLACES = frozenset(word.replace("_", " ").lower() for word in """
    Washington Moscow Beijing London Paris Berlin Tokyo Tehran Kabul Baghdad Jerusalem Geneva
    Brussels Kiev Kyiv Ankara Istanbul Cairo Riyadh New_York New_York_City Los_Angeles Chicago
    Aleppo Damascus Vienna Rome Madrid Delhi Seoul Edinburgh Dublin Toronto Sydney Boston
    Philadelphia Detroit Houston Dallas Atlanta Miami Denver Seattle Baltimore Cleveland
    Camden Newark Manhattan Brooklyn Scotland Wales England Northern_Ireland Alabama Alaska
    Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho
    Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan
    Minnesota Mississippi Missouri Montana Nebraska Nevada New_Hampshire New_Jersey New_Mexico
    North_Carolina North_Dakota Ohio Oklahoma Oregon Pennsylvania Rhode_Island South_Carolina
    South_Dakota Tennessee Texas Utah Vermont Virginia West_Virginia Wisconsin Wyoming""".split())
_PLACE_FIRST_WORDS = frozenset(place.split()[0] for place in PLACES if " " in place)
DEMONYMS = word_set("""
    American Americans Russian Russians Syrian Syrians Iranian Iranians Chinese British French
    German Germans Turkish Turks Israeli Israelis Palestinian Palestinians Iraqi Iraqis Afghan
    Afghans Ukrainian Ukrainians European Europeans Saudi Saudis Egyptian Egyptians Japanese
    Korean Koreans Indian Indians Pakistani Pakistanis Kurdish Kurds Arab Arabs Western Eastern
    Canadian Canadians Mexican Mexicans Italian Italians Spanish Polish Dutch Swiss Swedish
    Norwegian Danish Greek Lebanese Jordanian Yemeni Libyan Qatari Emirati Nigerian Kenyan
    Australian Australians Brazilian Venezuelan Cuban Belarusian Georgian Armenian Kazakh
    Sunni Shiite Shia Muslim Muslims Christian Christians Jewish Jews African Asian Latin""")
# Capitalised words that start sentences or stand for groups: never a name on their own.
FUNCTION_WORDS = word_set("""
    The A An This That These Those It He She They We I You In On At For From By With Without
    According During Since After Before But And Or As If When While Although Though However
    Meanwhile Moreover Also Even Much Many Some Still Yet Then Now Today Yesterday Tomorrow
    Last Next Earlier Later There Here What Which Who Why How Where Our Their His Her Its My
    Your Such Other Another Each Every All Both No Not Only Instead Despite Over Through
    Between Among Against Amid Asked Speaking Following Including Further Furthermore Indeed
    Thus Therefore Nevertheless Nonetheless Separately Similarly Overall Again Once Recently
    Previously Already Finally First Second Third Just Perhaps Maybe Please Thank Thanks
    Yes Well Okay OK So To Of Do Does Did Is Are Was Were Be Been Has Have Had Will Would Can
    Could Should Might Must Let Mr Ms Mrs Retired""")
PARTICLES = word_set("de da di du del della der den van von bin ibn al el la le y")
CONNECTORS = word_set("of for on the and &") | PARTICLES

# "Fishermen's Cooperative": a possessive joins a run only when an organisation's head follows.
_HEAD_WORDS = "|".join(re.escape(word) for word in sorted(ORG_HEADS) if word[-1] != ".")
_CAP = (r"(?:(?:[A-Z]\.){2,}"
        r"|(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Adm|Maj|Prof|Rev|Co|Inc"
        r"|Corp|Ltd|Dept)\."
        r"|[A-Z]\.(?=\s+[A-Z])"
        r"|(?:(?:al|el|ad|as|ash|at|az|ar)-)?[A-Z\u00C0-\u00DE][\w&-]*"
        r"(?:'[A-Z][\w-]*|(?<=s)'(?= )|'s(?=\s+(?:" + _HEAD_WORDS + r")\b))?)")
_CONN = r"(?:of|for|on|the|and|&|de|da|di|du|del|della|der|den|van|von|bin|ibn|al|el|la|le|y)"
RUN = rf"{_CAP}(?:(?:\s+{_CONN})*\s+{_CAP})*"
# where a run can start: the lookahead (a run's possible first letters) only makes scans faster
RUN_START = r"(?=[A-Z\u00C0-\u00DEae])(?<![\w.'-])"
RUN_RE = re.compile(rf"{RUN_START}{RUN}")
_ACRONYM_DEF_RE = re.compile(rf"{RUN_START}(?P<run>{RUN})\s+\((?P<acr>[A-Z][A-Za-z.&]{{1,9}})\)")


def is_connector(token: str) -> bool:
    """Whether a token joins the words of a name: 'of', 'the', 'van'."""
    return token in CONNECTORS


def is_place(tokens: list[str]) -> bool:
    """Whether tokens name a place or people ('Russia', 'New York', 'Syrians')."""
    text = " ".join(tokens).lower()
    if text in PLACES:
        return True
    return all(t.lower() in PLACES or t in DEMONYMS or is_connector(t) for t in tokens)


def strip_function_words(tokens: list[str]) -> list[str]:
    """Tokens without the sentence words before a name ('According to the')."""
    start = 0
    while start < len(tokens) and (tokens[start] in FUNCTION_WORDS or is_connector(tokens[start])):
        start += 1
    return tokens[start:]


def strip_place_prefix(tokens: list[str]) -> list[str]:
    """Tokens without a leading country ("U.S. State Department" -> "State Department")."""
    if len(tokens) > 2 and tokens[0].endswith("'s") and tokens[0][:-2].lower() in PLACES:
        return tokens[1:]
    for size in (2, 1):
        if len(tokens) > size + 1 and " ".join(tokens[:size]).lower() in PLACES \
                and tokens[size] not in CONNECTORS:
            return tokens[size:]
    return tokens


def strip_place_suffix(tokens: list[str]) -> list[str]:
    """Tokens without a trailing 'of Ohio' or 'from Texas' (a senator's state, not a name)."""
    for index in range(len(tokens) - 2, 0, -1):
        if tokens[index] in ("of", "from") and is_place(tokens[index + 1:]):
            return tokens[:index]
    return tokens


@dataclass
class NameContext:
    """What a document has told so far about the names it uses."""

    british: bool = False
    persons: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)  # surnames of people the speakers reader knows
    seen: list[str] = field(default_factory=list)
    cued: dict[str, str] = field(default_factory=dict)


_NO_CONTEXT = NameContext()


def organisations_in_tokens(tokens: list[str], acronyms: dict[str, str],
                            context: NameContext | None = None,
                            at_sentence_start: bool = False) -> list[str]:
    """Canonical organisations named in one run of capitalised words."""
    context = context or _NO_CONTEXT
    joined = " ".join(tokens)
    segments = [part for segment in (_split_possessives(tokens) if "'s " in joined else [tokens])
                for part in (_split_hyphenated(segment, context.cued) if "-" in joined
                             else [segment])]
    if len(segments) > 1:
        return [name for number, segment in enumerate(segments) for name in
                organisations_in_tokens(segment, acronyms, context,
                                        at_sentence_start and number == 0)]
    found: list[str] = []
    floor, index = 0, 0
    while index < len(tokens):
        first = _first_of_shared_ending(tokens, index)
        if first:  # 'the Daily and Sunday Telegraph': two papers
            found.append(first)
            index = floor = index + 2
            continue
        named, end = _known_name_at(tokens, index, floor, acronyms, context,
                                    at_sentence_start and index == 0)
        if end > index:
            if named:
                found.append(named)
                floor = end
            index = end
            continue
        end = _place_end(tokens, index)
        if end:  # 'United Arab Emirates': no 'Emirates' inside
            index = end
            continue
        end = _shaped_name_end(tokens, index, context)
        if end:
            found.append(" ".join(tokens[index:end]).removesuffix("'"))
            index = floor = end
            continue
        token = tokens[index]
        if token in ORG_HEADS or "-" in token and _is_hyphenated_head(token):
            start, end = _organisation_span(tokens, index, floor)
            if start == 1 and floor == 0 and not at_sentence_start \
                    and tokens[0] in _NAME_OPENING_WORDS:
                start = 0  # mid-sentence, 'Our' and 'For' open a name: 'from Our Streets PAC'
            name = _canonical_span(tokens[start:end], keep_opening=start == 0)
            if name:
                found.append(name)
                floor = end
            index = end if name else index + 1
            continue
        index += 1
    return found


def _is_hyphenated_head(token: str) -> bool:
    """Whether a hyphenated word ends a name like a head: 'Herald-Review', 'Star-Tribune'."""
    parts = token.split("-")
    return len(parts) == 2 and all(p[:1].isupper() for p in parts) \
        and (parts[0] in _PAPER_HEADS or parts[1] in _PAPER_HEADS)


def _shaped_name_end(tokens: list[str], index: int, context: NameContext) -> int | None:
    """Where a name shaped like an organisation's, known or not, that starts at index ends.

    'HuffPollster' (camel case), 'Harlow & Finch' (names joined by '&'), 'Citizens for Fair
    Roads' (people for a cause).
    """
    token = tokens[index]
    if token[1:] != token[1:].lower() and _CAMEL_CASE_RE.match(token) \
            and token not in context.surnames \
            and not (index + 1 < len(tokens) and tokens[index + 1][:1].isupper()):
        return index + 1
    end = _ampersand_end(tokens, index + 1) if _is_modifier(token) else None
    if end:
        head = _following_head(tokens, end)
        return _organisation_span(tokens, head, end)[1] if head is not None else end
    return _group_name_end(tokens, index)


def _ampersand_end(tokens: list[str], index: int) -> int | None:
    """Where the second part of a name joined by '&' at index ends ('& General Trust')."""
    if index + 1 >= len(tokens) or tokens[index] != "&":
        return None
    end = index + 1
    while end < len(tokens) and _is_modifier(tokens[end]) and tokens[end] not in DEMONYMS:
        end += 1
    return end if end > index + 1 else None


def _place_end(tokens: list[str], index: int) -> int | None:
    """Where a place of several words that starts at index ends."""
    if tokens[index].lower() not in _PLACE_FIRST_WORDS:
        return None
    for size in (3, 2):
        if index + size <= len(tokens) and " ".join(tokens[index:index + size]).lower() in PLACES:
            return index + size
    return None


def _known_name_at(tokens: list[str], index: int, floor: int, acronyms: dict[str, str],
                   context: NameContext, at_sentence_start: bool) -> tuple[str | None, int]:
    """The known name starting at index, and where its words end (index itself: none)."""
    named, size = (context.cued[tokens[index]], 1) if tokens[index] in context.cued else \
        _named_organisation(tokens, index, acronyms, context.british)
    if not named or _is_person_here(tokens, index, size, floor, context, at_sentence_start):
        return None, index
    if index + size < len(tokens) and tokens[index + size] in _NOT_ORG_AFTER \
            and tokens[index] not in acronyms and tokens[index] not in ACRONYM_ORGS:
        return None, index + size + 1  # 'Apple Watch', 'Monmouth County', 'Treasury Secretary'
    if tokens[index + size - 1] in ORG_HEADS and (
            index > floor and _looks_like_given_name(tokens[index - 1])
            or _has_complement(tokens, index + size)
            and named != " ".join(tokens[index:index + size])):
        return None, index  # a name of its own: 'Kestrel Bay Port Authority'
    named = _with_place_prefix(tokens[floor:index], named, tokens[index:index + size])
    end = index + size
    joined = _ampersand_end(tokens, end)
    if joined:  # 'Daily Mail & General Trust': a longer name than the known one
        return " ".join(tokens[index:joined]), joined
    head = _following_head(tokens, end)
    if head is not None:
        _, head_end = _organisation_span(tokens, head, end)
        acronym = size == 1 and (tokens[index] in acronyms or tokens[index] in ACRONYM_ORGS)
        named = f"{named} {' '.join(tokens[end:head_end])}" if acronym \
            else " ".join(tokens[index:head_end])
        end = head_end
    return _with_place_complement(tokens, end, named)


def _split_possessives(tokens: list[str]) -> list[list[str]]:
    """A run cut after an organisation's possessive: "News Corp's News International"."""
    segments, start = [], 0
    for index, token in enumerate(tokens[:-1]):
        stem = token[:-2]
        if token.endswith("'s") and (stem in ORG_HEADS or stem in ACRONYM_ORGS
                                     or stem.lower() in KNOWN_NAMES):
            segments.append([*tokens[start:index], stem])
            start = index + 1
    return [*segments, tokens[start:]] if segments else [tokens]


def _split_hyphenated(tokens: list[str], cued: dict[str, str]) -> list[list[str]]:
    """A run cut inside 'Washington Post-ABC News', where two known names meet at a hyphen."""
    for index, token in enumerate(tokens):
        left, _, right = token.partition("-")
        if not right[:1].isupper() or token.lower() in KNOWN_NAMES:
            continue
        if left in cued and (right in ACRONYM_ORGS or right.lower() in KNOWN_NAMES
                             or right in cued):
            return [[*tokens[:index], left], *_split_hyphenated([right, *tokens[index + 1:]], cued)]
        if (right in ACRONYM_ORGS or right.lower() in KNOWN_FIRST_WORDS) and any(
                " ".join([*tokens[start:index], left]).lower() in KNOWN_NAMES
                for start in range(index + 1)):
            return [[*tokens[:index], left], *_split_hyphenated([right, *tokens[index + 1:]], cued)]
    return [tokens]


def _first_of_shared_ending(tokens: list[str], index: int) -> str | None:
    """The first of two known names sharing their last words: 'Daily and Sunday Telegraph'."""
    if index + 2 >= len(tokens) or tokens[index + 1] not in ("and", "&"):
        return None
    for size in range(1, min(3, len(tokens) - index - 2) + 1):
        ending = tokens[index + 2 + 1:index + 2 + size]
        if ending and " ".join([tokens[index], *ending]).lower() in KNOWN_NAMES \
                and " ".join(tokens[index + 2:index + 2 + size]).lower() in KNOWN_NAMES:
            return KNOWN_NAMES[" ".join([tokens[index], *ending]).lower()]
    return None


def _with_place_complement(tokens: list[str], index: int, name: str) -> tuple[str, int]:
    """A known name with the place of its branch: 'ACLU of Ohio'."""
    if index + 1 >= len(tokens) or tokens[index] != "of":
        return name, index
    for size in (3, 2, 1):
        place = " ".join(tokens[index + 1:index + 1 + size]).lower()
        if index + 1 + size <= len(tokens) and (place in PLACES or place in _SUBNATIONAL_PLACES):
            end = index + 1 + size
            return f"{name} {' '.join(tokens[index:end])}", end
    return name, index


def _group_name_end(tokens: list[str], index: int) -> int | None:
    """Where a group's name 'Parents for Safer Streets' (people 'for' a cause) ends."""
    first = tokens[index]
    if index + 2 >= len(tokens) or tokens[index + 1] not in ("for", "Against", "against") \
            or not first.endswith("s") or not first.isalpha() or first in FUNCTION_WORDS \
            or first.lower() in PLACES or first in ORG_HEADS:
        return None
    end = index + 2
    while end < len(tokens) and tokens[end] not in ("and", "&"):
        end += 1
    cause = tokens[index + 2:end]
    if not cause or is_connector(cause[-1]) or is_place(cause):
        return None
    return end


def _has_complement(tokens: list[str], index: int) -> bool:
    """Whether a name goes on here with 'of ...' or 'for ...': 'Port Authority of Kestrel'."""
    return index + 1 < len(tokens) and tokens[index] in ("of", "for") \
        and tokens[index + 1][:1].isupper()


def _following_head(tokens: list[str], index: int) -> int | None:
    """Where a head word continues a known name: 'BBC News', 'Apple Inc.', 'Harvard Law School'."""
    if index < len(tokens) and tokens[index] in ORG_HEADS:
        return index
    if index + 1 < len(tokens) and tokens[index + 1] in ORG_HEADS and _is_modifier(tokens[index]):
        return index + 1
    return None


def _named_organisation(tokens: list[str], index: int, acronyms: dict[str, str],
                        british: bool = False) -> tuple[str | None, int]:
    token = tokens[index]
    if token in acronyms:
        return acronyms[token], 1
    for size in (3, 2) if acronyms else ():
        # short forms learned from full names end in a head word: 'the Brennock Centre'
        if index + size <= len(tokens) and tokens[index + size - 1] in ORG_HEADS:
            key = " ".join(tokens[index:index + size])
            if key in acronyms:
                return acronyms[key], size
    lower = token.lower()
    if lower in _NAMED_ORG_FIRST_WORDS:
        for size in range(min(KNOWN_MAX_WORDS, len(tokens) - index), 0, -1):
            key = " ".join(tokens[index:index + size]).lower().removesuffix("'")
            name = KNOWN_NAMES.get(key) or _NAMED_ORGS.get(key)
            if name and key.replace("&", "and") == name.lower().replace("&", "and"):
                return " ".join(tokens[index:index + size]).removesuffix("'"), size
            if name:
                return name, size
    if token in ACRONYM_ORGS:
        return ACRONYM_ORGS[token], 1
    if "." in token and token.replace(".", "") in ACRONYM_ORGS:
        return ACRONYM_ORGS[token.replace(".", "")], 1
    if token in BRITISH_SHORT_FORMS:
        return (BRITISH_SHORT_FORMS[token] if british else _US_SHORT_FORMS.get(token)), 1
    service = " ".join(tokens[index:index + 2]) if token == "Air" else token
    if service in _SERVICES and not strip_function_words(tokens[:index]):
        return _SERVICES[service][british], len(service.split())
    return None, 0


def _is_person_here(tokens: list[str], index: int, size: int, floor: int,
                    context: NameContext, at_sentence_start: bool) -> bool:
    """Whether a one-word known name is here a person's surname or a common word."""
    if size != 1 or tokens[index] in ACRONYM_ORGS:
        return False
    token = tokens[index]
    if token in context.persons or (at_sentence_start and token in _COMMON_WORD_NAMES):
        return True
    if token in _GIVEN_NAME_HOMONYMS and index + 1 < len(tokens) \
            and _looks_like_given_name(tokens[index + 1]):
        return True  # 'Dawn Hale', 'Ford Madox Ford'
    if index == floor:
        return False
    before = tokens[index - 1]
    return before.lower() in TITLE_WORDS and before.lower() != "former" \
        or _looks_like_given_name(before)


def _looks_like_given_name(token: str) -> bool:
    """Whether a capitalised word could be a person's given name or initial ('Harold', 'J.')."""
    letters = token.replace(".", "")
    return (token[:1].isupper() and letters.isalpha()
            and (len(letters) == 1 or not letters.isupper())
            and token not in FUNCTION_WORDS and token not in DEMONYMS
            and token not in ORG_HEADS and token.lower() not in PLACES
            and token.lower() not in TITLE_WORDS and token not in ACRONYM_ORGS
            and token.lower() not in KNOWN_NAMES and not _is_calendar_word(token))


def _with_place_prefix(before: list[str], name: str, surface: list[str]) -> str:
    """A state's, county's or city's own body keeps its place: 'New Jersey Senate'."""
    before = strip_function_words(before)
    if name in _TAKES_PLACE_PREFIX and before and " ".join(surface) == name \
            and (" ".join(before).lower() in _SUBNATIONAL_PLACES or before[-1] == "County"):
        return f"{' '.join(before)} {name}"
    return name


def _organisation_span(tokens: list[str], head: int, floor: int) -> tuple[int, int]:
    """Token range of the organisation around a head word: modifiers before, complement after."""
    start = head
    while start > floor and _is_modifier(tokens[start - 1]):
        start -= 1
        if start - 2 >= floor and tokens[start - 1] in ("&", "and") \
                and _is_modifier(tokens[start - 2]):
            start -= 2
    if start > floor and tokens[start - 1].lower() in PERSON_ROLES:
        joins = [i for i in range(start, head) if tokens[i] in ("&", "and")]
        start = joins[-1] + 1 if joins else start  # 'Judge Jo Doe and Fifth Circuit Court'
    if start - 2 >= floor and tokens[start - 1] == "of" \
            and tokens[start - 2] in _OF_HEADS:  # 'Fraternal Order of Police'
        start, end = _organisation_span(tokens, start - 2, floor)
        return start, max(end, head + 1)
    end = head + 1
    segment_end = end
    while segment_end < len(tokens) and _is_modifier(tokens[segment_end]):
        segment_end += 1
        if tokens[segment_end - 1] in ORG_HEADS:
            end = segment_end
    in_complement, last_segment = False, tokens[head:end]
    while end < len(tokens) and tokens[end] in {"of", "for", "on", "and", "&"}:
        if tokens[end] in {"and", "&"} and not in_complement:
            break
        in_complement = True
        nxt = end + 1
        if nxt < len(tokens) and tokens[nxt] == "the" and tokens[end] != "and":
            nxt += 1
        if nxt >= len(tokens) or is_connector(tokens[nxt]) or _is_calendar_word(tokens[nxt]):
            break
        stop = nxt
        while stop < len(tokens) and not is_connector(tokens[stop]) \
                and not (stop > nxt and tokens[stop].lower() in PERSON_ROLES):
            stop += 1  # 'Court of Appeals Judge Jo Doe': the complement ends at the title
        if tokens[end] == "on" and (is_place(tokens[nxt:stop])
                                    or tokens[stop - 1] in _NOT_ORG_AFTER):
            break  # 'Hofstra University on Long Island': where it is, not its name
        if tokens[end] in {"and", "&"} and (any(
                t in ORG_HEADS or t in ACRONYM_ORGS for t in tokens[nxt:stop])
                # 'Tenants Union of Ohio and Brightwater': a place, then something else
                or is_place(last_segment) and not is_place(tokens[nxt:stop])):
            break
        end, last_segment = stop, tokens[nxt:stop]
    return start, end


def _is_calendar_word(token: str) -> bool:
    word = token.rstrip(".").lower()
    return word in WEEKDAYS or word in MONTHS


@lru_cache(maxsize=8192)
def _is_modifier(token: str) -> bool:
    return (not is_connector(token) and token not in FUNCTION_WORDS
            and token.lower() not in PERSON_ROLES and token not in ACRONYM_ORGS)


def _canonical_span(tokens: list[str], keep_opening: bool = False) -> str | None:
    if not (keep_opening and tokens[0] in _NAME_OPENING_WORDS):
        tokens = strip_function_words(tokens)
    tokens = _strip_country_prefix(tokens)
    if tokens and tokens[-1].endswith("'"):
        tokens = [*tokens[:-1], tokens[-1][:-1]]
    if len(tokens) < 2:
        return None
    if tokens[-1] == "Dept.":
        tokens = [*tokens[:-1], "Department"]
    if (len(tokens) in (3, 4) and tokens[0] == "Department" and tokens[1] == "of"
            and tokens[-1] in _SHORT_NAMED_DEPARTMENTS):
        tokens = [tokens[-1], "Department"]
    name = " ".join(tokens)
    if name.lower() in _NOT_ORGS or is_place(tokens):
        return None
    return name


def _strip_country_prefix(tokens: list[str]) -> list[str]:
    """Tokens without a leading "U.S." or "Britain's", keeping other places ('Ohio State Police').

    A name written "United States ..." keeps it: that is how the organisation calls itself.
    """
    rest = strip_place_prefix(tokens)
    if rest is tokens:
        return tokens
    prefix = " ".join(tokens[:len(tokens) - len(rest)])
    if prefix.endswith("'s"):
        return tokens if prefix[:-2].lower() in _SUBNATIONAL_PLACES else rest
    return rest if prefix in _COUNTRY_ABBREVIATIONS else tokens


def organisations_in(text: str, acronyms: dict[str, str],
                     short_forms: dict[str, str] | None = None,
                     context: NameContext | None = None) -> list[str]:
    """Canonical organisations a normalised text names, in order of first mention."""
    context = context or _NO_CONTEXT
    if "Force One" in text:
        text = text.replace("Air Force One", "the aircraft")  # the president's plane
    found: list[str] = []
    for match in RUN_RE.finditer(text):
        run = match.group()
        if short_forms and run in short_forms and run not in context.people \
                and _may_be_short_form(text, match.start()):
            found.append(short_forms[run])
        else:
            found.extend(_run_organisations(match, text, acronyms, context))
    return list(dict.fromkeys(found))


def _run_organisations(match: re.Match, text: str, acronyms: dict[str, str],
                       context: NameContext) -> list[str]:
    """The organisations one run of capitalised words names, read with the words around it."""
    start, end = match.span()
    if start and text[start - 1] in "@#":
        return []  # a handle or a hashtag: '@HarrowNews'
    tokens = match.group().split()
    if len(tokens) == 1 and (tokens[0] in FUNCTION_WORDS or _is_calendar_word(tokens[0])):
        return []  # 'The', 'But', 'Tuesday': most runs of one word name nothing
    if text.startswith("'s", end) and f"{tokens[-1]}'s".lower() in KNOWN_NAMES:
        tokens[-1] += "'s"  # a possessive that is part of the name: "McDonald's"
    learning = context is not _NO_CONTEXT
    if learning and len(tokens) > 1:
        _learn_person(tokens, context)
    if len(tokens) <= 2:
        if _is_not_organisation_here(tokens, text[max(0, start - 12):start], text[end:end + 12]):
            return []
        paper = tokens[-1] in NAMES_AFTER_THE and \
            _paper_after_the(tokens, text[max(0, start - 4):start], context)
        if paper:
            return [paper]
    found: list[str] = []
    known = _cued_before(tokens, context)
    if known:
        found.append(context.cued[known])
        tokens = tokens[len(known.split()):]
        if not tokens:
            return found
    if tokens[-1] in _PLURAL_HEADS and "and" in tokens:
        shared = _shared_head_names(tokens, acronyms, context)
        if shared:
            return [*found, *shared]
    names = organisations_in_tokens(tokens, acronyms, context,
                                    _opens_sentence(text[max(0, start - 3):start]))
    if "House" in tokens and "Senate" in names and not context.british:
        names = _with_house(tokens, names)
    cued = None if names else _cued_name(tokens, text[max(0, start - 50):start],
                                         text[end:end + 60], context)
    if cued and learning:
        context.cued.setdefault(cued, cued)
    return [*found, *names, *([cued] if cued else [])]


def _shared_head_names(tokens: list[str], acronyms: dict[str, str],
                       context: NameContext) -> list[str]:
    """'House Oversight and House Judiciary Committees': a committee for each side of 'and'."""
    cut = len(tokens) - 1 - tokens[::-1].index("and")
    head = _PLURAL_HEADS[tokens[-1]]
    left, right = tokens[:cut], tokens[cut + 1:-1]
    if not left or not right or "and" in right:
        return []
    if len(left) > 1 and right[0] != left[0] and left[0] in ("House", "Senate"):
        right = [left[0], *right]  # 'Senate Armed Services and Intelligence Committees'
    names = [organisations_in_tokens([*side, head], acronyms, context) for side in (left, right)]
    return [found[0] for found in names if len(found) == 1]


def _with_house(tokens: list[str], names: list[str]) -> list[str]:
    """'the House and Senate' (American copy): the House is the House of Representatives."""
    joined = " ".join(tokens)
    for pair in ("House and Senate", "House and the Senate"):
        if pair in joined:
            return ["House of Representatives", *names]
    if "Senate and House" in joined or "Senate and the House" in joined:
        at = names.index("Senate") + 1
        return [*names[:at], "House of Representatives", *names[at:]]
    return names


def _opens_sentence(before: str) -> bool:
    """Whether a word after this text opens a sentence (or a quotation)."""
    before = before.rstrip()
    return not before or before[-1] in '.!?:"'


def _cued_before(tokens: list[str], context: NameContext) -> str | None:
    """The name the document's wording showed to be an organisation that opens this run."""
    if not context.cued:
        return None
    for size in range(min(3, len(tokens)), 0, -1):
        key = " ".join(tokens[:size]).removesuffix("'s").removesuffix("'")
        if key in context.cued:
            return key
    return None


def _cued_name(tokens: list[str], before: str, after: str, context: NameContext) -> str | None:
    """A name with no head word that its context shows to be an organisation.

    'retailer Quillmart', 'Quillmart's chief executive', 'Quillmart, a company that',
    'Quillmart CEO Ann Lee', 'Quillmart.com'.
    """
    for index in range(1, len(tokens)):
        if tokens[index] == "CEO" or tokens[index:index + 2] == ["Chief", "Executive"]:
            return _cued_candidate(tokens[:index], context, single_only=False)
    mid_sentence = not _opens_sentence(before[-3:])
    if after[:1] == "." and _WEB_SUFFIX_RE.match(after):
        return _cued_candidate(tokens[-1:], context, False, mid_sentence)  # a domain: one word
    if after[:1] == "," and _APPOSITIVE_RE.match(after):
        return _cued_candidate(tokens, context, False, mid_sentence)
    words = before[:-1].rsplit(" ", 2)[-2:] if before[-2:-1].islower() else []
    phrases = {words[-1], " ".join(words)} if words else set()
    if phrases & _STRONG_BEFORE or _STRONG_AFTER_RE.match(after):
        return _cued_candidate(tokens, context, False, mid_sentence)
    if words and words[-1] in _ANALYSTS and "of" in tokens[1:4]:
        employer = tokens[tokens.index("of") + 1:]  # 'analyst Ann Lee of Harrow Brothers'
        return _cued_candidate(employer, context, False, True) if employer else None
    if phrases & _BEFORE or _AFTER_RE.match(after):
        return _cued_candidate(tokens, context, single_only=True)
    return None


def _cued_candidate(tokens: list[str], context: NameContext, single_only: bool,
                    mid_sentence: bool = False) -> str | None:
    """The cued run as a name, unless it is a place, a people, a title or a person's surname."""
    # mid-sentence, capitalised small words belong to the name: 'gave to For Our Future'
    tokens = tokens[1:] if mid_sentence and tokens[0] == "The" else \
        tokens if mid_sentence else strip_function_words(tokens)
    if not tokens or len(tokens) > 4 or (single_only and len(tokens) > 1):
        return None
    if is_place(tokens) or tokens[0] in DEMONYMS \
            or " ".join(tokens).lower() in _SUBNATIONAL_PLACES \
            or (len(tokens) == 1 and tokens[0] in context.surnames) \
            or any(t.lower() in TITLE_WORDS or _is_calendar_word(t) for t in tokens):
        return None
    return " ".join(tokens).removesuffix("'s").removesuffix("'")


def _is_not_organisation_here(tokens: list[str], before: str, after: str) -> bool:
    """Whether a one-word name is here no organisation: an index, a place or a plain word.

    'Fortune 500', 'the Amazon', 'in Princeton', 'the Independent candidate', 'GM crops'.
    """
    if len(tokens) == 2 and tokens[0] == "The":
        before, tokens = "the ", tokens[1:]
    if len(tokens) != 1:
        return False
    token = tokens[0]
    if _NUMBER_AFTER_RE.match(after) or _INDEX_AFTER_RE.match(after):
        return True
    if token in _WORD_BEFORE_NOUN and _WORD_BEFORE_NOUN[token].match(after):
        return True  # 'GM crops', 'Labour costs', 'Treasury yields'
    if token in _TOWN_NAMES and _LOCATIVE_BEFORE_RE.search(before):
        return True
    if token == "Independent" and not _PAPER_CUE_AFTER_RE.match(after):
        return True
    return token in _PLACE_HOMONYMS and (before.endswith(("the ", "The "))
                                             or _PLACE_NOUN_AFTER_RE.match(after) is not None)


def _paper_after_the(tokens: list[str], before: str, context: NameContext) -> str | None:
    """The paper 'the Post' or 'The Guardian' names: one the document named, or a known one."""
    if len(tokens) == 2 and tokens[0] == "The":
        tokens = tokens[1:]
    elif len(tokens) != 1 or not before.endswith(("the ", "The ")):
        return None
    word = tokens[0]
    if word not in NAMES_AFTER_THE:
        return None
    if NAMES_AFTER_THE[word] in context.seen:
        return NAMES_AFTER_THE[word]
    for name in reversed(context.seen):
        if name.endswith(f" {word}") and name != f"The {word}":
            return name
    if word == "Times" and context.british:
        return "The Times"
    return None if word in _PAPERS_NEEDING_MENTION else NAMES_AFTER_THE[word]


def _may_be_short_form(text: str, start: int) -> bool:
    """Whether a lone word here can be a short name: not opening a sentence, nor a place."""
    before = text[max(0, start - 12):start]
    return not _SENTENCE_START_RE.search(before) and not _LOCATIVE_BEFORE_RE.search(before)


def learn_short_forms(organisation: str, acronyms: dict[str, str],
                      short_forms: dict[str, str]) -> None:
    """Remember the shorter names a document may use for an organisation it named in full.

    'Brennock Centre for Economic Studies' may later be 'the Brennock Centre' (the name up to
    its head word), and 'Corvane Power Systems' just 'Corvane' (a distinctive first word).
    """
    tokens = organisation.split()
    for index in range(1, len(tokens) - 1):
        if tokens[index] in ORG_HEADS and tokens[index + 1] in ("for", "of", "on"):
            acronyms.setdefault(" ".join(tokens[:index + 1]), organisation)
            break
    first = tokens[0]
    if first.lower() in KNOWN_NAMES:
        return  # the table knows what 'Apple' alone means
    if len(tokens) > 1 and first.isalpha() and first[0].isupper() and first not in ORG_HEADS \
            and first not in _COMMON_NAME_WORDS and first not in _DEPARTMENT_SHORT \
            and first not in FUNCTION_WORDS and first not in DEMONYMS \
            and first.lower() not in PLACES and first.lower() not in TITLE_WORDS \
            and first.lower() not in _SUBNATIONAL_PLACES and first not in NAMES_AFTER_THE:
        short_forms.setdefault(first, organisation)


class DocumentOrganisations:
    """The organisations a document has named so far, with the acronyms and short forms it uses."""

    def __init__(self) -> None:
        self.acronyms: dict[str, str] = {}
        self.short_forms: dict[str, str] = {}
        self.context = NameContext()
        self.seen: list[str] = self.context.seen
        self.in_paragraph: list[str] = []

    def read(self, text: str) -> list[str]:
        """Organisations the next normalised paragraph names, remembered for later ones."""
        if not self.context.british:
            self.context.british = _BRITISH_MARKER_RE.search(text) is not None
        learn_acronyms(text, self.acronyms)
        found = [self._fuller_name(name) for name in
                 organisations_in(text, self.acronyms, self.short_forms, self.context)]
        if "the fund" in text:
            fund = self.called("fund")  # 'the fund' after the IMF
            found += [fund] if fund else []
        found = list(dict.fromkeys(found))
        for organisation in found:
            learn_short_forms(organisation, self.acronyms, self.short_forms)
            learn_initials(organisation, self.acronyms)
        self.seen.extend(found)
        self.in_paragraph = found
        return found

    def _fuller_name(self, name: str) -> str:
        """The earlier, fuller name a shortened one stands for: 'the Intelligence Committee'."""
        if " " not in name or name.endswith(" Party"):
            return name
        for seen in reversed(self.seen):
            if seen.endswith(f" {name}") and seen[0].isupper():
                return seen
        return name

    def only_in_paragraph(self) -> str | None:
        """The organisation the latest paragraph names, if it names exactly one."""
        return self.in_paragraph[0] if len(self.in_paragraph) == 1 else None

    def called(self, noun: str) -> str | None:
        """The organisation 'the union' or 'the ministry' refers to: the latest one so named."""
        for name in reversed(self.seen):
            if name.rsplit(" ", 1)[-1].lower() == noun:
                return name
        return None


def learn_initials(organisation: str, acronyms: dict[str, str]) -> None:
    """Remember the initials a document may use for a name it gave in full: 'BA'."""
    words = [word for word in organisation.split() if not is_connector(word)]
    if not 2 <= len(words) <= 5 or not all(word[:1].isupper() for word in words):
        return
    initials = "".join(word[0] for word in words)
    if initials not in ACRONYM_ORGS and initials.lower() not in PLACES \
            and initials not in _COMMON_ABBREVIATIONS:
        acronyms.setdefault(initials, organisation)


def _learn_person(tokens: list[str], context: NameContext) -> None:
    """Remember the surname of what looks like a person's name: 'Harold Macmillan'."""
    last = tokens[-1].removesuffix("'s")
    if tokens[-2].lower() in _HONORIFICS and last not in ORG_HEADS and last[:1].isupper():
        context.surnames.add(last)  # 'President Ashby', 'Sen. Ford'
        context.persons.add(last)
        return
    if not _looks_like_given_name(tokens[-2]) or f"{tokens[-2]} {last}".lower() in KNOWN_NAMES:
        return
    if last.lower() in KNOWN_NAMES:
        context.persons.add(last)  # a one-word organisation's name is this person's here
    if len(tokens) <= 3 and last.replace("-", "").replace("'", "").isalpha():
        context.surnames.add(last)  # also 'Jean-Pierre', "O'Neill"


def learn_acronyms(text: str, acronyms: dict[str, str]) -> None:
    """Remember acronyms the text defines: 'the Lagos Policy Institute (LPI)'."""
    if "(" not in text:
        return
    for match in _ACRONYM_DEF_RE.finditer(text):
        orgs = organisations_in_tokens(match["run"].split(), acronyms)
        if orgs:
            acronyms[match["acr"]] = orgs[-1]


def is_whole_organisation(tokens: list[str], organisation: str) -> bool:
    """Whether a run names only an organisation (not a person of that organisation)."""
    rest = strip_place_prefix(tokens)
    joined = " ".join(rest)
    if organisation in (joined, " ".join(tokens)):
        return True
    if len(rest) <= 2 and (rest[-1] in ORG_HEADS or rest[-1] in ACRONYM_ORGS):
        return True
    return _canonical_span(rest) == organisation or _named_organisation(rest, 0, {})[1] == len(rest)


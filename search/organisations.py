"""Organisations named in text, in canonical form, and the vocabulary of proper names.

A run of capitalised words is an organisation when it has a head word ("Institute",
"Ministry"), is a known name or acronym ("Red Cross", "IMF"), or was defined as an acronym
earlier in the document. The tables of places, demonyms, function words and people's titles
live here too, because they decide what a capitalised run is not. Functions here take text
already normalised by search.extraction.
"""

from __future__ import annotations

import re

from search.dates import MONTHS, WEEKDAYS


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
    Consortium Chamber""")

ACRONYM_ORGS = {
    "UN": "United Nations", "U.N.": "United Nations", "EU": "European Union",
    "E.U.": "European Union", "NATO": "NATO", "FBI": "FBI", "CIA": "CIA", "NSA": "NSA",
    "NASA": "NASA", "IMF": "International Monetary Fund", "WHO": "World Health Organization",
    "WTO": "World Trade Organization", "OPEC": "OPEC",
    "IAEA": "International Atomic Energy Agency", "UNICEF": "UNICEF", "UNHCR": "UNHCR",
    "UNESCO": "UNESCO", "OSCE": "Organization for Security and Co-operation in Europe",
    "ASEAN": "ASEAN", "ICC": "International Criminal Court",
    "ICRC": "International Committee of the Red Cross", "OECD": "OECD",
    "OPCW": "Organisation for the Prohibition of Chemical Weapons",
    "AFP": "Agence France-Presse", "BBC": "BBC", "CNN": "CNN", "NPR": "NPR",
    "DHS": "Department of Homeland Security", "EPA": "Environmental Protection Agency",
    "FDA": "Food and Drug Administration", "CDC": "Centers for Disease Control and Prevention",
    "IRS": "IRS", "NHS": "NHS", "ISIS": "Islamic State", "ISIL": "Islamic State",
}
_NAMED_ORGS = {
    "united nations": "United Nations", "white house": "White House", "pentagon": "Pentagon",
    "kremlin": "Kremlin", "treasury": "Treasury", "congress": "Congress", "senate": "Senate",
    "house of representatives": "House of Representatives", "red cross": "Red Cross",
    "red crescent": "Red Crescent",
    "associated press": "Associated Press", "reuters": "Reuters",
    "agence france-presse": "Agence France-Presse", "al jazeera": "Al Jazeera",
    "hamas": "Hamas", "hezbollah": "Hezbollah", "taliban": "Taliban", "al-qaeda": "al-Qaeda",
    "al qaeda": "al-Qaeda", "islamic state": "Islamic State", "interpol": "Interpol",
    "europol": "Europol", "doctors without borders": "Doctors Without Borders",
    "human rights watch": "Human Rights Watch", "state dept.": "State Department",
}
_NAMED_ORG_FIRST_WORDS = frozenset(name.split()[0] for name in _NAMED_ORGS)
# Departments usually named "X Department" in news copy.
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
    "union station", "supreme leader",
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
    Could Should Might Must Let Mr Ms Mrs""")
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
RUN_RE = re.compile(rf"(?<![\w.'-]){RUN}")
_ACRONYM_DEF_RE = re.compile(rf"(?<![\w.'-])(?P<run>{RUN})\s+\((?P<acr>[A-Z][A-Za-z.&]{{1,9}})\)")


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


def organisations_in_tokens(tokens: list[str], acronyms: dict[str, str]) -> list[str]:
    """Canonical organisations named in one run of capitalised words."""
    found: list[str] = []
    floor, index = 0, 0
    while index < len(tokens):
        named, size = _named_organisation(tokens, index, acronyms)
        if named:
            index = floor = index + size
            head = index if index < len(tokens) and tokens[index] in ORG_HEADS else None
            head = head if head is not None else index + 1 if index + 1 < len(tokens) \
                and tokens[index + 1] in ORG_HEADS and _is_modifier(tokens[index]) else None
            if head is not None:
                _, end = _organisation_span(tokens, head, floor)
                named = f"{named} {' '.join(tokens[index:end])}"
                index = floor = end
            found.append(named)
            continue
        if tokens[index] in ORG_HEADS:
            start, end = _organisation_span(tokens, index, floor)
            name = _canonical_span(tokens[start:end])
            if name:
                found.append(name)
            index = floor = end
            continue
        index += 1
    return found


def _named_organisation(tokens: list[str], index: int,
                        acronyms: dict[str, str]) -> tuple[str | None, int]:
    token = tokens[index]
    if token in acronyms:
        return acronyms[token], 1
    for size in (3, 2) if acronyms else ():
        # short forms learned from full names end in a head word: 'the Brennock Centre'
        if index + size <= len(tokens) and tokens[index + size - 1] in ORG_HEADS:
            key = " ".join(tokens[index:index + size])
            if key in acronyms:
                return acronyms[key], size
    if token in ACRONYM_ORGS:
        return ACRONYM_ORGS[token], 1
    if token.lower() not in _NAMED_ORG_FIRST_WORDS:
        return None, 0
    for size in range(min(5, len(tokens) - index), 0, -1):
        key = " ".join(tokens[index:index + size]).lower()
        if key in _NAMED_ORGS:
            return _NAMED_ORGS[key], size
    return None, 0


def _organisation_span(tokens: list[str], head: int, floor: int) -> tuple[int, int]:
    """Token range of the organisation around a head word: modifiers before, complement after."""
    start = head
    while start > floor and _is_modifier(tokens[start - 1]):
        start -= 1
        if start - 2 >= floor and tokens[start - 1] in ("&", "and") \
                and _is_modifier(tokens[start - 2]):
            start -= 2
    end = head + 1
    segment_end = end
    while segment_end < len(tokens) and _is_modifier(tokens[segment_end]):
        segment_end += 1
        if tokens[segment_end - 1] in ORG_HEADS:
            end = segment_end
    in_complement = False
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
        while stop < len(tokens) and not is_connector(tokens[stop]):
            stop += 1
        if tokens[end] in {"and", "&"} and any(
                t in ORG_HEADS or t in ACRONYM_ORGS for t in tokens[nxt:stop]):
            break
        end = stop
    return start, end


def _is_calendar_word(token: str) -> bool:
    word = token.rstrip(".").lower()
    return word in WEEKDAYS or word in MONTHS


def _is_modifier(token: str) -> bool:
    return (not is_connector(token) and token not in FUNCTION_WORDS
            and token.lower() not in PERSON_ROLES and token not in ACRONYM_ORGS)


def _canonical_span(tokens: list[str]) -> str | None:
    tokens = strip_place_prefix(strip_function_words(tokens))
    if len(tokens) < 2:
        return None
    if tokens[-1] == "Dept.":
        tokens = [*tokens[:-1], "Department"]
    if (len(tokens) in (3, 4) and tokens[0] == "Department" and tokens[1] == "of"
            and tokens[-1] in _DEPARTMENT_SHORT):
        tokens = [tokens[-1], "Department"]
    name = " ".join(tokens)
    if name.lower() in _NOT_ORGS or is_place(tokens):
        return None
    return name


def organisations_in(text: str, acronyms: dict[str, str],
                     short_forms: dict[str, str] | None = None) -> list[str]:
    """Canonical organisations a normalised text names, in order of first mention."""
    found: list[str] = []
    for match in RUN_RE.finditer(text):
        run = match.group()
        if short_forms and run in short_forms and _may_be_short_form(text, match.start()):
            found.append(short_forms[run])
        else:
            found.extend(organisations_in_tokens(run.split(), acronyms))
    return list(dict.fromkeys(found))


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
    if len(tokens) > 1 and first.isalpha() and first[0].isupper() and first not in ORG_HEADS \
            and first not in _COMMON_NAME_WORDS and first not in _DEPARTMENT_SHORT \
            and first not in FUNCTION_WORDS and first not in DEMONYMS \
            and first.lower() not in PLACES and first.lower() not in TITLE_WORDS:
        short_forms.setdefault(first, organisation)


class DocumentOrganisations:
    """The organisations a document has named so far, with the acronyms and short forms it uses."""

    def __init__(self) -> None:
        self.acronyms: dict[str, str] = {}
        self.short_forms: dict[str, str] = {}
        self.seen: list[str] = []
        self.in_paragraph: list[str] = []

    def read(self, text: str) -> list[str]:
        """Organisations the next normalised paragraph names, remembered for later ones."""
        learn_acronyms(text, self.acronyms)
        found = organisations_in(text, self.acronyms, self.short_forms)
        for organisation in found:
            learn_short_forms(organisation, self.acronyms, self.short_forms)
        self.seen.extend(found)
        self.in_paragraph = found
        return found

    def only_in_paragraph(self) -> str | None:
        """The organisation the latest paragraph names, if it names exactly one."""
        return self.in_paragraph[0] if len(self.in_paragraph) == 1 else None

    def called(self, noun: str) -> str | None:
        """The organisation 'the union' or 'the ministry' refers to: the latest one so named."""
        for name in reversed(self.seen):
            if name.rsplit(" ", 1)[-1].lower() == noun:
                return name
        return None


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


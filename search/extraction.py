"""Paragraphs to facts: who is quoted or reported, which organisations are named, which dates.

Rules only, in the way a careful journalist reads a story: speech verbs and their subjects,
quotes and their attributions, titles and affiliations, transcript turns, and dates resolved
against the document's own date. Names resolve across a document, so extraction works on a
whole document at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """A person named in a document, with the title and organisation the document gives."""

    name: str
    title: str | None
    organisation: str | None


@dataclass
class ParagraphFacts:
    """What one paragraph says: its speakers, organisations and dates."""

    speakers: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


@dataclass
class DocumentFacts:
    """Facts for every paragraph of a document, and the people who speak in it."""

    paragraphs: list[ParagraphFacts]
    people: dict[str, Person]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Word tables
# ---------------------------------------------------------------------------------------------

SPEECH_VERBS = _words("""
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
QUOTE_VERBS = _words("called calls described describes dubbed termed branded")

# Lower-cased; a person's title is the words up to the last of these before the name.
TITLE_WORDS = _words("""
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
ROLE_ENDINGS = _words("""minister secretary president spokesman spokeswoman spokesperson
    ambassador director chairman chairwoman governor senator envoy commissioner chancellor
    premier mayor official representative""")
HONORIFICS = _words("mr mr. mrs mrs. ms ms. miss sir dr dr.")
# Title words that name a person's role, so never the first word of an organisation's name.
PERSON_ROLES = TITLE_WORDS - _words("""justice general special executive senior chief deputy
    acting assistant vice prime under head major former supreme""")

ORG_HEADS = _words("""
    Department Dept. Ministry Corporation Corp Corp. Inc Inc. Company Co. Ltd Ltd. LLC Group
    Holdings Institute Institution Agency Council University College Academy International
    Organization Organisation Association Commission Committee Bank Fund Foundation Party
    Union Court Office Bureau Service Center Centre Watch Forum Society Authority Board
    Parliament Assembly Administration Federation Coalition Alliance Network Times Post
    Journal Tribune Herald Gazette News Army Navy Force Corps Guard Command Secretariat
    Tribunal Laboratory Laboratories Motors Airlines Airways Systems Technologies Partners
    Trust Front Movement Reserve Brigade Brigades Conservancy Caucus Cabinet Initiative
    Program Programme Mission Observatory Capital Securities Investments Associates
    Consulting Insurance""")

_ACRONYM_ORGS = {
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
    "associated press": "Associated Press", "reuters": "Reuters",
    "agence france-presse": "Agence France-Presse", "al jazeera": "Al Jazeera",
    "hamas": "Hamas", "hezbollah": "Hezbollah", "taliban": "Taliban", "al-qaeda": "al-Qaeda",
    "al qaeda": "al-Qaeda", "islamic state": "Islamic State", "interpol": "Interpol",
    "europol": "Europol", "doctors without borders": "Doctors Without Borders",
    "human rights watch": "Human Rights Watch", "state dept.": "State Department",
}
_NAMED_ORG_FIRST_WORDS = frozenset(name.split()[0] for name in _NAMED_ORGS)
# Departments usually named "X Department" in news copy.
_DEPARTMENT_SHORT = _words("""State Defense Justice Treasury Energy Commerce Labor Agriculture
    Education Transportation Interior""")
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
DEMONYMS = _words("""
    American Americans Russian Russians Syrian Syrians Iranian Iranians Chinese British French
    German Germans Turkish Turks Israeli Israelis Palestinian Palestinians Iraqi Iraqis Afghan
    Afghans Ukrainian Ukrainians European Europeans Saudi Saudis Egyptian Egyptians Japanese
    Korean Koreans Indian Indians Pakistani Pakistanis Kurdish Kurds Arab Arabs Western Eastern
    Canadian Canadians Mexican Mexicans Italian Italians Spanish Polish Dutch Swiss Swedish
    Norwegian Danish Greek Lebanese Jordanian Yemeni Libyan Qatari Emirati Nigerian Kenyan
    Australian Australians Brazilian Venezuelan Cuban Belarusian Georgian Armenian Kazakh
    Sunni Shiite Shia Muslim Muslims Christian Christians Jewish Jews African Asian Latin""")
# Capitalised words that start sentences or stand for groups: never a name on their own.
FUNCTION_WORDS = _words("""
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
GENERIC_SUBJECTS = _words("""
    Officials Analysts Experts Critics Diplomats Sources Residents Witnesses Police
    Authorities Observers Protesters Activists Lawmakers Legislators Republicans Democrats
    Investigators Prosecutors Researchers Scientists Officers Doctors Aides Others People
    Reporters Journalists Leaders Members Voters Rebels Militants Troops Soldiers Survivors
    Families Opponents Supporters Allies Advocates Economists Engineers Teachers Students
    Parents Users Customers Investors Traders Everyone Nobody Someone Government Officials
    Administration Regime Spokesman Spokeswoman Spokesperson Official Analyst Reporter
    Question Moderator Operator Participant Staff Question""")
NON_SPEAKER_LABELS = _words("""
    QUESTION Q QUESTIONER REPORTER PARTICIPANT MODERATOR OPERATOR NOTE UPDATE AUDIENCE
    MEMBER VOICE VOICES PRESS STAFF CORRESPONDENT ANNOUNCER EDITOR EDITORS TRANSCRIPT
    END UNIDENTIFIED INAUDIBLE CROSSTALK""")
_PARTICLES = _words("de da di du del della der den van von bin ibn al el la le y")
_CONNECTORS = _words("of for on the and &") | _PARTICLES
_ROLE_NOUNS_FOR_ORG = ("official|officials|spokesman|spokeswoman|spokesperson|statement|"
                       "source|sources|representative|release|report|press release|"
                       "announcement|analyst|analysts|researcher|researchers")

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name[:3].lower(): index for name, index in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# ---------------------------------------------------------------------------------------------
# Regular expressions
# ---------------------------------------------------------------------------------------------

_CAP = (r"(?:(?:[A-Z]\.){2,}"
        r"|(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Adm|Maj|Prof|Rev|Co|Inc"
        r"|Corp|Ltd|Dept)\."
        r"|[A-Z]\.(?=\s+[A-Z])"
        r"|(?:(?:al|el|ad|as|ash|at|az|ar)-)?[A-Z\u00C0-\u00DE][\w&-]*"
        r"(?:'[A-Z][\w-]*|(?<=s)'(?= ))?)")
_CONN = r"(?:of|for|on|the|and|&|de|da|di|du|del|della|der|den|van|von|bin|ibn|al|el|la|le|y)"
RUN = rf"{_CAP}(?:(?:\s+{_CONN})*\s+{_CAP})*"
_RUN_RE = re.compile(rf"(?<![\w.'-]){RUN}")
_ADV = (r"(?:also|then|later|previously|recently|again|further|separately|repeatedly|once|"
        r"has|have|had|would|will|earlier|publicly|privately|quickly|simply|flatly|"
        r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|"
        r"last\s+(?:week|month|year)|this\s+week)")
_ADVS = rf"(?:\s+{_ADV})*"
_PHRASE = r"(?:[^,;:\x01.!?]|\.(?=[\w,]))"
_ROLE = rf"(?:the|a|an|\d{{1,3}}|[a-z][\w'-]*)\b{_PHRASE}{{0,140}}?"
# A role after a name that ends its clause: 'the chief economist at X' or 'chief economist at X'.
_ROLE_START = "(?:the|a|an|" + "|".join(
    sorted((re.escape(w) for w in TITLE_WORDS if w.isalpha()), key=len, reverse=True)) + r")\s"

_QUOTES_RE = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
_SPACES_RE = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_GLUED_SENTENCE_RE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_LC_HEAD_RE = re.compile(r"\b([A-Z][\w.]*) (department|ministry)\b")
_VERB_RE = re.compile(
    r"\b(?:" + "|".join(sorted(SPEECH_VERBS | QUOTE_VERBS, key=len, reverse=True)) + r")\b")
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
_AFTER_QUOTE_RE = re.compile(r"\x01\s*,?\s*\Z")
_TURN_RE = re.compile(
    r"\A(?P<label>(?:[A-Z][A-Z'.-]*\.?(?:\s+[A-Z][A-Z'.-]*\.?){0,4})"
    r"|(?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][\w'-]+|Question|Q)\s*:\s*")
_HEADER_BY_RE = re.compile(
    rf"\b(?:Briefing|Remarks|Statement|Interview|Conference|Call|Roundtable|Testimony|"
    rf"Availability|Readout|Address|Speech)\b[^.]*?\b(?:by|with|from)\s+(?P<run>{RUN})"
    rf"(?:\s*,\s*(?P<role>[^,;.]{{1,80}}))?")
_HEADER_NAME_ROLE_RE = re.compile(
    rf"\A(?P<run>{RUN})\s*,\s*(?P<role>(?:[A-Z][\w.'-]*|of|for|the|and|on)"
    rf"(?:\s+(?:[A-Z][\w.'-]*|of|for|the|and|on))*)\s*(?:[,;]|\Z)")
_ACRONYM_DEF_RE = re.compile(rf"(?<![\w.'-])(?P<run>{RUN})\s+\((?P<acr>[A-Z][A-Za-z.&]{{1,9}})\)")
_ACRONYM_RE = re.compile(r"\A(?:[A-Z]{2,}s?|(?:[A-Z]\.){2,})\Z")
_ROLE_SPLIT_RE = re.compile(rf"\s+(?:at|of|for|with|from)\s+(?:the\s+)?(?P<org>{RUN})\s*\Z")
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|its|their|his|her|this|that|our)\s+\Z", re.I)
_SINGULAR_AFTER_RE = re.compile(r"\A\s+[a-z]+(?<!s)\b")
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|would|could|may|might|should|scheduled|expect|expects|expected|due to|"
    r"plans? to|going to|next)\b")

_MONTH_CAP = (r"(?P<month>(?:January|February|March|April|May|June|July|August|September|"
              r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
              r"(?![a-z])\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# One alternative per way of writing a date; only those whose cue words occur in a paragraph
# are compiled into its pattern (see _date_pattern), which keeps the scan cheap.
_DATE_ALTERNATIVES = {
    "mdy": rf"(?P<mdy>(?:{_WEEKDAY},?\s+)?{_MONTH_CAP}\s+{_DAY}(?:,\s*|\s+){_YEAR})",
    "dmy": rf"(?P<dmy>(?:{_WEEKDAY},?\s+)?{_DAY.replace('day>', 'day2>')}\s+(?:of\s+)?"
           rf"{_MONTH_CAP.replace('month>', 'month2>')},?\s+{_YEAR.replace('year>', 'year2>')})",
    "iso": r"(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
    "slash": r"(?P<slash>(?P<sm>[01]?\d)/(?P<sd>[0-3]?\d)/(?P<sy>(?:19|20)\d\d)\b)",
    "my": rf"(?P<my>{_MONTH_CAP.replace('month>', 'month3>')},?\s+(?:of\s+)?"
          rf"{_YEAR.replace('year>', 'year3>')})",
    "md": rf"(?P<md>(?:{_WEEKDAY},?\s+)?{_MONTH_CAP.replace('month>', 'month4>')}\s+"
          rf"{_DAY.replace('day>', 'day4>')}(?![\d,]*\d{{4}}))",
    "dm": rf"(?P<dm>{_DAY.replace('day>', 'day5>')}\s+(?:of\s+)?"
          rf"{_MONTH_CAP.replace('month>', 'month5>')})",
    "ago": r"(?P<ago>(?P<agon>\d{1,2}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|"
           r"ten|eleven|twelve))\s+(?P<agou>day|week|month|year)s?\s+ago\b)",
    "rel": r"(?P<rel>(?:earlier\s+|later\s+)?(?P<relw>[Ll]ast|[Tt]his|[Nn]ext)\s+"
           r"(?P<relu>month|year)\b)",
    "dayword": r"(?P<dayword>(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b)",
    "weekday": rf"(?P<weekday>(?:(?P<wq>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd>{_WEEKDAY})\b)",
    "monthonly": rf"(?P<monthonly>(?P<mq>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ll]ast|[Nn]ext|[Tt]his|"
                 rf"[Ee]arly|[Ll]ate|[Mm]id-|[Tt]hrough|[Dd]uring|[Ff]rom|[Bb]efore|[Aa]fter|"
                 rf"[Oo]f)\s*(?:early\s+|late\s+|mid-)?{_MONTH_CAP.replace('month>', 'month6>')}"
                 rf"(?!\s*\d)(?!\s+(?:of\s+)?(?:19|20)\d\d))",
    "year4": r"(?P<year4>(?<![\d,.$\u00a3\u20ac#/-])(?P<y>(?:19|20)\d\d)"
             r"(?![\d%]|,\d|\.\d|s\b|-\d\d-))",
}
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
_DATE_CUES = (
    (("mdy", "dmy", "my", "md", "dm", "monthonly"), lambda t: any(m in t for m in _MONTH_STEMS)),
    (("iso", "slash", "year4"), lambda t: "19" in t or "20" in t),
    (("ago",), lambda t: " ago" in t),
    (("rel",), lambda t: "month" in t or "year" in t),
    (("dayword", "weekday"), lambda t: "day" in t or "morrow" in t or "night" in t),
)
_DATE_PATTERNS: dict[tuple[str, ...], re.Pattern | None] = {}
_YEAR_BEFORE_RE = re.compile(
    r"(?:\b(?:in|since|between|from|until|till|to|by|of|and|or|during|early|late|mid|"
    r"through|before|after|year|years|fiscal|spring|summer|autumn|fall|winter|around|circa|"
    r"c\.|through|about|throughout|as\s+of|end\s+of|start\s+of)|mid-|[(,])\s*\Z", re.I)
_YEAR_AFTER_RE = re.compile(
    r"\A(?:\s*(?:[,.;:)!?'\"\u2019\u201d]|\Z|-|\u2013|and\b|or\b|to\b|through\b|when\b|after\b|"
    r"before\b|until\b)|\s+[A-Z]|\s+(?:election|elections|campaign|census|budget|season|"
    r"report|survey|law|act|agreement|deal|accord|summit|ceasefire|war|invasion|attack|"
    r"attacks|coup|crisis|uprising|revolution|protests|vote|referendum|race|conference|"
    r"levels?|figures|data|games|olympics|world\s+cup|talks|treaty|ruling|decision|"
    r"presidential|midterm|midterms|general|parliamentary|primary|primaries|review|study|"
    r"plan|strategy|estimate|estimates|statement|meeting|visit|trip|speech|debate)\b)")


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def extract_document(paragraphs: list[str], title: str | None = None,
                     document_date: dt.date | None = None) -> DocumentFacts:
    """Facts for each paragraph of one document, with names resolved across the document."""
    reader = _DocumentReader(document_date)
    if title:
        reader.read_header(_normalise(title))
    facts = [reader.read_paragraph(paragraph) for paragraph in paragraphs]
    return DocumentFacts(paragraphs=facts, people=reader.speaking_people())


def extract_dates(text: str, document_date: dt.date | None = None) -> list[str]:
    """ISO dates and years a text mentions, relative ones resolved against document_date."""
    return _unique(iso for _, iso in _dates_with_positions(_normalise(text), document_date))


def extract_organisations(text: str) -> list[str]:
    """Canonical names of the organisations a text names, in order of first mention."""
    return _organisations(_normalise(text), {})


def canonical_organisation(name: str) -> str | None:
    """The canonical form of an organisation's name, or None if it does not name one."""
    tokens = _normalise(name).split()
    found = _organisations_in_tokens(tokens, {})
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------------------------------------
# Text preparation
# ---------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = _SPACES_RE.sub(" ", text).strip()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", " - ")
    text = _GLUED_SENTENCE_RE.sub(" ", text)
    return _LC_HEAD_RE.sub(lambda m: f"{m.group(1)} {m.group(2).capitalize()}", text)


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


def _unique(items) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# ---------------------------------------------------------------------------------------------
# Names: places, organisations and people in runs of capitalised words
# ---------------------------------------------------------------------------------------------


def _is_connector(token: str) -> bool:
    return token in _CONNECTORS


def _is_place(tokens: list[str]) -> bool:
    text = " ".join(tokens).lower()
    if text in PLACES:
        return True
    return all(t.lower() in PLACES or t in DEMONYMS or _is_connector(t) for t in tokens)


def _strip_function_words(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) and (tokens[start] in FUNCTION_WORDS or _is_connector(tokens[start])):
        start += 1
    return tokens[start:]


def _strip_place_prefix(tokens: list[str]) -> list[str]:
    """Tokens without a leading country ("U.S. State Department" -> "State Department")."""
    for size in (2, 1):
        if len(tokens) > size + 1 and " ".join(tokens[:size]).lower() in PLACES \
                and tokens[size] not in _CONNECTORS:
            return tokens[size:]
    return tokens


def _strip_place_suffix(tokens: list[str]) -> list[str]:
    """Tokens without a trailing 'of Ohio' or 'from Texas' (a senator's state, not a name)."""
    for index in range(len(tokens) - 2, 0, -1):
        if tokens[index] in ("of", "from") and _is_place(tokens[index + 1:]):
            return tokens[:index]
    return tokens


def _organisations_in_tokens(tokens: list[str], acronyms: dict[str, str]) -> list[str]:
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
    if token in _ACRONYM_ORGS:
        return _ACRONYM_ORGS[token], 1
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
        if nxt >= len(tokens) or _is_connector(tokens[nxt]):
            break
        stop = nxt
        while stop < len(tokens) and not _is_connector(tokens[stop]):
            stop += 1
        if tokens[end] in {"and", "&"} and any(
                t in ORG_HEADS or t in _ACRONYM_ORGS for t in tokens[nxt:stop]):
            break
        end = stop
    return start, end


def _is_modifier(token: str) -> bool:
    return (not _is_connector(token) and token not in FUNCTION_WORDS
            and token.lower() not in PERSON_ROLES and token not in _ACRONYM_ORGS)


def _canonical_span(tokens: list[str]) -> str | None:
    tokens = _strip_place_prefix(_strip_function_words(tokens))
    if len(tokens) < 2:
        return None
    if tokens[-1] == "Dept.":
        tokens = [*tokens[:-1], "Department"]
    if (len(tokens) in (3, 4) and tokens[0] == "Department" and tokens[1] == "of"
            and tokens[-1] in _DEPARTMENT_SHORT):
        tokens = [tokens[-1], "Department"]
    name = " ".join(tokens)
    if name.lower() in _NOT_ORGS or _is_place(tokens):
        return None
    return name


def _organisations(text: str, acronyms: dict[str, str]) -> list[str]:
    found: list[str] = []
    for match in _RUN_RE.finditer(text):
        found.extend(_organisations_in_tokens(match.group().split(), acronyms))
    return _unique(found)


def _learn_acronyms(text: str, acronyms: dict[str, str]) -> None:
    """Remember acronyms the text defines: 'the Lagos Policy Institute (LPI)'."""
    if "(" not in text:
        return
    for match in _ACRONYM_DEF_RE.finditer(text):
        orgs = _organisations_in_tokens(match["run"].split(), acronyms)
        if orgs:
            acronyms[match["acr"]] = orgs[-1]


def _is_name_token(token: str) -> bool:
    if token in _PARTICLES or re.fullmatch(r"[A-Z]\.", token) or token in ("Jr.", "Sr."):
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
    tokens = _strip_function_words(tokens)
    organisation = None
    for index in range(1, len(tokens) - 1):
        if tokens[index] in ("of", "from", "at") and tokens[index - 1].lower() not in TITLE_WORDS:
            tail = tokens[index + 1:]
            tail = tail[1:] if tail and tail[0] == "the" else tail
            orgs = _organisations_in_tokens(tail, acronyms)
            if len(orgs) == 1 and tail and (tail[-1] in ORG_HEADS or tail[-1] in _ACRONYM_ORGS
                                            or tail[-1] in acronyms):
                organisation, tokens = orgs[0], tokens[:index]
                break
    tokens = _strip_place_suffix(_strip_place_prefix(tokens))
    cut = _title_end(tokens)
    title_tokens, name = tokens[:cut], tokens[cut:]
    if name and name[0] in ("of", "for"):
        size = 3 if len(name) >= 4 and (re.fullmatch(r"[A-Z]\.", name[-2])
                                         or name[-2] in _PARTICLES) else 2
        title_tokens, name = title_tokens + name[:-size], name[-size:]
    if not name or len(name) > 4 or not all(_is_name_token(t) for t in name):
        return None
    if name[0] in _PARTICLES or name[-1] in _PARTICLES or _is_place(name):
        return None
    title = _title_text(title_tokens)
    if title and organisation is None:
        title, organisation = _role_parts(title, acronyms)
    return _Mention(name, title, organisation)


def _title_end(tokens: list[str]) -> int:
    """Index after the last title word that still has a name token after it."""
    cut = 0
    for index, token in enumerate(tokens[:-1]):
        if token.lower() in TITLE_WORDS:
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
        orgs = _organisations_in_tokens(split["org"].split(), acronyms)
        if orgs:
            title = role[:split.start()].strip() or None
            return title, orgs[0]
    orgs = _organisations(role, acronyms)
    return role, orgs[0] if orgs else None


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def _date_pattern(text: str) -> re.Pattern | None:
    """The date pattern with only the alternatives whose cue words the text contains."""
    kinds = tuple(kind for kinds, cue in _DATE_CUES if cue(text) for kind in kinds)
    if kinds not in _DATE_PATTERNS:
        ordered = [_DATE_ALTERNATIVES[k] for k in _DATE_ALTERNATIVES if k in kinds]
        _DATE_PATTERNS[kinds] = re.compile(r"\b(?:" + "|".join(ordered) + ")") if ordered else None
    return _DATE_PATTERNS[kinds]


def _dates_with_positions(text: str, today: dt.date | None) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    pattern = _date_pattern(text)
    if pattern is None:
        return found
    for match in pattern.finditer(text):
        iso = _date_from_match(match, text, today)
        if iso:
            found.append((match.start(), iso))
    return found


def _date_from_match(match: re.Match, text: str, today: dt.date | None) -> str | None:
    return _DATE_KINDS[match.lastgroup](match, text, today)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _is_future(text: str, position: int) -> bool:
    sentence_start = max(text.rfind(". ", 0, position), position - 80)
    return bool(_FUTURE_RE.search(text, max(sentence_start, 0), position))


def _full_date(match, text, today):
    return _iso(int(match["year"]), _month_number(match["month"]), int(match["day"]))


def _full_date_dmy(match, text, today):
    return _iso(int(match["year2"]), _month_number(match["month2"]), int(match["day2"]))


def _iso_date(match, text, today):
    return _iso(int(match["iy"]), int(match["im"]), int(match["id"]))


def _slash_date(match, text, today):
    first, second = int(match["sm"]), int(match["sd"])
    month, day = (second, first) if first > 12 else (first, second)
    return _iso(int(match["sy"]), month, day)


def _month_year(match, text, today):
    return _iso(int(match["year3"]), _month_number(match["month3"]))


def _month_day(match, text, today):
    return _resolve_month_day(_month_number(match["month4"]), int(match["day4"]), today,
                              _is_future(text, match.start()))


def _day_month(match, text, today):
    return _resolve_month_day(_month_number(match["month5"]), int(match["day5"]), today,
                              _is_future(text, match.start()))


def _resolve_month_day(month: int, day: int, today: dt.date | None, future: bool) -> str | None:
    """The most recent such date on or before today (or the next one, for future tense)."""
    if today is None or not 1 <= day <= 31:
        return None
    for year in ((today.year, today.year + 1) if future else (today.year, today.year - 1)):
        iso = _iso(year, month, day)
        if iso and (iso >= today.isoformat() if future else iso <= today.isoformat()):
            return iso
    return None


def _ago(match, text, today):
    if today is None:
        return None
    count_word = match["agon"].lower()
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS[count_word]
    unit = match["agou"]
    if unit == "day":
        return (today - dt.timedelta(days=count)).isoformat()
    if unit == "week":
        return (today - dt.timedelta(weeks=count)).isoformat()
    if unit == "month":
        return _shift_month(today, -count)
    return _iso(today.year - count)


def _shift_month(today: dt.date, delta: int) -> str | None:
    index = today.year * 12 + today.month - 1 + delta
    return _iso(index // 12, index % 12 + 1)


def _relative_unit(match, text, today):
    if today is None:
        return None
    delta = {"last": -1, "this": 0, "next": 1}[match["relw"].lower()]
    if match["relu"] == "month":
        return _shift_month(today, delta)
    return _iso(today.year + delta)


def _day_word(match, text, today):
    if today is None:
        return None
    delta = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[match.group().lower()]
    return (today + dt.timedelta(days=delta)).isoformat()


def _weekday(match, text, today):
    if today is None:
        return None
    target = WEEKDAYS[match["wd"].lower()]
    qualifier = (match["wq"] or "").lower()
    future = qualifier == "next" or (qualifier != "last" and _is_future(text, match.start()))
    if future:
        days = (target - today.weekday()) % 7 or (7 if qualifier == "next" else 0)
        return (today + dt.timedelta(days=days)).isoformat()
    days = (today.weekday() - target) % 7 or (7 if qualifier == "last" else 0)
    return (today - dt.timedelta(days=days)).isoformat()


def _month_only(match, text, today):
    if today is None:
        return None
    month = _month_number(match["month6"])
    qualifier = match["mq"].lower()
    if qualifier == "next" or (qualifier != "last" and _is_future(text, match.start())):
        return _iso(today.year + (month < today.month), month)
    if qualifier == "last":
        return _iso(today.year - (month >= today.month), month)
    return _iso(today.year - (month > today.month), month)


def _bare_year(match, text, today):
    before = text[max(0, match.start() - 24):match.start()]
    after = text[match.end():match.end() + 40]
    if _YEAR_BEFORE_RE.search(before) or _YEAR_AFTER_RE.match(after):
        return _iso(int(match["y"]))
    if _DETERMINER_BEFORE_RE.search(before) and _SINGULAR_AFTER_RE.match(after):
        return _iso(int(match["y"]))
    return None


_DATE_KINDS = {
    "mdy": _full_date, "dmy": _full_date_dmy, "iso": _iso_date, "slash": _slash_date,
    "my": _month_year, "md": _month_day, "dm": _day_month, "ago": _ago, "rel": _relative_unit,
    "dayword": _day_word, "weekday": _weekday, "monthonly": _month_only, "year4": _bare_year,
}


# ---------------------------------------------------------------------------------------------
# People and speakers
# ---------------------------------------------------------------------------------------------


@dataclass
class _Speaker:
    position: int
    name: str
    is_person: bool


class _DocumentReader:
    """Reads a document's paragraphs in order, remembering people, speakers and open quotes."""

    PRONOUN_REACH = 3  # paragraphs a 'she added' may look back for its speaker

    def __init__(self, document_date: dt.date | None) -> None:
        self.today = document_date
        self.titles: dict[str, str | None] = {}
        self.affiliations: dict[str, str | None] = {}
        self.order: list[str] = []
        self.speakers: set[str] = set()
        self.acronyms: dict[str, str] = {}
        self.organisations_seen: list[str] = []
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
        if title and not organisation:
            owner = _OWNER_ROLE_RE.match(title)
            match = owner or _ROLE_AT_NOUN_RE.match(title)
            found = self.organisation_called(match["noun"]) if match else None
            if found or owner:
                return match["title"], found
        return title, organisation

    def organisation_called(self, noun: str) -> str | None:
        """The organisation 'the union' or 'the ministry' refers to: the latest one so named."""
        for name in reversed(self.organisations_seen):
            if name.rsplit(" ", 1)[-1].lower() == noun:
                return name
        return None

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
            if match and not any(w.lower() in TITLE_WORDS for w in match["role"].split()):
                match = None
        if match is None:
            return
        mention = _person_mention(match["run"].split(), self.acronyms)
        if mention and (len(mention.name) > 1 or mention.title):
            if match["role"] and not mention.title:
                mention.title, mention.organisation = self.role_parts(match["role"])
            if not mention.organisation:
                later = _organisations(text[match.end():], self.acronyms)
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

    def read_paragraph(self, paragraph: str) -> ParagraphFacts:
        """Facts for the next paragraph of the document."""
        self.index += 1
        text = _normalise(paragraph)
        _learn_acronyms(text, self.acronyms)
        spans, left_open = _quote_spans(text)
        masked = _masked(text, spans) if spans else text
        organisations = _organisations(text, self.acronyms)
        self.organisations_seen.extend(organisations)
        speakers = self.paragraph_speakers(text, masked, bool(spans), left_open)
        for speaker in speakers:
            if speaker.is_person:
                self.speakers.add(speaker.name)
        dates = _unique(iso for _, iso in _dates_with_positions(text, self.today))
        return ParagraphFacts(_unique(s.name for s in speakers), organisations, dates)

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
        for match in _RUN_RE.finditer(masked):
            tokens = match.group().split()
            if len(tokens) < 2 or _organisations_in_tokens(tokens, self.acronyms):
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
        found.sort(key=lambda s: s.position)
        for speaker in found:
            self.note_speaker(speaker)
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
        appositive = _APPOSITIVE_BEFORE_RE.search(before)
        if appositive:
            start = window + appositive.start("run")
            speaker = self.person_speaker(appositive["run"], appositive["role"], start,
                                          strong=True)
            if speaker:
                return speaker
        org_role = _ORG_ROLE_BEFORE_RE.search(before) or _GROUP_AT_ORG_BEFORE_RE.search(before)
        if org_role:
            return self.organisation_speaker(org_role["run"] or org_role["run2"], position)
        org_noun = _ORG_NOUN_BEFORE_RE.search(before)
        if org_noun:
            found_org = self.organisation_called(org_noun["noun"])
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
        tokens = _strip_function_words(run.split())
        if not tokens or tokens[0].lower() in WEEKDAYS or tokens[0].rstrip(".").lower() in MONTHS:
            return None
        orgs = _organisations_in_tokens(tokens, self.acronyms)
        if orgs and _is_whole_organisation(tokens, orgs[0]):
            return _Speaker(position, orgs[0], False)
        return self.person_speaker(run, role, position, strong)

    def person_speaker(self, run: str, role: str | None, position: int,
                       strong: bool) -> _Speaker | None:
        """A person speaker from a run (and role), resolved against people met so far."""
        tokens = _strip_function_words(run.split())
        if tokens and tokens[-1].lower() in ROLE_ENDINGS:
            known = self.resolve_title(" ".join(_strip_place_prefix(tokens)))
            return _Speaker(position, known, True) if known else None
        mention = _person_mention(tokens, self.acronyms)
        if mention is None:
            return None
        if role and not mention.title:
            title, organisation = self.role_parts(role)
            mention.title = title
            mention.organisation = mention.organisation or organisation
        name_tokens = mention.name
        if len(name_tokens) == 1 and self.resolve(name_tokens) is None and not (
                strong or mention.title or role):
            return None
        if len(name_tokens) == 1 and name_tokens[0] in DEMONYMS:
            return None
        return _Speaker(position, self.remember(mention), True)

    def organisation_speaker(self, run: str, position: int) -> _Speaker | None:
        """An organisation speaker ('a Treasury spokesman said'), if the run names one."""
        orgs = _organisations_in_tokens(_strip_function_words(run.split()), self.acronyms)
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


def _is_whole_organisation(tokens: list[str], organisation: str) -> bool:
    """Whether a run names only an organisation (not a person of that organisation)."""
    rest = _strip_place_prefix(tokens)
    joined = " ".join(rest)
    if organisation in (joined, " ".join(tokens)):
        return True
    if len(rest) <= 2 and (rest[-1] in ORG_HEADS or rest[-1] in _ACRONYM_ORGS):
        return True
    return _canonical_span(rest) == organisation or _named_organisation(rest, 0, {})[1] == len(rest)


def _lower_role(words: str) -> str | None:
    """Lower-case role words just before a name ('former ambassador'), else None."""
    kept: list[str] = []
    for word in reversed(words.split()):
        if word.lower() not in TITLE_WORDS:
            break
        kept.insert(0, word)
    return " ".join(kept) or None

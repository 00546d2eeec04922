"""Date mentions in text as ISO dates, months or years.

Absolute dates are read as written; relative ones ("last Tuesday", "yesterday", "in March")
resolve against the document's date in the direction the nearest tense cue of their sentence
points (will, scheduled, next ... forward; said, was, ruled, ago ... back), and are left out
when the document has no date. A month or day written without a year takes the document's year
unless the tense, the distance or the year the narrative is in points to another. Bare years
count only where the words around them say they are years, not quantities or times of day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name[:3].lower(): index for name, index in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
FUTURE, NEUTRAL, PAST = 1, 0, -1
NEAREST = 2  # a conditional or a future seen from the past ('would leave'): either way

_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|its|their|his|her|this|that|our|a|an)\s+\Z", re.I)
_SINGULAR_AFTER_RE = re.compile(
    r"\A\s+(?!(?:on|for|of|in|to|at|from|with|against|and|or|is|was|has|had)\b)[a-z]+(?<!s)\b")
# fiscal years and times of day ('at 2000 GMT', 'at 1900') are not years
_NOT_YEAR_BEFORE_RE = re.compile(r"\b(?:(?:[Ff]iscal|[Ff]inancial)(?:\s+year)?|FY|[Aa]t)\s*\Z")
_NOT_YEAR_AFTER_RE = re.compile(r"\A(?:[-/]\d\d)?\s+(?:fiscal|financial|tax)\s+year\b")
_FUTURE_WORDS = (
    r"will|'ll|shall|must|scheduled|slated|expected|expects|"
    r"expect|due|plans?|planned|intends?|aims?|hopes?|going\s+to|set\s+(?:to|for)|upcoming|"
    r"coming|next|ahead|tomorrow|until|"
    # the present tense of a timetable: 'the minister leaves on Sunday'
    r"leaves|departs|arrives|travels|goes|heads|visits|hosts|meets|begins|starts|opens|"
    r"resumes|convenes|expires|returns|takes\s+effect|is\s+to|are\s+to|(?:is|are)\s+on|"
    # the present progressive of an arrangement: 'the President is hosting him on Friday'
    r"(?:is|are|'s|'re|am|'m)\s+(?:also\s+)?[a-z]+ing")
_PAST_WORDS = (
    r"said|told|was|were|had|did|been|ago|last|earlier|yesterday|since|previously|after|"
    r"began|became|broke|brought|came|chose|drew|drove|fell|felt|flew|fought|found|gave|got|"
    r"grew|heard|held|hit|kept|knew|led|left|lost|made|met|paid|put|ran|rose|sank|sat|saw|"
    r"sent|set\s+off|shot|spoke|spent|stood|struck|swore|took|threw|thought|told|went|won|"
    r"wore|wrote|written|forecast|[A-Za-z][a-z]*[^e\W]ed")
_TENSE_RE = re.compile(rf"\b(?:(?P<future>{_FUTURE_WORDS})|"
                       rf"(?P<weak>would|could|might|should|may|is|are)|(?P<past>{_PAST_WORDS}))\b")
# a participle after these is passive or part of another tense: 'will be held', 'is allowed'
_AUXILIARY_BEFORE_RE = re.compile(r"\b(?:be|been|being|is|are|get|gets)\s+\Z")
_NOT_PAST = frozenset({"scheduled", "expected", "planned", "slated", "proposed", "intended",
                       "needed", "indeed", "supposed", "united", "limited", "based", "related",
                       "hundred"})
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "sen", "rep", "gov", "gen", "col",
    "lt", "inc", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "prof", "rev", "sgt", "capt", "maj", "ft", "mt", "dept", "approx"})
_SENTENCE_END_RE = re.compile(
    r"(?P<word>\w*)[.!?][\"')\]\u201d]*\s+(?=[\"'(\[\u201c]?[A-Z0-9])")

_MONTH_CAP = (r"(?P<month>(?:January|February|March|April|May|June|July|August|September|"
              r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
              r"(?![a-z])\.?)")
# the weekday names as a regex group, shared with the attribution patterns
WEEKDAY_PATTERN = r"(?:" + "|".join(calendar.day_name) + ")"
_WEEKDAY = WEEKDAY_PATTERN
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# the second day of a range: 'Sept. 19 to 22', '19-22 September'
_RANGE = (r"(?:\s*(?:-|to|through|until)\s*(?P<end>[0-3]?\d)(?:st|nd|rd|th)?"
          r"(?!\d|[,.:]\d|\s*%|\s+(?:percent|per|points|people|years|days|votes|seats|times)\b))?")
_SEASON_YEAR_RE = re.compile(r"\b(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?\Z", re.I)


def _named(pattern: str, suffix: str) -> str:
    """The pattern with its named groups renamed, so alternatives can share building blocks."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{suffix}>", pattern)


# One alternative per way of writing a date; only those whose cue words occur in a paragraph
# are compiled into its pattern (see _date_pattern), which keeps the scan cheap.
_DATE_ALTERNATIVES = {
    "mdy": rf"(?P<mdy>(?:{_WEEKDAY},?\s+)?{_MONTH_CAP}\s+{_DAY}{_RANGE}(?:,\s*|\s+){_YEAR})",
    "dmy": rf"(?P<dmy>(?:{_WEEKDAY},?\s+)?"
           + _named(rf"{_DAY}{_RANGE}\s+(?:of\s+)?{_MONTH_CAP},?\s+{_YEAR})", "2"),
    "iso": r"(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
    "slash": r"(?P<slash>(?P<sm>[01]?\d)/(?P<sd>[0-3]?\d)/(?P<sy>(?:19|20)\d\d)\b)",
    "my": "(?P<my>" + _named(rf"{_MONTH_CAP},?\s+(?:of\s+)?{_YEAR})", "3"),
    "md": rf"(?P<md>(?:(?P<mdwd>{_WEEKDAY}),?\s+)?"
          + _named(rf"{_MONTH_CAP}\s+{_DAY}{_RANGE}(?![\d,]*\d{{4}}))", "4"),
    "dm": rf"(?P<dm>(?:(?P<dmwd>{_WEEKDAY}),?\s+)?"
          + _named(rf"{_DAY}{_RANGE}\s+(?:of\s+)?{_MONTH_CAP})", "5"),
    "ago": r"(?P<ago>(?P<agoq>(?i:nearly|almost|about|around|roughly|some|over|more\s+than|"
           r"less\s+than|a\s+couple\s+of|a\s+few|several)\s+)?(?P<agon>\d{1,2}|(?i:a|an|one|two|"
           r"three|four|five|six|seven|eight|nine|ten|eleven|twelve))\s+"
           r"(?P<agou>day|week|month|year)s?\s+ago\b)",
    "rel": r"(?P<rel>(?:earlier\s+|later\s+)?(?P<relw>[Ll]ast|[Tt]his|[Nn]ext)\s+"
           r"(?P<relu>month|year)\b)",
    "dayword": r"(?P<dayword>(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast\s+night)\b)",
    "weekday": rf"(?P<weekday>(?:(?P<wq>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd>{_WEEKDAY})"
               r"(?P<wposs>(?:\s+(?:night|morning|afternoon|evening))?'s\b)?)",
    "monthonly": "(?P<monthonly>" + _named(
        rf"(?P<mq>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-|"
        rf"[Tt]hrough|[Dd]uring|[Ff]rom|[Bb]efore|[Aa]fter|[Oo]f|[Aa]n?|[Tt]he|[Bb]etween)\s*"
        rf"(?:early\s+|late\s+|mid-)?{_MONTH_CAP}(?![.\s]*\d)(?!'s)"
        rf"(?!\s+(?:of\s+)?(?:19|20)\d\d)", "6") + _named(
        # a second month: 'between March and May', 'from January to March 2016'
        rf"(?:\s*(?:,|and|or|to|through|until|-)\s*(?:early\s+|late\s+|mid-)?{_MONTH_CAP}"
        rf"(?:,?\s+(?:of\s+)?(?P<spany>(?:19|20)\d\d)(?!\d)|(?![.\s]*\d)(?!'s)))?)", "7"),
    # not '2004-05' (a financial or school year), '2005 GMT' (a time) or '2,016'
    "year4": r"(?P<year4>(?<![\d,.$\u00a3\u20ac#/-])(?P<y>(?:19|20)\d\d|1[0-8]\d\d)"
             r"(?![\d%]|,\d|\.\d|s\b|[-/]\d\d\b|-\d\d-|\s*(?:GMT|BST|UTC|EST|EDT|CST|CDT|PST|PDT|ET|CET|"
             r"hours|hrs)\b))",
}
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
_MONTH_STEM_RE = re.compile("|".join(_MONTH_STEMS))
_DATE_CUES = (
    (("mdy", "dmy", "my", "md", "dm", "monthonly"), lambda t: _MONTH_STEM_RE.search(t) is not None),
    (("iso", "slash", "year4"),
     lambda t: "19" in t or "20" in t or _OLD_YEAR_CUE_RE.search(t) is not None),
    (("ago",), lambda t: " ago" in t),
    (("rel",), lambda t: "month" in t or "year" in t),
    (("dayword", "weekday"), lambda t: "day" in t or "morrow" in t or "night" in t),
)
_DATE_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}
_ORDER = {kind: index for index, kind in enumerate(_DATE_ALTERNATIVES)}
# The characters each alternative can start with: a lookahead of them before the pattern only
# makes the scan faster (positions where no alternative can start fail at once).
_UPPER, _DIGITS = "A-Z", "0-9"
_DATE_FIRST_CHARS = {
    "mdy": _UPPER, "dmy": _UPPER + _DIGITS, "iso": "12", "slash": _DIGITS, "my": _UPPER,
    "md": _UPPER, "dm": _UPPER + _DIGITS, "ago": _DIGITS + "aAeEfFlLmMnNoOrRsStT",
    "rel": "elLtTnN", "dayword": "yYtTlL", "weekday": _UPPER + "lLnNtT",
    "monthonly": "iIsSuUbBlLnNtTeEmMdDfFaAoO", "year4": "12",
}
# A year before 1900 only in plain history: 'founded in 1337.', 'since 1850 by'.
_OLD_YEAR_CUE_RE = re.compile(r"\b1[0-8]\d\d\b")
_OLD_YEAR_BEFORE_RE = re.compile(r"\b(?:[Ii]n|since|until|from|circa|year)\s*\Z")
_OLD_YEAR_AFTER_RE = re.compile(r"\A(?:\s*[,.;:)!?]|\s+(?:by|and|when|AD|BC|CE)\b|\s*\Z)")
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
# names that hold a weekday but are not the coming or past such day: 'Fox News Sunday'
_WEEKDAY_NAME_BEFORE_RE = re.compile(
    r"\b(?:News|Super|Black|Cyber|Good|Easter|Palm|Bloody|Ash|Holy|Maundy|Shrove|Whit|"
    r"Mothering|Remembrance|Giving|Small\s+Business|(?:Mail|Independent|Sport)\s+on)\s+\Z")
_WEEKDAY_NAME_AFTER_RE = re.compile(
    r"\A\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Independent|Sport|People|Star|Night|"
    r"Morning|Show|Edition|Politics|Live)\b")
_TWEET_STAMP_BEFORE_RE = re.compile(r"\(@\w+\)\s*\Z")
_SINCE_BEFORE_RE = re.compile(r"\b(?:[Ss]ince|[Ff]rom|born(?:\s+on|\s+in)?)\s+\Z")
_SPAN_END_BEFORE_RE = re.compile(r"\b(?:to|until|till|through|and)\s+\Z")
# how many paragraphs the year a narrative is in (an explicit month or day of a past year)
# keeps applying to months and days written without one
_CONTEXT_SPAN = 5


def _date_matches(text: str) -> Iterator[re.Match]:
    """The date mentions of a text in order, as one pattern of all the alternatives finds them.

    Only the groups of alternatives whose cue words the text contains are scanned, each with
    its own pattern (a few small patterns compile much faster than one per mix of groups); at
    each step the leftmost match wins, and at one position the alternative listed first.
    """
    patterns = [_group_pattern(kinds) for kinds, cue in _DATE_CUES if cue(text)]
    if len(patterns) <= 1:
        yield from patterns[0].finditer(text) if patterns else ()
        return
    upcoming = [pattern.search(text) for pattern in patterns]
    position = 0
    while True:
        for index, match in enumerate(upcoming):
            if match is not None and match.start() < position:
                upcoming[index] = patterns[index].search(text, position)
        found = [match for match in upcoming if match is not None]
        if not found:
            return
        best = min(found, key=lambda match: (match.start(), _ORDER[match.lastgroup]))
        yield best
        position = best.end()


def _group_pattern(kinds: tuple[str, ...]) -> re.Pattern:
    """The pattern of one group of alternatives, in their order, behind their first letters."""
    if kinds not in _DATE_PATTERNS:
        ordered = [_DATE_ALTERNATIVES[k] for k in _DATE_ALTERNATIVES if k in kinds]
        first = "".join(_DATE_FIRST_CHARS[k] for k in kinds)
        _DATE_PATTERNS[kinds] = re.compile(rf"(?=[{first}])\b(?:" + "|".join(ordered) + ")")
    return _DATE_PATTERNS[kinds]


class DateReader:
    """Reads the dates of one document's paragraphs in order, remembering the narrative's year."""

    def __init__(self, today: dt.date | None) -> None:
        self.today = today
        self.text = ""
        self._years_written: dict[int, int] = {}
        self._context_year: int | None = None  # across paragraphs
        self._context_age = 0
        self._paragraph_year: int | None = None
        self._sentence_year: tuple[int, int] | None = None  # (year, end of its sentence)

    def read(self, text: str) -> list[str]:
        """ISO dates and years a normalised paragraph mentions, in order, without repeats."""
        self._context_age += 1
        if self._context_age > _CONTEXT_SPAN:
            self._context_year = None
        self._paragraph_year = self._sentence_year = None
        self.text = text
        found: list[str] = []
        for match in _date_matches(text):
            found.extend(_DATE_KINDS[match.lastgroup](match, self) or ())
        return list(dict.fromkeys(filter(None, found)))

    def note_year(self, year: int, match: re.Match, persistent: bool) -> None:
        """An explicit year was written: months and days without one may belong to it.

        Any year counts for the rest of its sentence; a month, day or season of a year for the
        rest of the paragraph, and for the next paragraphs once the year was written twice.
        """
        if self.today is None or year >= self.today.year - 1:
            self.note_relative()
            return
        before = self.text[max(0, match.start() - 12):match.start()]
        if _SINCE_BEFORE_RE.search(before):
            return
        self._years_written[year] = self._years_written.get(year, 0) + 1
        self._sentence_year = (year, _sentence_bounds(self.text, match.start())[1])
        if persistent and not _SPAN_END_BEFORE_RE.search(before):
            self._paragraph_year = year
            if self._years_written[year] >= 2:
                self._context_year, self._context_age = year, 0

    def note_relative(self) -> None:
        """A date relative to the document's own was written: the narrative is in the present."""
        self._context_year = self._paragraph_year = self._sentence_year = None

    def narrative_year(self, position: int) -> int | None:
        """The past year a month or day without a year at position belongs to, if any."""
        if self._sentence_year and position <= self._sentence_year[1]:
            return self._sentence_year[0]
        return self._paragraph_year or self._context_year


def dates_in(text: str, today: dt.date | None) -> list[str]:
    """ISO dates and years a normalised text mentions, relative ones resolved against today."""
    return DateReader(today).read(text)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2100:
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


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the sentence around position (abbreviations do not end one)."""
    start, end = 0, len(text)
    for match in _SENTENCE_END_RE.finditer(text):
        word = match["word"]
        if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start() + len(word) + 1
            break
    return start, end


def tense_at(text: str, start: int, end: int) -> int:
    """FUTURE, PAST, NEAREST or NEUTRAL: the nearest tense cue before the mention, else after."""
    first, last = _sentence_bounds(text, start)
    before = None
    for cue in _TENSE_RE.finditer(text, first, start):
        if _cue_direction(cue, text) is not None:
            before = cue
    if before is not None:
        return _cue_direction(before, text)
    weak = None
    for cue in _TENSE_RE.finditer(text, end, last):
        direction = _cue_direction(cue, text)
        if direction == NEAREST:  # 'on Thursday, it is likely we will': the 'will' decides
            weak = direction
        elif direction is not None:
            return direction
    return NEUTRAL if weak is None else weak


def _cue_direction(cue: re.Match, text: str) -> int | None:
    if cue["weak"]:
        return NEAREST
    if cue["future"]:
        return FUTURE
    if cue["past"].lower() in _NOT_PAST or _AUXILIARY_BEFORE_RE.search(
            text[max(0, cue.start() - 8):cue.start()]):
        return None
    return PAST


def _full_date(match, reader):
    year = int(match["year"])
    if _TWEET_STAMP_BEFORE_RE.search(reader.text, 0, match.start()):
        return None
    reader.note_year(year, match, persistent=True)
    return _day_range(year, _month_number(match["month"]), int(match["day"]), match["end"])


def _full_date_dmy(match, reader):
    year = int(match["year2"])
    reader.note_year(year, match, persistent=True)
    return _day_range(year, _month_number(match["month2"]), int(match["day2"]), match["end2"])


def _day_range(year: int, month: int, day: int, end: str | None) -> list[str | None]:
    if end and day < int(end) <= 31:
        return [_iso(year, month, day), _iso(year, month, int(end))]
    return [_iso(year, month, day)]


def _iso_date(match, reader):
    reader.note_year(int(match["iy"]), match, persistent=True)
    return [_iso(int(match["iy"]), int(match["im"]), int(match["id"]))]


def _slash_date(match, reader):
    first, second = int(match["sm"]), int(match["sd"])
    month, day = (second, first) if first > 12 else (first, second)
    return [_iso(int(match["sy"]), month, day)]


def _month_year(match, reader):
    year = int(match["year3"])
    reader.note_year(year, match, persistent=True)
    return [_iso(year, _month_number(match["month3"]))]


def _month_day(match, reader):
    return _month_day_dates(match, reader, _month_number(match["month4"]), int(match["day4"]),
                            match["end4"], match["mdwd"])


def _day_month(match, reader):
    return _month_day_dates(match, reader, _month_number(match["month5"]), int(match["day5"]),
                            match["end5"], match["dmwd"])


def _month_day_dates(match, reader, month: int, day: int, end: str | None,
                     weekday: str | None):
    if reader.today is None or not 1 <= day <= 31:
        return None
    year = _year_of_weekday(month, day, weekday, reader.today) if weekday else None
    if year is None:
        tense = tense_at(reader.text, match.start(), match.end())
        year = reader.narrative_year(match.start()) if tense != FUTURE else None
    if year is None:
        year = _year_of(month, day, reader.today, tense)
    return _day_range(year, month, day, end)


def _year_of_weekday(month: int, day: int, weekday: str, today: dt.date) -> int | None:
    """The one year near today in which that month and day fall on the weekday written."""
    years = [year for year in (today.year - 1, today.year, today.year + 1)
             if _iso(year, month, day) and dt.date(year, month, day).weekday()
             == WEEKDAYS[weekday.lower()]]
    return years[0] if len(years) == 1 else None


def _year_of(month: int, day: int, today: dt.date, tense: int) -> int:
    """The year of the occurrence of a month and day the tense and distance point to."""
    try:
        this_year = dt.date(today.year, month, min(day, 28) if month == 2 else day)
    except ValueError:
        return today.year
    if tense == FUTURE:
        return today.year + (this_year < today)
    if tense == PAST:
        return today.year - (this_year > today)
    if tense == NEAREST:
        return min((today.year - 1, today.year, today.year + 1),
                   key=lambda year: abs((this_year.replace(year=year) - today).days))
    # no tense cue: a date months ahead in the year is more likely last year's
    return today.year - ((this_year - today).days > 183)


def _ago(match, reader):
    today = reader.today
    if today is None:
        return None
    count_word = match["agon"].lower()
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS[count_word]
    unit = match["agou"]
    # approximate and round counts are vague periods: 'nearly two weeks ago', '50 years ago'
    if match["agoq"] or (unit == "year" and count >= 10):
        return None
    reader.note_relative()
    if unit in ("day", "week"):
        return [(today - dt.timedelta(days=count * (7 if unit == "week" else 1))).isoformat()]
    if unit == "month":
        return [_shift_month(today, -count)]
    return [_iso(today.year - count)]


def _shift_month(today: dt.date, delta: int) -> str | None:
    index = today.year * 12 + today.month - 1 + delta
    return _iso(index // 12, index % 12 + 1)


def _relative_unit(match, reader):
    today = reader.today
    if today is None:
        return None
    reader.note_relative()
    delta = {"last": -1, "this": 0, "next": 1}[match["relw"].lower()]
    if match["relu"] == "month":
        return [_shift_month(today, delta)]
    return [_iso(today.year + delta)]


def _day_word(match, reader):
    today = reader.today
    if today is None:
        return None
    reader.note_relative()
    word = " ".join(match.group().lower().split())
    delta = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    return [(today + dt.timedelta(days=delta)).isoformat()]


def _weekday(match, reader):
    today = reader.today
    if (today is None or _WEEKDAY_NAME_BEFORE_RE.search(reader.text, 0, match.start())
            or _WEEKDAY_NAME_AFTER_RE.match(reader.text[match.end():match.end() + 12])):
        return None
    reader.note_relative()
    target = WEEKDAYS[match["wd"].lower()]
    qualifier = (match["wq"] or "").lower()
    ahead = (target - today.weekday()) % 7 or (7 if qualifier == "next" else 0)
    back = (today.weekday() - target) % 7 or (7 if qualifier == "last" else 0)
    if qualifier in ("next", "last"):
        tense = FUTURE if qualifier == "next" else PAST
    elif match["wposs"]:
        tense = NEAREST  # 'Thursday's hearing': the nearer Thursday, whatever the tense
    else:
        tense = tense_at(reader.text, match.start(), match.end())
    if tense == FUTURE or (tense == NEAREST and ahead < back):
        return [(today + dt.timedelta(days=ahead)).isoformat()]
    return [(today - dt.timedelta(days=back)).isoformat()]


def _month_only(match, reader):
    month, second = _month_number(match["month6"]), match["month7"]
    qualifier = match["mq6"].lower()
    if qualifier in ("a", "an", "the") and (month == 5 or not _SINGULAR_AFTER_RE.match(
            reader.text[match.end():match.end() + 30])):
        return None  # 'the May government' names a person; only 'an August speech' is a date
    if match["spany7"]:
        year = int(match["spany7"])
        reader.note_year(year, match, persistent=True)
        second = _month_number(second)
        return [_iso(year - (month > second), month), _iso(year, second)]
    months = [month] + ([_month_number(second)] if second else [])
    return [_relative_month(number, qualifier, match, reader) for number in months]


def _relative_month(month: int, qualifier: str, match, reader) -> str | None:
    """A month without a year: the occurrence the qualifier, tense or narrative points to."""
    today = reader.today
    if today is None:
        return None
    if qualifier == "next":
        return _iso(today.year + (month <= today.month), month)
    if qualifier == "last":
        return _iso(today.year - (month >= today.month), month)
    tense = PAST if qualifier == "since" else tense_at(reader.text, match.start(), match.end())
    year = reader.narrative_year(match.start()) if tense != FUTURE else None
    if year is None:
        year = _year_of(month, 1, today.replace(day=1), tense)
    return _iso(year, month)


def _bare_year(match, reader):
    text = reader.text
    before = text[max(0, match.start() - 24):match.start()]
    after = text[match.end():match.end() + 40]
    if _NOT_YEAR_BEFORE_RE.search(before) or _NOT_YEAR_AFTER_RE.match(after):
        return None
    if match["y"] < "1900" and not (_OLD_YEAR_BEFORE_RE.search(before)
                                    and _OLD_YEAR_AFTER_RE.match(after)):
        return None
    if (_YEAR_BEFORE_RE.search(before) or _YEAR_AFTER_RE.match(after)
            or (_DETERMINER_BEFORE_RE.search(before) and _SINGULAR_AFTER_RE.match(after))):
        year = int(match["y"])
        reader.note_year(year, match, persistent=bool(_SEASON_YEAR_RE.search(before)))
        return [_iso(year)]
    return None


_DATE_KINDS = {
    "mdy": _full_date, "dmy": _full_date_dmy, "iso": _iso_date, "slash": _slash_date,
    "my": _month_year, "md": _month_day, "dm": _day_month, "ago": _ago, "rel": _relative_unit,
    "dayword": _day_word, "weekday": _weekday, "monthonly": _month_only, "year4": _bare_year,
}

"""Date mentions in text as ISO dates, months or years.

Absolute dates are read as written; relative ones ("last Tuesday", "two weeks ago", "in
March") resolve against the document's date, looking forward when the sentence is in the
future tense, and are left out when the document has no date. Bare years count only where
the words around them say they are years, not quantities.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name[:3].lower(): index for name, index in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|its|their|his|her|this|that|our)\s+\Z", re.I)
_SINGULAR_AFTER_RE = re.compile(r"\A\s+[a-z]+(?<!s)\b")
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|would|could|may|might|should|scheduled|expect|expects|expected|due to|"
    r"plans? to|going to|next|"
    # the present tense of a timetable: 'the minister leaves on Sunday'
    r"leaves|departs|arrives|travels|begins|starts|opens|resumes|convenes|expires|returns|"
    r"takes\s+effect)\b")

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


def _date_pattern(text: str) -> re.Pattern | None:
    """The date pattern with only the alternatives whose cue words the text contains."""
    kinds = tuple(kind for kinds, cue in _DATE_CUES if cue(text) for kind in kinds)
    if kinds not in _DATE_PATTERNS:
        ordered = [_DATE_ALTERNATIVES[k] for k in _DATE_ALTERNATIVES if k in kinds]
        _DATE_PATTERNS[kinds] = re.compile(r"\b(?:" + "|".join(ordered) + ")") if ordered else None
    return _DATE_PATTERNS[kinds]


def dates_in(text: str, today: dt.date | None) -> list[str]:
    """ISO dates and years a normalised text mentions, relative ones resolved against today."""
    pattern = _date_pattern(text)
    if pattern is None:
        return []
    found = (_DATE_KINDS[match.lastgroup](match, text, today) for match in pattern.finditer(text))
    return list(dict.fromkeys(iso for iso in found if iso))


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


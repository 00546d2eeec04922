"""The date histogram above the results: bars per month or year, each a link to its period.

Drawn as HTML (links whose height is one of LEVELS classes), so no script or inline style."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from web.facets import month_label
from web.params import State, changed, first, state_url

MAX_MONTH_BARS = 36  # a longer span is drawn by year
MAX_FILLED_YEARS = 80  # years with no match are drawn as empty bars up to this span
LEVELS = 20  # bar heights are drawn in 5% steps by CSS classes (the CSP forbids inline style)


def periods(months: dict[str, int]) -> tuple[str, list[tuple[str, int]]]:
    """The unit ("month" or "year") and the (period, count) bars for month counts, gaps filled."""
    if not months:
        return "month", []
    keys = sorted(months)
    first_year, first_month = (int(part) for part in keys[0].split("-"))
    last_year, last_month = (int(part) for part in keys[-1].split("-"))
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span <= MAX_MONTH_BARS:
        bars = []
        year, month = first_year, first_month
        for _ in range(span):
            key = f"{year:04d}-{month:02d}"
            bars.append((key, months.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return "month", bars
    years = Counter()
    for key, count in months.items():
        years[key[:4]] += count
    if last_year - first_year < MAX_FILLED_YEARS:
        return "year", [(f"{y:04d}", years.get(f"{y:04d}", 0))
                        for y in range(first_year, last_year + 1)]
    return "year", sorted(years.items())


def day_periods(days: dict[str, int]) -> list[tuple[str, int]]:
    """(day, count) bars from the first to the last day with matches, gaps filled."""
    if not days:
        return []
    first_day, last_day = (dt.date.fromisoformat(day) for day in (min(days), max(days)))
    span = (last_day - first_day).days + 1
    return [((first_day + dt.timedelta(n)).isoformat(),
             days.get((first_day + dt.timedelta(n)).isoformat(), 0)) for n in range(span)]


def histogram_view(histogram: dict | None, state: State) -> dict | None:
    """Bars (height level, label, link) for the page, or None when there is nothing to draw."""
    if not histogram:
        return None
    if histogram.get("day"):  # every match in one month: by day
        unit, bars = "day", day_periods(histogram["day"])
    else:
        unit, bars = periods(histogram.get("month", {}))
    undated = int(histogram.get("undated", 0))
    entries = [(period, count, _period_url(state, period), _label(unit, period), False)
               for period, count in bars]
    if undated:
        entries.append(("undated", undated, state_url(changed(
            state, undated="1", page=None, **{"from": None, "to": None})), "Undated", True))
    if not entries:
        return None
    tallest = max(count for _, count, *_ in entries) or 1
    bars = []
    for place, (period, count, url, label, is_undated) in enumerate(entries):
        level = max(1, round(LEVELS * count / tallest)) if count else 0
        bars.append({
            "period": period, "count": count, "url": url, "label": label,
            "undated": is_undated, "selected": _selected(state, period), "level": level,
            "tick": "undated" if is_undated else _tick(unit, period, place, len(entries)),
        })
    return {"unit": unit, "bars": bars, "undated": undated}


def _period_url(state: State, period: str) -> str:
    """The search narrowed to one period (a from/to range), other date filters dropped."""
    return state_url(changed(state, page=None, year=None, month=None, undated=None,
                             **{"from": period, "to": period}))


def _selected(state: State, period: str) -> bool:
    if period == "undated":
        return first(state, "undated") not in ("", "0")
    return first(state, "from") == period and first(state, "to") == period


def _label(unit: str, period: str) -> str:
    if unit == "day":
        return dt.date.fromisoformat(period).strftime("%-d %B %Y")
    return month_label(period) if unit == "month" else period


def _tick(unit: str, period: str, place: int, bars: int) -> str:
    """The axis label under a bar: every year's first month, or every n-th year or day."""
    if unit == "day":
        day = int(period[8:])
        return period[8:].lstrip("0") if place == 0 or day % 5 == 0 else ""
    if unit == "month":
        if place == 0 or period.endswith("-01"):
            return period[:4] if bars > 12 else month_label(period)[:3] + " " + period[:4]
        return "" if bars > 12 else month_label(period)[:3]
    every = max(1, -(-bars // 12))
    return period if place % every == 0 else ""

"""Facets for the page: each value knows its label, count, whether it is on, and its toggle link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from web.params import EXCLUDE_PARAMS, State, state_url, toggled

Labeler = Callable[[str], str]


def month_label(value: str) -> str:
    """'2017-05' as 'May 2017' (the value itself when it is not a month)."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return value


class FacetView:
    """One facet of the search page: which counts it shows and how values are labelled."""

    name = ""  # key in search()["facets"]
    param = ""  # query-string parameter it toggles
    title = ""

    def __init__(self, size: int = 10, more: int = 100, labeler: Labeler | None = None):
        self.size = size
        self.more = more
        self.labeler = labeler or (lambda value: value)

    def ordered(self, counts: dict[str, int]) -> list[str]:
        """Values in display order (search() gives them most frequent first)."""
        return list(counts)

    def value(self, state: State, value: str, count: int) -> dict:
        """One value as plain data: value, label, count, selected, toggle_url, and the
        exclude_url that leaves it out of the results (None where a facet has none)."""
        exclude = f"not_{self.param}"
        return {
            "value": value,
            "label": self.labeler(value),
            "count": count,
            "selected": value in state.get(self.param, []),
            "toggle_url": state_url(toggled(state, self.param, value)),
            "exclude_url": (state_url(toggled(state, exclude, value))
                            if exclude in EXCLUDE_PARAMS and value not in state.get(exclude, [])
                            else None),
        }

    def result(self, counts: dict[str, int], state: State, size: int | None = None) -> dict:
        """The facet as plain data; selected values always shown, truncation stated.

        size is the number of distinct values over all matches (counts may hold only the top).
        """
        selected = state.get(self.param, [])
        order = [v for v in selected if v not in counts] + self.ordered(counts)
        top = order[:self.size]
        top += [v for v in selected if v not in top]
        rest = [v for v in order if v not in top][:self.more]
        return {
            "name": self.name,
            "param": self.param,
            "title": self.title,
            "results": [self.value(state, v, counts.get(v, 0)) for v in top],
            "more": [self.value(state, v, counts.get(v, 0)) for v in rest],
            "shown": len(top),
            "total": max(len(order), size or 0),
            "truncated": max(len(order), size or 0) > len(top),
        }


class SpeakerFacet(FacetView):
    name, param, title = "speaker", "speaker", "Speaker"


class OrganisationFacet(FacetView):
    name, param, title = "organisation", "organisation", "Organisation"


class DocumentFacet(FacetView):
    name, param, title = "document", "document", "Document"


class DateFacet(FacetView):
    """Years in order; a selected year drills into its months."""

    name, param, title = "year", "year", "Date"

    def ordered(self, counts: dict[str, int]) -> list[str]:
        return sorted(counts, reverse=True)

    def result(self, counts: dict[str, int], state: State, size: int | None = None,
               months: dict[str, int] | None = None) -> dict:
        facet = super().result(counts, state, size)
        chosen_months = state.get("month", [])
        for year in facet["results"] + facet["more"]:
            in_year = sorted(m for m in (months or {}) if m.startswith(year["value"] + "-"))
            in_year += [m for m in chosen_months
                        if m.startswith(year["value"] + "-") and m not in in_year]
            year["children"] = [
                {"value": m, "label": month_label(m), "count": (months or {}).get(m, 0),
                 "selected": m in chosen_months,
                 "toggle_url": state_url(toggled(state, "month", m))}
                for m in sorted(in_year, reverse=True)
            ] if year["selected"] or any(m.startswith(year["value"]) for m in chosen_months) else []
        return facet


def facet_results(facets: dict[str, dict[str, int]], state: State, titles: Labeler,
                  size: int = 10, more: int = 100, sizes: dict[str, int] | None = None
                  ) -> list[dict]:
    """Every facet of a search() result for the page, in sidebar order."""
    sizes = sizes or {}
    return [
        SpeakerFacet(size, more).result(facets.get("speaker", {}), state, sizes.get("speaker")),
        OrganisationFacet(size, more).result(facets.get("organisation", {}), state,
                                             sizes.get("organisation")),
        DateFacet(size, more).result(facets.get("year", {}), state, sizes.get("year"),
                                     facets.get("month", {})),
        DocumentFacet(size, more, labeler=titles).result(facets.get("document", {}), state,
                                                         sizes.get("document")),
    ]

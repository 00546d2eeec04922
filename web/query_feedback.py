"""Query feedback: say how a query that does not parse as typed was read, or what is wrong."""

from __future__ import annotations

import re

from search.errors import QueryError
from search.query import parse_date_bound
from web.params import State, changed, first

_OPERATOR_AT_END = re.compile(r"\b(AND|OR|NOT)\s*$")
_OPERATOR_AT_START = re.compile(r"^\s*(AND|OR)\b")


def query_notes(q: str) -> list[str]:
    """How an unbalanced quote or bracket, or a dangling operator, in q was read."""
    notes = []
    if q.count('"') % 2:
        rest = q[q.rfind('"') + 1:].strip()
        notes.append(f'The quote before “{rest}” is never closed, so those words were searched '
                     'as separate words, not as a phrase.' if rest else
                     'A quotation mark at the end of the query is never closed; it was ignored.')
    outside = re.sub(r'"[^"]*"', " ", q)
    depth = unopened = 0
    for char in outside:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth:
                depth -= 1
            else:
                unopened += 1
    if depth:
        notes.append(f"{_count(depth, 'bracket')} “(” never closed: read as if closed at the "
                     "end of the query.")
    if unopened:
        notes.append(f"{_count(unopened, 'bracket')} “)” without an opening “(”: ignored.")
    if match := _OPERATOR_AT_END.search(outside):
        notes.append(f"“{match[1]}” at the end has nothing after it: ignored.")
    elif match := _OPERATOR_AT_START.search(outside):
        notes.append(f"“{match[1]}” at the start has nothing before it: ignored.")
    return notes


def _count(number: int, word: str) -> str:
    return "A" if number == 1 else f"{number} {word}s"


def corrected_range(state: State) -> tuple[State, str | None]:
    """The state with a reversed from/to range swapped, and the note saying so (else None)."""
    start, end = first(state, "from"), first(state, "to")
    if not (start and end):
        return state, None
    try:
        reversed_range = parse_date_bound(start, end=False) > parse_date_bound(end, end=True)
    except QueryError:
        return state, None  # a bad date: the search says what is wrong with it
    if not reversed_range:
        return state, None
    note = f"“From” ({start}) is after “To” ({end}), so the range was read as {end} to {start}."
    return changed(state, **{"from": end, "to": start}), note

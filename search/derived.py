"""Derived arrays written beside each new segment at commit time (facet columns and word
lists, search.matches' files), so that servers opening the index read them instead of
walking the segment: opening a million paragraphs is then a matter of seconds."""

from __future__ import annotations

import logging

from search import matches

log = logging.getLogger(__name__)


def derived_fields() -> tuple[list[str], list[str]]:
    """The keyword fields whose columns and the text fields whose word lists searches use."""
    from search.index import TITLE_TEXT
    from search.query import DEFAULT_FIELDS, FACETS

    return [facet.field for facet in FACETS], [*DEFAULT_FIELDS, TITLE_TEXT]


def write_for_new_segments(ix) -> int:
    """Write the derived files of every segment of the latest commit that lacks them;
    how many segments were derived (an unwritable index is skipped: servers derive then)."""
    columns, words = derived_fields()
    done = 0
    with ix.reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        matches.forget_segments_except({leaf.segment().segment_id() for leaf in leaves})
        for leaf in leaves:
            missing = ([f for f in columns if not matches.has_derived(leaf, f"{f}_column")]
                       + [f for f in words if not matches.has_derived(leaf, f"{f}_words")])
            if not missing:
                continue
            for fieldname in columns:
                matches.segment_column(leaf, fieldname)
            for fieldname in words:
                matches.segment_vocabulary(leaf, fieldname)
            done += 1
    return done

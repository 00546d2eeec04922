"""Which paragraphs match a query, how well, and how they count by facet: numpy over Whoosh.

Whoosh finds and scores matches one document at a time in Python, which takes seconds for
a broad query over a million paragraphs, and facet counts need every match. So here a term's
posting list is read a block at a time into numpy arrays (ids and term frequencies), queries
are evaluated as boolean mask algebra, ranked with the same BM25F formula and statistics
Whoosh uses, and facet values are counted with one `bincount`. Posting arrays of recently
used terms are cached per reader within a memory budget.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import os
import pickle
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, W3PerDocReader
from whoosh.matching import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search.errors import QueryError

log = logging.getLogger(__name__)

CACHE_BYTES = 128 * 1024 * 1024  # whole-index posting arrays kept per Generation
SEGMENT_CACHE_BYTES = 384 * 1024 * 1024  # per-segment arrays kept across commits
WALK_CACHE_SIZE = 256  # phrase and range results kept per reader
SPARSE_SCORING = 16  # rank fewer than 1/16 of the paragraphs by looking each one up
LOOKUP_COST = 8  # ... in a term's postings, unless it has 8 times more postings than them
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


class Deadline:
    """When a search must stop: check() raises QueryError once `seconds` have passed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.started = time.perf_counter()
        self.end = self.started + seconds

    def expired(self) -> bool:
        """Whether the time is up."""
        return time.perf_counter() > self.end

    def check(self) -> None:
        """QueryError when the time is up."""
        if self.expired():
            raise QueryError(f"the query took too long (over {self.seconds:g} s); "
                             "make it more specific or add filters")

    def remaining(self) -> float:
        """Seconds left (0 when the time is up)."""
        return max(0.0, self.end - time.perf_counter())


NO_DEADLINE = Deadline(float("inf"))
CHECK_EVERY = 64  # items a long loop handles between two looks at the clock


def checked(items: Iterable, deadline: Deadline) -> Iterator:
    """items, with the deadline checked every CHECK_EVERY of them."""
    for count, item in enumerate(items):
        if count % CHECK_EVERY == 0:
            deadline.check()
        yield item


class Postings(NamedTuple):
    """One term's postings, segment by segment (the segment cache's own arrays, not a copy):
    for each segment holding the term, its first global document number, the segment's own
    document numbers (ascending) and term frequencies; and, once the term has been ranked
    by, each paragraph's BM25F score for it (before the query's boost)."""

    offsets: tuple[int, ...]
    local_ids: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]
    scores: tuple[np.ndarray, ...] | None = None

    @property
    def ids(self) -> np.ndarray:
        """The global document numbers, ascending (a new array)."""
        if not self.offsets:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([ids.astype(np.int64) + offset
                               for offset, ids in zip(self.offsets, self.local_ids, strict=True)])

    def mark(self, mask: np.ndarray) -> None:
        """Set mask at the postings' paragraphs."""
        for offset, ids in zip(self.offsets, self.local_ids, strict=True):
            mask[offset:][ids] = True


class Selection:
    """A set of paragraphs (a mask) with their numbers found once and shared by whatever
    counts or ranks over it; past half the paragraphs, the numbers of those outside it,
    fewer to count (counts over it are then all counts minus the counts outside)."""

    def __init__(self, mask: np.ndarray, inside: np.ndarray | None = None):
        self.mask = mask
        self._inside = inside
        self.count = len(inside) if inside is not None else int(np.count_nonzero(mask))
        self._outside: np.ndarray | None = None
        self.tallies: dict[int, np.ndarray] = {}  # id(Column) -> its tally over these

    def dense(self) -> bool:
        """Whether more than half of all paragraphs are in it."""
        return self.count * 2 > len(self.mask)

    def inside(self) -> np.ndarray:
        """The numbers of its paragraphs, ascending."""
        if self._inside is None:
            self._inside = np.flatnonzero(self.mask)
        return self._inside

    def outside(self) -> np.ndarray:
        """The numbers of the paragraphs not in it, ascending."""
        if self._outside is None:
            self._outside = np.flatnonzero(~self.mask)
        return self._outside


def selection(paragraphs: np.ndarray | Selection, where: np.ndarray | None = None
              ) -> Selection:
    """paragraphs as a Selection (where, if given, is np.flatnonzero(paragraphs))."""
    if isinstance(paragraphs, Selection):
        return paragraphs
    return Selection(paragraphs, where)


class Column:
    """A facet field as (paragraph, value) pairs: the values, and which paragraph has each."""

    def __init__(self, values: list[str], docs: np.ndarray, value_ids: np.ndarray, size: int):
        self._hold(values, size, *_first_values(values, docs, value_ids, size))

    def _hold(self, values: list[str], size: int, first: np.ndarray, extra_docs: np.ndarray,
              extra_ids: np.ndarray, positions: dict[str, int] | None = None) -> None:
        self.values = values
        self.size = size
        # Per paragraph, 1 + the id of its first value in sorted order (0: none); and the
        # (paragraph, value id) pairs beyond each paragraph's first value. Only these are
        # kept (the pairs are not): they are what counting reads.
        self.first, self._extra_docs, self._extra_ids = first, extra_docs, extra_ids
        self._positions = positions
        self._first_everywhere: np.ndarray | None = None
        self._through: tuple[Column, np.ndarray] | None = None
        self.through_tried = False

    def count_through(self, documents: Column) -> bool:
        """Count this field through the counts of documents when every paragraph's value is
        its document's (a document's date gives its year and month): then a weighted count
        over documents replaces one over paragraphs. Whether that holds."""
        self.through_tried = True
        if (len(self._extra_docs) or len(documents._extra_docs)
                or len(documents.first) != len(self.first)):
            return False
        of_document = np.zeros(len(documents.values) + 1, dtype=np.int64)
        of_document[documents.first] = self.first
        if of_document[0] != 0 or not np.array_equal(of_document[documents.first], self.first):
            return False
        self._through = (documents, of_document[1:])
        return True

    def tally(self, paragraphs: np.ndarray | Selection, where: np.ndarray | None = None
              ) -> np.ndarray:
        """How many of the paragraphs (a mask or a Selection) have each value (by value
        id); where, if given, is np.flatnonzero(mask).

        Each paragraph's first value is counted by indexing a per-paragraph array with the
        paragraphs' numbers (a boolean selection over a million entries is several times
        slower), or, for a dense selection, with the numbers of the paragraphs outside it;
        the few further values of multi-valued paragraphs are counted apart.
        """
        chosen = selection(paragraphs, where)
        if (found := chosen.tallies.get(id(self))) is not None:
            return found
        bins = len(self.values) + 1
        if self._through is not None:
            documents, of_document = self._through
            tally = np.bincount(of_document, weights=documents.tally(chosen),
                                minlength=bins)[1:].astype(np.int64)
        elif chosen.dense():
            tally = self._everywhere() - np.bincount(self.first[chosen.outside()],
                                                     minlength=bins)[1:]
        else:
            tally = np.bincount(self.first[chosen.inside()], minlength=bins)[1:]
        if len(self._extra_docs):
            tally += np.bincount(self._extra_ids[chosen.mask[self._extra_docs]],
                                 minlength=len(self.values))
        chosen.tallies[id(self)] = tally
        return tally

    def _everywhere(self) -> np.ndarray:
        """The first-value counts over every paragraph."""
        if self._first_everywhere is None:
            self._first_everywhere = np.bincount(self.first,
                                                 minlength=len(self.values) + 1)[1:]
        return self._first_everywhere

    def counts(self, paragraphs: np.ndarray | Selection, limit: int | None = None,
               keep: Iterable[str] = (), where: np.ndarray | None = None
               ) -> tuple[dict[str, int], int]:
        """The most frequent values among the paragraphs (a mask or a Selection; at most
        limit, plus those in keep), most frequent first; and how many distinct values the
        paragraphs have."""
        if not self.values:
            return {}, 0
        tally = self.tally(paragraphs, where)
        found = np.flatnonzero(tally)
        if limit is not None and len(found) > limit:  # the top limit, ties at the cut by value
            counted = tally[found]
            cut = counted[np.argpartition(-counted, limit - 1)[limit - 1]]
            above = found[counted > cut]
            top = np.concatenate([above, found[counted == cut][:limit - len(above)]])
        else:
            top = found
        top = top[np.lexsort((top, -tally[top]))]
        counts = {self.values[i]: int(tally[i]) for i in top}
        for value in keep:
            if value not in counts and (index := self._index_of(value)) is not None:
                counts[value] = int(tally[index])
        return counts, len(found)

    def _index_of(self, value: str) -> int | None:
        return self.positions().get(value)

    def positions(self) -> dict[str, int]:
        """Value -> value id."""
        if self._positions is None:
            self._positions = {value: i for i, value in enumerate(self.values)}
        return self._positions

    def extended(self, head: int, parts: list[tuple[SegmentColumn, int]], size: int) -> Column:
        """The column of this one's first `head` paragraphs followed by segment columns
        (each with its first paragraph's number): what a commit that adds segments needs,
        in proportion to the new segments (plus one copy of the per-paragraph array)."""
        known = self.positions()
        new = sorted({value for part, _ in parts for value in part.values
                      if value not in known})
        values, positions = self.values, known
        first, extra_docs, extra_ids = self.first[:head], self._extra_docs, self._extra_ids
        kept = extra_docs < head
        extra_docs, extra_ids = extra_docs[kept], extra_ids[kept]
        if new:  # relabel: value ids are positions in the sorted values
            values = sorted([*self.values, *new])
            positions = {value: i for i, value in enumerate(values)}
            relabel = np.array([positions[value] for value in self.values], dtype=np.int64)
            first = np.concatenate([[0], relabel + 1])[first]
            extra_ids = relabel[extra_ids]
        docs = [part.docs + (offset - head) for part, offset in parts if part.values]
        ids = [np.array([positions[v] for v in part.values], dtype=np.int64)[part.ids]
               for part, _ in parts if part.values]
        tail = size - head
        if docs:
            tail_first, tail_docs, tail_ids = _first_values(values, np.concatenate(docs),
                                                            np.concatenate(ids), tail)
        else:
            tail_first, tail_docs, tail_ids = np.zeros(tail, dtype=first.dtype), (), ()
        column = Column.__new__(Column)
        column._hold(
            values, size, np.concatenate([first, tail_first]).astype(_first_dtype(values)),
            np.concatenate([extra_docs, np.asarray(tail_docs, np.int64) + head]
                           ).astype(extra_docs.dtype),
            np.concatenate([extra_ids, np.asarray(tail_ids, np.int64)]
                           ).astype(self._extra_ids.dtype),
            positions)
        return column


def _first_dtype(values: list[str]):
    return np.int32 if len(values) < 2**31 - 1 else np.int64


def _first_values(values: list[str], docs: np.ndarray, value_ids: np.ndarray, size: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column's arrays from (paragraph, value id) pairs: per paragraph 1 + its first
    value's id (0: none), and the pairs beyond each paragraph's first value."""
    first = np.zeros(size, dtype=_first_dtype(values))
    first[docs[::-1]] = value_ids[::-1] + 1
    extra = value_ids + 1 != first[docs]
    return first, docs[extra], value_ids[extra]


class Signatures(NamedTuple):
    """Per word of a sorted word list: its length, and a bit set per letter it has (bit
    code point % 64), for a quick necessary test of "within k edits": one edit changes a
    word's length by at most one and its set of letters by at most two."""

    lengths: np.ndarray
    letters: np.ndarray


SIGNATURE_WIDTH = 24  # letters of a word its signature covers; longer words always pass


def signatures(words: list[str]) -> Signatures:
    """The Signatures of words (a few numpy passes, no Python loop over letters)."""
    lengths = np.fromiter(map(len, words), dtype=np.int32, count=len(words))
    if not words:
        return Signatures(lengths, np.zeros(0, dtype=np.uint64))
    joined = "".join(word[:SIGNATURE_WIDTH].ljust(SIGNATURE_WIDTH, "\0") for word in words)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    codes = codes.reshape(len(words), SIGNATURE_WIDTH)
    bits = np.where(codes > 0, np.left_shift(np.uint64(1), (codes % 64).astype(np.uint64)),
                    np.uint64(0))
    return Signatures(lengths, np.bitwise_or.reduce(bits, axis=1))


def near_words(found: Signatures, start: int, end: int, text: str, edits: int) -> np.ndarray:
    """Positions in [start, end) of the words that may be within `edits` edits of text."""
    lengths = found.lengths[start:end]
    near = np.abs(lengths - len(text)) <= edits
    if len(text) <= SIGNATURE_WIDTH:
        letters = signatures([text]).letters[0]
        differ = np.bitwise_count(found.letters[start:end] ^ letters)
        near &= (differ <= 2 * edits) | (lengths > SIGNATURE_WIDTH)
    return np.flatnonzero(near) + start


class Generation:
    """What every reader over the same segments shares (posting arrays, phrase and range
    results, facet, numeric and length columns), so that a reader per request thread costs
    no more memory or warm-up than one reader shared by all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.postings: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self.cached_bytes = 0
        self.walks: OrderedDict[str, np.ndarray] = OrderedDict()
        self.columns: dict[str, Column] = {}
        self.numbers: dict[str, np.ndarray] = {}
        self.lengths: dict[str, np.ndarray] = {}
        self.vocabularies: dict[str, list[str]] = {}
        self.signatures: dict[str, Signatures] = {}
        self.grown: dict[str, tuple[list[str], list[int], list[str]]] = {}  # see vocabulary()
        self.segments: set = set()  # ids of the segments it reads
        self.layout: tuple[tuple, ...] = ()  # (segment id, paragraphs) per segment, in order
        self.base: weakref.ref[Generation] | None = None  # see Generation.inherited()

    def inherited(self, kind: str, name: str):
        """(what the base Generation built under kind[name], how many leading segments and
        paragraphs it covers), or None. The base is a live Generation over exactly this
        one's leading segments (the previous commit, when a commit only added segments):
        its whole-index arrays are extended by the new segments instead of rebuilt."""
        base = self.base() if self.base is not None else None
        if base is None:
            return None
        with base.lock:
            found = getattr(base, kind).get(name)
        if found is None:
            return None
        return found, len(base.layout), sum(size for _segment, size in base.layout)


# A Generation lives as long as a MatchIndex (so a searcher) holds it, no longer: once no
# request holds an old searcher, its state is freed, however many commits come.
_GENERATIONS: weakref.WeakValueDictionary[tuple, Generation] = weakref.WeakValueDictionary()
_GENERATIONS_LOCK = threading.Lock()


def generation(reader) -> Generation:
    """The shared state of readers over exactly these segments (and deletions)."""
    key = tuple(_segment_key(leaf) for leaf, _offset in reader.leaf_readers())
    with _GENERATIONS_LOCK:
        found = _GENERATIONS.get(key)
        if found is None:
            found = Generation()
            found.segments = {part[0] for part in key}
            found.layout = tuple(part[:2] for part in key)
            found.base = _base_of(found.layout)
            _GENERATIONS[key] = found
            weakref.finalize(found, _freed_one)
            used = _used_segments()
        else:
            return found
    SEGMENT_CACHE.keep_only(used)
    return found


_FREED = {"since_asked": False}  # set by the garbage collector: no locks


def _freed_one() -> None:
    SEGMENT_CACHE.prune_later()
    _FREED["since_asked"] = True


def generations_freed() -> bool:
    """Whether an engine state was freed since the last call (then its memory can be given
    back to the system: search.serving.trim_heap)."""
    freed, _FREED["since_asked"] = _FREED["since_asked"], False
    return freed


def _base_of(layout: tuple) -> weakref.ref[Generation] | None:
    """A live Generation over the longest leading run of layout (under _GENERATIONS_LOCK)."""
    bases = [g for g in list(_GENERATIONS.values())
             if 0 < len(g.layout) <= len(layout) and layout[:len(g.layout)] == g.layout
             and g.layout[0][0] != "reader"]
    return weakref.ref(max(bases, key=lambda g: len(g.layout))) if bases else None


def _used_segments() -> set:
    """The ids of the segments some live Generation reads (under _GENERATIONS_LOCK)."""
    return set().union(*(g.segments for g in list(_GENERATIONS.values())))


def release_state(searcher) -> None:
    """Detach a searcher's engine state, so that it is freed with the searcher at once."""
    searcher.__dict__.pop("_docsearch_matches", None)


CARRY_S = 1.0  # at most this long warming a new commit with the old one's postings


def carry_postings(old_searcher, new_searcher, seconds: float = CARRY_S) -> int:
    """Read into new_searcher's engine state the postings of the terms used on old_searcher,
    most recent first, for at most `seconds` (unchanged segments' arrays come from
    SEGMENT_CACHE: only new or merged segments are read); how many terms were carried."""
    old = getattr(old_searcher, "_docsearch_matches", None)
    if old is None:
        return 0
    with old.shared.lock:
        keys = list(old.shared.postings)[::-1]
    new = match_index(new_searcher)
    deadline = Deadline(seconds)
    for count, (fieldname, btext) in enumerate(keys):
        if deadline.expired():
            return count
        new.postings(fieldname, btext)
    return len(keys)


def forget_segments_except(segment_ids: set) -> None:
    """Drop the cached arrays of segments neither in segment_ids nor read by a live
    Generation (a writer process calls this after a commit that merged segments away)."""
    with _GENERATIONS_LOCK:
        used = _used_segments()
    SEGMENT_CACHE.keep_only(used | set(segment_ids))


def live_generations() -> int:
    """How many Generations (engine states) are alive: held by some searcher."""
    with _GENERATIONS_LOCK:
        return len(_GENERATIONS)


class SegmentCache:
    """Arrays derived from one segment (a term's postings, a numeric or length column),
    kept across readers and commits within a memory budget: a segment never changes once
    written, so after a commit only the new segments are read. Entries of segments that no
    live Generation uses (merged away) are dropped when a Generation is made."""

    def __init__(self, budget: int):
        self.budget = budget
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0
        self.pending = False  # a Generation died: drop its segments at the next use

    def prune_later(self) -> None:
        """Note that a Generation was freed (called from the garbage collector: no locks)."""
        self.pending = True

    def _prune(self) -> None:
        if self.pending:
            self.pending = False
            with _GENERATIONS_LOCK:
                used = _used_segments()
            self.keep_only(used)

    def get(self, key: tuple, make) -> tuple[np.ndarray, ...]:
        """The arrays under key (key[0]: the segment id), made by make() on a miss."""
        self._prune()
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        found = make()
        with self.lock:
            if key not in self.entries:
                self.entries[key] = found
                self.nbytes += sum(array.nbytes for array in found if array is not None)
            while self.nbytes > self.budget and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.nbytes -= sum(array.nbytes for array in dropped if array is not None)
        return found

    def keep_only(self, segment_ids: set) -> None:
        """Drop the entries of segments not in segment_ids."""
        with self.lock:
            for key in [key for key in self.entries if key[0] not in segment_ids]:
                self.nbytes -= sum(array.nbytes for array in self.entries.pop(key))
        _forget_segment_lists(segment_ids)

    def segments(self) -> set:
        """The ids of the segments with cached arrays."""
        self._prune()
        with self.lock:
            return {key[0] for key in self.entries}


SEGMENT_CACHE = SegmentCache(SEGMENT_CACHE_BYTES)


def _segment_key(leaf) -> tuple:
    segment = getattr(leaf, "segment", None)
    if segment is None:  # not a segment reader: nothing to share it with
        return ("reader", id(leaf))
    return (segment().segment_id(), leaf.doc_count_all(), leaf.doc_count())


class MatchIndex:
    """Per-reader query evaluation: masks, BM25F scores, facet columns, numeric columns.

    One MatchIndex (like its reader) serves one thread at a time; what it builds is kept in
    the Generation it shares with other readers over the same segments.
    """

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.live = self._live_mask()
        self.shared = generation(self.reader)

    def _live_mask(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.reader.leaf_readers():
            if leaf.has_deletions():
                deleted = np.fromiter(leaf._perdoc.deleted_docs(), dtype=np.int64)
                live[deleted + offset] = False
        return live

    # Matching

    def mask(self, q: wq.Query, deadline: Deadline = NO_DEADLINE) -> np.ndarray:
        """The live paragraphs matching q (a fresh array the caller may modify)."""
        found = self._mask(q, deadline)  # always a new array
        found &= self.live
        return found

    def _mask(self, q: wq.Query, deadline: Deadline) -> np.ndarray:
        if isinstance(q, wq.Every):
            return self.live.copy()
        if q is wq.NullQuery:
            return self._none()
        if isinstance(q, wq.Term):
            return self._postings_mask(self.postings(q.fieldname, q.text))
        if isinstance(q, wq.ConstantScoreQuery):
            return self._mask(q.child, deadline)
        if isinstance(q, wq.And | wq.Require):
            return _reduce(np.logical_and, (self._mask(child, deadline)
                                            for child in q.children()))
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            children = list(q.children())
            if not children:
                return self._none()
            if all(isinstance(child, wq.Term) for child in children):  # an expanded wildcard
                return self._terms_union(children, deadline)
            return _reduce(np.logical_or, (self._mask(child, deadline) for child in children))
        if isinstance(q, wq.Not):
            return ~self._mask(q.query, deadline)
        if isinstance(q, wq.AndNot):
            return self._mask(q.a, deadline) & ~self._mask(q.b, deadline)
        if isinstance(q, wq.AndMaybe):
            return self._mask(q.a, deadline)
        if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.RangeMixin):
            result = self._none()
            for btext in checked(q._btexts(self.reader), deadline):
                self.postings(q.fieldname, btext).mark(result)
            return result
        return self._walked(q, deadline)

    def _terms_union(self, terms: list[wq.Term], deadline: Deadline) -> np.ndarray:
        result = self._none()
        for count, term in enumerate(terms):
            if count % 64 == 0:
                deadline.check()
            self.postings(term.fieldname, term.text).mark(result)
        return result

    def _none(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def _postings_mask(self, postings: Postings) -> np.ndarray:
        result = self._none()
        postings.mark(result)
        return result

    def _walked(self, q: wq.Query, deadline: Deadline) -> np.ndarray:
        """Anything else (phrases, ranges): Whoosh checks each candidate; results are cached."""
        key = repr(q)
        shared = self.shared
        with shared.lock:
            found = shared.walks.get(key)
            if found is not None:
                shared.walks.move_to_end(key)
                return _ids_mask(self.size, found)
        ids = self._walked_ids(q, key, deadline)
        with shared.lock:
            shared.walks[key] = ids
            if len(shared.walks) > WALK_CACHE_SIZE:
                shared.walks.popitem(last=False)
        return _ids_mask(self.size, ids)

    def _walked_ids(self, q: wq.Query, key: str, deadline: Deadline) -> np.ndarray:
        """The paragraphs q's matcher finds, walked segment by segment: a segment's answer is
        kept in SEGMENT_CACHE, so after a commit only the new (or changed) segments are walked."""
        candidates = self._terms_mask(q, deadline)
        if candidates is not None and not candidates.any():
            return np.zeros(0, dtype=np.int64)
        walked = _phrase_walk(q, deadline) if isinstance(q, wq.Phrase) else q
        parts = []
        for searcher, offset in self.searcher.subsearchers or [(self.searcher, 0)]:
            leaf = searcher.reader()
            end = offset + leaf.doc_count_all()
            if candidates is not None and not candidates[offset:end].any():
                continue

            def walk(searcher=searcher) -> tuple[np.ndarray]:
                return (np.fromiter(checked(walked.docs(searcher), deadline), dtype=np.int64),)

            # doc_count in the key: a deletion in the segment changes what its matcher skips
            (found,) = _cached(leaf, ("walk", key, leaf.doc_count()), walk)
            parts.append(found + offset)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _terms_mask(self, q: wq.Query, deadline: Deadline) -> np.ndarray | None:
        """For a phrase, the paragraphs having all its words (None for other queries)."""
        if not isinstance(q, wq.Phrase):
            return None
        return _reduce(np.logical_and, (self._mask(wq.Term(q.fieldname, word), deadline)
                                        for word in q.words))

    def term_mask(self, fieldname: str, text) -> np.ndarray:
        """Paragraphs containing one term."""
        return self._postings_mask(self.postings(fieldname, text))

    # Ranking

    def scores(self, q: wq.Query, deadline: Deadline = NO_DEADLINE) -> np.ndarray:
        """BM25F score per paragraph, summed over q's positive terms, as Whoosh computes it."""
        scores = np.zeros(self.size, dtype=np.float32)
        for number, (postings, boost) in enumerate(self._ranked_terms(q, deadline)):
            for offset, ids, score in zip(postings.offsets, postings.local_ids,
                                          _boosted(postings.scores, boost), strict=True):
                if number == 0:  # 0 + x == x: the first term's scores are set, not added
                    scores[offset:][ids] = score
                else:
                    scores[offset:][ids] += score
        return scores

    def scores_at(self, q: wq.Query, docnums: np.ndarray, deadline: Deadline = NO_DEADLINE
                  ) -> np.ndarray:
        """scores(q)[docnums] (docnums ascending), the same numbers; for a few paragraphs
        found in each term's postings instead of summed over all of them (a term with many
        more postings than there are paragraphs is scattered and read back instead).

        Each paragraph's score adds the same terms in the same order as scores(), and
        adding 0.0 changes no sum, so the float32 results are identical."""
        if len(docnums) * SPARSE_SCORING >= self.size:
            return self.scores(q, deadline)[docnums]
        scores = np.zeros(len(docnums), dtype=np.float32)
        scratch: np.ndarray | None = None
        for postings, boost in self._ranked_terms(q, deadline):
            parts = list(zip(postings.offsets, postings.local_ids,
                             _boosted(postings.scores, boost), strict=True))
            if len(docnums) * LOOKUP_COST < sum(len(ids) for _, ids, _ in parts):
                if scratch is None:
                    scratch = np.zeros(self.size, dtype=np.float32)
                for offset, ids, score in parts:
                    scratch[offset:][ids] = score
                scores += scratch[docnums]
                for offset, ids, _score in parts:
                    scratch[offset:][ids] = 0
                continue
            for offset, ids, score in parts:
                low, high = np.searchsorted(docnums, (offset, offset + int(ids[-1]) + 1))
                local = docnums[low:high] - offset
                at = np.minimum(np.searchsorted(ids, local), len(ids) - 1)
                found = ids[at] == local
                scores[low:high][found] += score[at[found]]
        return scores

    def _ranked_terms(self, q: wq.Query, deadline: Deadline):
        """(postings with scores, boost) per positive term of q, in q's order."""
        for fieldname, btext, boost in checked(_scoring_terms(q, self.reader), deadline):
            postings = self.ranked_postings(fieldname, btext)
            if postings.offsets:
                yield postings, boost

    def ranked_postings(self, fieldname: str, btext: bytes) -> Postings:
        """A term's postings with their BM25F scores (computed once per Generation: the
        statistics they use are the same for every reader over the same segments)."""
        postings = self.postings(fieldname, btext)
        if postings.scores is not None or not postings.offsets:
            return postings
        idf = self.searcher.idf(fieldname, btext)
        avg = self.searcher.avg_field_length(fieldname) or 1
        lengths = self.lengths(fieldname)
        scores = []
        for offset, ids, tf in zip(postings.offsets, postings.local_ids, postings.weights,
                                   strict=True):
            length = lengths[offset:][ids]
            scores.append(idf * (tf * (BM25_K1 + 1)) / (
                tf + BM25_K1 * ((1 - BM25_B) + BM25_B * length / avg)))
        ranked = postings._replace(scores=tuple(scores))
        shared = self.shared
        with shared.lock:
            if shared.postings.get((fieldname, btext)) is postings:
                shared.postings[(fieldname, btext)] = ranked
                shared.cached_bytes += sum(score.nbytes for score in scores)
        return ranked

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each paragraph's length in words in a field (as Whoosh stores it, approximately)."""
        shared = self.shared
        with shared.lock:
            found = shared.lengths.get(fieldname)
        if found is None:
            found = self._assembled("lengths", fieldname, lambda leaf: _LENGTH_OF_BYTE[
                self._leaf_array(leaf, f"_{fieldname}_len", LENGTHS_COLUMN)], np.float32)
            with shared.lock:
                shared.lengths[fieldname] = found
        return found

    # Postings

    def postings(self, fieldname: str, text) -> Postings:
        """A term's postings (deleted paragraphs included; masks remove them)."""
        if fieldname not in self.reader.schema:
            return _NO_POSTINGS
        btext = text if isinstance(text, bytes) else _term_bytes(self.reader.schema, fieldname,
                                                                   text)
        key = (fieldname, btext)
        shared = self.shared
        with shared.lock:
            found = shared.postings.get(key)
            if found is not None:
                shared.postings.move_to_end(key)
                return found
        found = _read_postings(self.reader, fieldname, btext)
        with shared.lock:
            if key not in shared.postings:
                shared.postings[key] = found
                shared.cached_bytes += _nbytes(found)
            while shared.cached_bytes > CACHE_BYTES and len(shared.postings) > 1:
                _, dropped = shared.postings.popitem(last=False)
                shared.cached_bytes -= _nbytes(dropped)
        return found

    # Columns

    def column(self, fieldname: str, through: str | None = None) -> Column:
        """The facet column of a keyword field, built on first use; through, if given,
        names a column it may be counted through (see Column.count_through)."""
        shared = self.shared
        with shared.lock:
            column = shared.columns.get(fieldname)
        if column is None:
            column = self._build_column(fieldname)
            with shared.lock:
                shared.columns[fieldname] = column
        if through is not None and not column.through_tried:
            column.count_through(self.column(through))
        return column

    def _build_column(self, fieldname: str) -> Column:
        if (extending := self._extending("columns", fieldname)) is not None:
            column, paragraphs, leaves = extending
            if not leaves:
                return column
            return column.extended(paragraphs, [(segment_column(leaf, fieldname), offset)
                                                for leaf, offset in leaves], self.size)
        parts = [(segment_column(leaf, fieldname), offset)
                 for leaf, offset in self.reader.leaf_readers()]
        values = sorted(set().union(*(part.values for part, _offset in parts)))
        if not values:
            return Column([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), self.size)
        position = {value: i for i, value in enumerate(values)}
        docs, ids = [], []
        for part, offset in parts:
            if part.values:
                docs.append(part.docs + offset)
                ids.append(np.array([position[v] for v in part.values], dtype=np.int32)[part.ids])
        return Column(values, np.concatenate(docs), np.concatenate(ids), self.size)

    def numbers(self, fieldname: str) -> np.ndarray:
        """A sortable numeric field's raw column values per paragraph, as uint64 (cached)."""
        shared = self.shared
        with shared.lock:
            found = shared.numbers.get(fieldname)
        if found is None:
            column = self.reader.schema[fieldname].column_type
            found = self._assembled("numbers", fieldname, lambda leaf: self._leaf_array(
                leaf, fieldname, column).astype(np.uint64), np.uint64)
            with shared.lock:
                shared.numbers[fieldname] = found
        return found

    def _extending(self, kind: str, name: str):
        """(the base Generation's kind[name], how many paragraphs it covers, the (leaf,
        offset) of the segments after them), or None (Generation.inherited)."""
        inherited = self.shared.inherited(kind, name)
        if inherited is None:
            return None
        found, covered, paragraphs = inherited
        return found, paragraphs, list(self.reader.leaf_readers())[covered:]

    def _leaf_array(self, leaf, fieldname: str, column) -> np.ndarray:
        return _cached(leaf, ("column", fieldname),
                       lambda: (_leaf_column_array(leaf, fieldname, column),))[0]

    def _assembled(self, kind: str, name: str, part_of, dtype) -> np.ndarray:
        """part_of(segment) over every segment, end to end; the leading segments' part taken
        from the base Generation's array when it has one (Generation.inherited)."""
        parts, leaves = [], list(self.reader.leaf_readers())
        if (extending := self._extending(kind, name)) is not None:
            array, paragraphs, leaves = extending
            if not leaves:
                return array
            parts = [array[:paragraphs]]
        parts += [part_of(leaf) for leaf, _offset in leaves]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    # Words

    def vocabulary(self, fieldname: str) -> list[str]:
        """Every indexed word of a text or keyword field, sorted (as Whoosh orders them).

        Wildcards, fuzzy words and ranges are expanded over this list: walking Whoosh's
        lexicon costs about 10 microseconds a word over several segments. Each segment's
        list is kept across readers, like its facet columns.
        """
        shared = self.shared
        with shared.lock:
            found = shared.vocabularies.get(fieldname)
        if found is None:
            found = self._grown_vocabulary(fieldname)
        if found is None:
            parts = [segment_vocabulary(leaf, fieldname) for leaf, _ in self.reader.leaf_readers()]
            found = parts[0] if len(parts) == 1 else sorted(set().union(*parts))
        with shared.lock:
            return shared.vocabularies.setdefault(fieldname, found)

    def _grown_vocabulary(self, fieldname: str) -> list[str] | None:
        """The base Generation's word list with the new segments' words put in place (None
        without a base); what was put where is noted for signatures()."""
        extending = self._extending("vocabularies", fieldname)
        if extending is None:
            return None
        words, _paragraphs, leaves = extending
        new = sorted({word for leaf, _ in leaves for word in segment_vocabulary(leaf, fieldname)
                      if not _has(words, word)})
        if not new:
            return words
        at = [bisect.bisect_left(words, word) for word in new]
        grown = sorted([*words, *new])  # two sorted runs: merged in one pass
        with self.shared.lock:
            self.shared.grown[fieldname] = (words, at, new)
        return grown

    def signatures(self, fieldname: str) -> Signatures:
        """The Signatures of vocabulary(fieldname), for fuzzy words."""
        shared = self.shared
        with shared.lock:
            found = shared.signatures.get(fieldname)
        if found is None:
            words = self.vocabulary(fieldname)
            found = self._grown_signatures(fieldname, words)
            if found is None:
                found = signatures(words)
            with shared.lock:
                shared.signatures[fieldname] = found
        return found

    def _grown_signatures(self, fieldname: str, words: list[str]) -> Signatures | None:
        """The base Generation's signatures with the new words' put in place, when this
        word list is the base's (grown or not); else None."""
        inherited = self.shared.inherited("signatures", fieldname)
        if inherited is None:
            return None
        base_signatures = inherited[0]
        with self.shared.lock:
            grown = self.shared.grown.get(fieldname)
        base_words = self.shared.inherited("vocabularies", fieldname)
        if base_words is None:
            return None
        if grown is None:
            return base_signatures if words is base_words[0] else None
        was, at, new = grown
        if was is not base_words[0] or len(words) != len(was) + len(new):
            return None
        added = signatures(new)
        return Signatures(np.insert(base_signatures.lengths, at, added.lengths),
                          np.insert(base_signatures.letters, at, added.letters))


def _term_bytes(schema, fieldname: str, text) -> bytes:
    """A term's indexed bytes; QueryError for a value the field cannot hold (date:"")."""
    try:
        return schema[fieldname].to_bytes(text)
    except Exception as exc:  # Whoosh raises a bare Exception for an unparseable date
        raise QueryError(f"'{text}' is not a value {fieldname}: can hold") from exc


def _has(words: list[str], word: str) -> bool:
    """Whether a sorted word list holds word."""
    at = bisect.bisect_left(words, word)
    return at < len(words) and words[at] == word


def _phrase_walk(q: wq.Phrase, deadline: Deadline) -> wq.Query:
    """The query Whoosh runs for a phrase, its words' matchers checking the deadline as
    they move: Whoosh looks at every paragraph having all the words inside one step."""
    words = [_DeadlineTerm(q.fieldname, word, deadline) for word in q.words]
    return wq.SpanNear2(words, slop=q.slop, ordered=True, mindist=1)


class _DeadlineTerm(wq.Term):
    def __init__(self, fieldname: str, text, deadline: Deadline):
        super().__init__(fieldname, text)
        self.deadline = deadline

    def matcher(self, searcher, context=None):
        found = super().matcher(searcher, context)
        return _DeadlineMatcher(found, self.deadline) if found.is_active() else found


class _DeadlineMatcher(WrappingMatcher):
    """A matcher that checks a deadline every CHECK_EVERY moves (the first one included)."""

    def __init__(self, child, deadline: Deadline, boost: float = 1.0):
        super().__init__(child, boost)
        self.deadline = deadline
        self.moves = 0

    def copy(self):
        return _DeadlineMatcher(self.child.copy(), self.deadline, self.boost)

    def _replacement(self, newchild):
        return _DeadlineMatcher(newchild, self.deadline, self.boost)

    def _moved(self) -> None:
        if self.moves % CHECK_EVERY == 0:
            self.deadline.check()
        self.moves += 1

    def next(self):
        self._moved()
        return self.child.next()

    def skip_to(self, id):
        self._moved()
        return self.child.skip_to(id)


def _nbytes(postings: Postings) -> int:
    parts = (postings.local_ids, postings.weights, postings.scores or ())
    return sum(array.nbytes for part in parts for array in part)


def _boosted(scores: tuple[np.ndarray, ...], boost: float) -> tuple[np.ndarray, ...]:
    # x * 1.0 == x exactly: skipping the product changes no score.
    return scores if boost == 1.0 else tuple(boost * score for score in scores)


_NO_POSTINGS = Postings((), (), ())
_NO_LEAF_POSTINGS = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


def _ids_mask(size: int, ids: np.ndarray) -> np.ndarray:
    result = np.zeros(size, dtype=bool)
    result[ids] = True
    return result


def _reduce(op, masks) -> np.ndarray:
    masks = iter(masks)
    result = next(masks)
    for mask in masks:
        op(result, mask, out=result)
    return result


def _scoring_terms(q: wq.Query, reader):
    """(field, term bytes, boost) of every term that adds to a paragraph's score."""
    if isinstance(q, wq.Not | wq.ConstantScoreQuery):  # ranges are filters: unscored
        return
    if isinstance(q, wq.AndNot):
        yield from _scoring_terms(q.a, reader)
        return
    if isinstance(q, wq.Term):
        field = reader.schema[q.fieldname] if q.fieldname in reader.schema else None
        if field is not None and field.scorable:
            btext = q.text if isinstance(q.text, bytes) else field.to_bytes(q.text)
            yield q.fieldname, btext, q.boost
        return
    if isinstance(q, wq.Phrase):
        for word in q.words:
            yield from _scoring_terms(wq.Term(q.fieldname, word, boost=q.boost), reader)
        return
    if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.RangeMixin):
        if q.fieldname in reader.schema and reader.schema[q.fieldname].scorable:
            for btext in q._btexts(reader):
                yield q.fieldname, btext, q.boost
        return
    for child in q.children():
        yield from _scoring_terms(child, reader)


def _segment_id(leaf) -> str | None:
    segment = getattr(leaf, "segment", None)
    return segment().segment_id() if segment is not None else None


def _cached(leaf, key: tuple, make) -> tuple[np.ndarray, ...]:
    """make()'s arrays for this segment, from SEGMENT_CACHE when the leaf is a segment."""
    segment_id = _segment_id(leaf)
    if segment_id is None:
        return make()
    return SEGMENT_CACHE.get((segment_id, *key), make)


def _read_postings(reader, fieldname: str, btext: bytes) -> Postings:
    offsets, ids, weights = [], [], []
    for leaf, offset in reader.leaf_readers():
        leaf_ids, leaf_weights = _cached(leaf, ("postings", fieldname, btext),
                                         lambda leaf=leaf: _leaf_postings(leaf, fieldname, btext))
        if len(leaf_ids):
            offsets.append(offset)
            ids.append(leaf_ids)
            weights.append(leaf_weights)
    if not ids:
        return _NO_POSTINGS
    return Postings(tuple(offsets), tuple(ids), tuple(weights))


def _leaf_postings(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment: its document numbers (int32: a segment holds
    fewer than 2**31) and term frequencies."""
    try:
        matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return _NO_LEAF_POSTINGS
    if not hasattr(matcher, "_read_data"):  # not Whoosh 2.7's W3 codec: walk it
        pairs = [(docnum, weight) for docnum, weight in matcher.items_as("weight")]
        return (np.array([p[0] for p in pairs], dtype=np.int32),
                np.array([p[1] for p in pairs], dtype=np.float32))
    ids, weights = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        # A block stores its ids as deltas, and its weights as None (all 1), one float or an array.
        ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
        count = len(ids[-1])
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return _NO_LEAF_POSTINGS
    return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


def _leaf_column_array(leaf, fieldname: str, column) -> np.ndarray:
    """A fixed-width numeric column of one segment as an array (defaults where absent)."""
    count = leaf.doc_count_all()
    typecode = getattr(column, "_typecode", None)
    if typecode and leaf._perdoc.has_column(fieldname):
        reader = leaf._perdoc.column_reader(fieldname, column)
        raw = reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen)
        if len(raw) != reader._count * reader._fixedlen:
            raise EOFError(f"the {fieldname!r} column of a segment is cut short")
        values = np.frombuffer(raw, dtype=np.dtype(typecode).newbyteorder(">"))
        if len(values) < count:
            values = np.concatenate([values, np.full(count - len(values), column._default,
                                                     dtype=values.dtype)])
        return values[:count]
    default = getattr(column, "_default", 0)
    return np.full(count, default if default is not None else 0)


class SegmentColumn(NamedTuple):
    """A keyword field in one segment: its sorted values, and (docnum, value id) pairs."""

    values: list[str]
    docs: np.ndarray
    ids: np.ndarray


SEGMENT_COLUMNS_KEPT = 512  # (segment, field) columns kept across readers
_SEGMENT_COLUMNS: OrderedDict[tuple[str, str], SegmentColumn] = OrderedDict()
_SEGMENT_COLUMNS_LOCK = threading.Lock()


def segment_column(leaf, fieldname: str) -> SegmentColumn:
    """A segment's column of a keyword field, cached by segment: a segment never changes
    once written (deletions are applied by the live mask), so after a commit only new
    segments are read and a server stays warm."""
    return _kept_per_segment(_SEGMENT_COLUMNS, leaf, fieldname, "column", _load_column,
                             _save_column, lambda: _read_segment_column(leaf, fieldname))


_SEGMENT_VOCABULARIES: OrderedDict[tuple[str, str], list[str]] = OrderedDict()


def segment_vocabulary(leaf, fieldname: str) -> list[str]:
    """A segment's sorted words of a field, cached by segment (see segment_column)."""
    return _kept_per_segment(_SEGMENT_VOCABULARIES, leaf, fieldname, "words", _load_words,
                             _save_words, lambda: _read_vocabulary(leaf, fieldname))


def _kept_per_segment(cache: OrderedDict, leaf, fieldname: str, kind: str, load, save,
                      make):
    """cache's entry for (leaf's segment, fieldname), else the derived file beside the
    segment, else make(); kept, least recently used first out, up to SEGMENT_COLUMNS_KEPT."""
    segment_id = _segment_id(leaf)
    key = (segment_id, fieldname) if segment_id is not None else None
    with _SEGMENT_COLUMNS_LOCK:
        found = cache.get(key) if key else None
        if found is not None:
            cache.move_to_end(key)
            return found
    found = _stored(leaf, f"{fieldname}_{kind}", load, save, make)
    if key:
        with _SEGMENT_COLUMNS_LOCK:
            cache[key] = found
            while len(cache) > SEGMENT_COLUMNS_KEPT:
                cache.popitem(last=False)
    return found


def _read_vocabulary(leaf, fieldname: str) -> list[str]:
    if fieldname not in leaf.schema:
        return []
    return [btext.decode("utf-8", "replace") for btext in leaf.lexicon(fieldname)]


# Derived files beside a segment: `<segment id>.ds1_<field>_<kind>...`, named like the
# segment's own files, so Whoosh and search.index.remove_leftovers delete them with it.
# Written once (atomically) by the first process that needs them, then read, or memory-
# mapped, at open: a segment never changes, so they never go stale.
DERIVED_PREFIX = "ds1_"


def _derived_base(leaf, name: str) -> Path | None:
    storage = getattr(leaf, "_storage", None)
    storage = getattr(storage, "b", storage)  # a compound segment: (its file, the folder)
    folder = getattr(storage, "folder", None)
    segment_id = _segment_id(leaf)
    if not folder or not segment_id:
        return None
    return Path(folder) / f"{segment_id}.{DERIVED_PREFIX}{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def has_derived(leaf, name: str) -> bool:
    """Whether the derived file `name` of this segment exists."""
    base = _derived_base(leaf, name)
    return base is not None and base.with_name(base.name + ".json").exists()


def _stored(leaf, name: str, load, save, make):
    """make()'s result for this segment, from the files beside it when they exist (else
    made, and written there for the next process; a read-only index is only slower)."""
    base = _derived_base(leaf, name)
    if base is not None:
        try:
            found = load(base, leaf.doc_count_all())
        except (OSError, ValueError, KeyError, TypeError):
            found = None
        if found is not None:
            return found
    found = make()
    if base is not None:
        try:
            save(base, found)
        except OSError:
            log.debug("could not write %s", base, exc_info=True)
    return found


def _write_atomically(path: Path, write) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _save_column(base: Path, column: SegmentColumn) -> None:
    _write_atomically(base.with_name(base.name + ".docs.npy"),
                      lambda f: np.save(f, np.ascontiguousarray(column.docs, dtype=np.int64)))
    _write_atomically(base.with_name(base.name + ".ids.npy"),
                      lambda f: np.save(f, np.ascontiguousarray(column.ids, dtype=np.int32)))
    _save_words(base, column.values)  # last: its presence says the others are complete


def _load_column(base: Path, size: int) -> SegmentColumn | None:
    values = _load_words(base, size)
    if values is None:
        return None
    docs = np.load(base.with_name(base.name + ".docs.npy"), mmap_mode="r")
    ids = np.load(base.with_name(base.name + ".ids.npy"), mmap_mode="r")
    if len(docs) != len(ids) or (len(docs) and (int(docs.max()) >= size
                                                or int(ids.max()) >= len(values))):
        return None
    return SegmentColumn(values, docs, ids)


def _save_words(base: Path, words: list[str]) -> None:
    data = json.dumps(words, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_atomically(base.with_name(base.name + ".json"), lambda f: f.write(data))


def _load_words(base: Path, _size: int) -> list[str] | None:
    words = json.loads(base.with_name(base.name + ".json").read_bytes())
    return words if isinstance(words, list) else None


def _forget_segment_lists(segment_ids: set) -> None:
    """Drop the facet columns, word lists and stored-field readers of segments not in
    segment_ids."""
    with _SEGMENT_COLUMNS_LOCK:
        for cache in (_SEGMENT_COLUMNS, _SEGMENT_VOCABULARIES, _STORED_POSITIONS):
            for key in [key for key in cache if key[0] not in segment_ids]:
                del cache[key]


def _read_segment_column(leaf, fieldname: str) -> SegmentColumn:
    values: list[str] = []
    docs: list[np.ndarray] = []
    ids: list[np.ndarray] = []
    if fieldname in leaf.schema:
        for btext in leaf.lexicon(fieldname):
            postings = _leaf_postings(leaf, fieldname, btext)[0]
            ids.append(np.full(len(postings), len(values), dtype=np.int32))
            docs.append(postings)
            values.append(btext.decode("utf-8"))
    if not values:
        return SegmentColumn([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
    return SegmentColumn(values, np.concatenate(docs), np.concatenate(ids))


class StoredPositions(NamedTuple):
    """Where each paragraph's stored fields lie in a segment's stored-fields column."""

    offsets: object  # array of int, from the column's start
    lengths: object  # array of int (0: nothing stored)
    decompress: object


_STORED_POSITIONS: OrderedDict[tuple[str, str], StoredPositions] = OrderedDict()


def stored_fields(searcher, docnum: int) -> dict:
    """A paragraph's stored fields, as searcher.stored_fields(docnum) gives them.

    Whoosh's reader of a segment's stored fields loads two arrays over all its paragraphs
    (offsets and lengths: about 6 bytes a paragraph) for every searcher, and the server
    keeps a searcher per concurrent request; here they are loaded once per segment and
    shared, each searcher reading the bytes through its own file.
    """
    reader = searcher.reader()
    leaves = reader.leaf_readers()
    number = bisect.bisect_right([offset for _leaf, offset in leaves], docnum) - 1
    leaf, offset = leaves[number]
    perdoc = getattr(leaf, "_perdoc", None)
    segment_id = _segment_id(leaf)
    if (segment_id is None or not isinstance(perdoc, W3PerDocReader)
            or not perdoc.has_column("_stored")):
        return searcher.stored_fields(docnum)
    if "_stored" not in perdoc._colfiles:
        perdoc._colfiles["_stored"] = perdoc._get_column_file("_stored")
    colfile, base, _length = perdoc._colfiles["_stored"]
    positions = _stored_positions(segment_id, perdoc)
    local = docnum - offset
    length = positions.lengths[local]
    if not length:
        return {}
    found = pickle.loads(positions.decompress(colfile.get(base + positions.offsets[local],
                                                          length)))
    return {name: value for name, value in (found or {}).items() if name in leaf.schema}


def _stored_positions(segment_id: str, perdoc) -> StoredPositions:
    key = (segment_id, "_stored")
    with _SEGMENT_COLUMNS_LOCK:
        found = _STORED_POSITIONS.get(key)
        if found is not None:
            _STORED_POSITIONS.move_to_end(key)
            return found
    column = perdoc.column_reader("_stored", STORED_COLUMN)._child  # reads both arrays
    found = StoredPositions(column._offsets, column._lengths, column._decompress)
    with _SEGMENT_COLUMNS_LOCK:
        _STORED_POSITIONS[key] = found
        while len(_STORED_POSITIONS) > SEGMENT_COLUMNS_KEPT:
            _STORED_POSITIONS.popitem(last=False)
    return found


def match_index(searcher) -> MatchIndex:
    """The MatchIndex of this searcher's reader, built once while the searcher lives."""
    found = getattr(searcher, "_docsearch_matches", None)
    if found is None or found.reader is not searcher.reader():
        found = MatchIndex(searcher)
        searcher._docsearch_matches = found
    return found

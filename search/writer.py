"""A Whoosh segment writer specialised to the docsearch schema.

Whoosh's generic add_document runs every word through a chain of generator filters and
every posting through several method calls; for our schema that is most of the indexing
time. ParagraphWriter writes exactly the same segment (the same terms, positions, weights,
lengths, block statistics, stored fields and columns: tests compare the two through the
reader) with the analysis fused into one loop, postings grouped by term as they arrive,
and each term's postings handed to the codec a block at a time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence

from whoosh.analysis import STOP_WORDS
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import UnknownFieldError
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

# Whoosh's default tokenizer pattern (whoosh.analysis.tokenizers.default_pattern),
# without its capturing group so that findall returns whole words.
WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
MIN_WORD = 2  # StemmingAnalyzer's StopFilter drops words shorter than this

_terms: dict[str, bytes | None] = {}  # word as written -> indexed term (None: dropped)
_TERMS_LIMIT = 1_000_000  # words remembered before the memo starts afresh
_UNSEEN = object()

# Memory of one posting in a TermPool: three list slots and their share of the rest.
POSTING_BYTES = 40
_WEIGHTS = [float(count) for count in range(256)]


def _term_of(word: str) -> bytes | None:
    """The indexed form of a word as the analyzer sees it, or None when it is dropped."""
    word = word.lower()
    if len(word) < MIN_WORD or word in STOP_WORDS:
        return None
    return stem(word).translate(accent_map).encode("utf-8")


def text_terms(text: str) -> tuple[list[bytes], int]:
    """The terms search.index.text_analyzer() yields for text, in order, and the
    position of the first (Whoosh numbers kept words from the first kept word's place)."""
    terms: list[bytes] = []
    first = 0
    memo = _terms
    if len(memo) > _TERMS_LIMIT:
        memo.clear()
    for place, word in enumerate(WORD.findall(text)):
        term = memo.get(word, _UNSEEN)
        if term is _UNSEEN:
            term = memo[word] = _term_of(word)
        if term is not None:
            if not terms:
                first = place
            terms.append(term)
    return terms, first


def _positions_value(positions: list[int], _cache: dict[int, bytes] = {}) -> bytes:  # noqa: B006
    """Whoosh's Positions encoding of a term's positions (cached for single positions)."""
    if len(positions) == 1:
        found = _cache.get(positions[0])
        if found is None:
            found = _cache[positions[0]] = _POSITIONS.encode(positions)
        return found
    return _POSITIONS.encode(positions)


_POSITIONS = Positions()


class TermPool:
    """Postings grouped by field and term as they arrive, in place of Whoosh's PostingPool.

    Whoosh keeps a tuple per posting and sorts them all (spilling sorted runs to disk and
    merging them back when memory runs out); here a posting costs three list slots, and
    only the distinct terms are sorted when the segment is written. Documents arrive in
    docnum order, so each term's postings are already in order.
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.postings = 0
        self.in_order = True  # False once postings from merged segments arrive

    @property
    def fieldnames(self) -> set[str]:
        return set(self.fields)

    def terms_of(self, fieldname: str) -> dict[bytes, tuple[list, list, list]]:
        """The term -> (docnums, weights, values) table of a field, to append postings to."""
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = {}
        return found

    def add(self, item: tuple) -> None:
        """Add one (fieldname, term bytes, docnum, weight, value bytes) posting."""
        fieldname, btext, docnum, weight, vbytes = item
        lists = self.terms_of(fieldname).setdefault(btext, ([], [], []))
        lists[0].append(docnum)
        lists[1].append(weight)
        lists[2].append(vbytes)
        self.postings += 1

    def iter_postings(self) -> Iterator[tuple]:
        """Every posting as (fieldname, term bytes, docnum, weight, value bytes), in order."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                docnums, weights, values = terms[btext]
                rows = zip(docnums, weights, values, strict=True)
                if not self.in_order:
                    rows = sorted(rows, key=lambda row: row[0])
                for docnum, weight, vbytes in rows:
                    yield fieldname, btext, docnum, weight, vbytes

    def memory(self) -> int:
        """Roughly the bytes the pool holds."""
        return self.postings * POSTING_BYTES

    def cleanup(self) -> None:
        self.fields.clear()
        self.postings = 0


class ParagraphWriter(SegmentWriter):
    """SegmentWriter whose add_document is specialised to docsearch's fields.

    Text fields analysed by search.index.text_analyzer() with positions are indexed by
    text_terms(); other fields go through Whoosh's own field.index(). Field boosts and
    `_stored_` overrides are not supported (docsearch records have none). Postings go to
    a TermPool, which never spills to disk: callers start a new segment when full().
    """

    def __init__(self, ix, text_fields: Iterable[str] = (), limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool()
        self._limit = limitmb * 1024 * 1024
        self._text_fields = frozenset(text_fields)
        self._lengths: dict[str, bytearray] = {}  # only of documents given to add_document

    def full(self) -> bool:
        """Whether the pool has reached the writer's memory limit."""
        return self.pool.memory() >= self._limit

    def add_document(self, **fields) -> None:
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
            field = schema[name]
            length = 0
            if name in self._text_fields:
                length = self._add_text(name, value, docnum)
            elif field.indexed:
                for tbytes, freq, weight, vbytes in field.index(value):
                    if field.scorable:
                        length += freq
                    self.pool.add((name, tbytes, docnum, weight, vbytes))
            perdoc.add_field(name, field, value if field.stored else None, length)
            if length:
                self._record_length(name, docnum, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_text(self, name: str, text: str, docnum: int) -> int:
        """Add the postings of a text field, with positions; returns the field's length."""
        terms, first = text_terms(text)
        places: dict[bytes, list[int]] = {}
        for place, term in enumerate(terms, start=first):
            found = places.get(term)
            if found is None:
                places[term] = [place]
            else:
                found.append(place)
        table = self.pool.terms_of(name)
        for term, found in places.items():
            lists = table.get(term)
            if lists is None:
                lists = table[term] = ([], [], [])
            lists[0].append(docnum)
            count = len(found)
            lists[1].append(_WEIGHTS[count] if count < 256 else float(count))
            lists[2].append(_positions_value(found))
        self.pool.postings += len(places)
        return len(terms)

    def _record_length(self, name: str, docnum: int, length: int) -> None:
        lengths = self._lengths.setdefault(name, bytearray())
        offset = docnum - self.docbase
        if len(lengths) <= offset:
            lengths.extend(bytes(offset + 1 - len(lengths)))
        lengths[offset] = length_to_byte(length)

    def add_reader(self, reader) -> None:
        self.pool.in_order = False  # merged documents: their lengths are not in _lengths
        super().add_reader(reader)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """A document's field length as the segment stores it (read while flushing)."""
        lengths = self._lengths.get(fieldname)
        offset = docnum - self.docbase
        if lengths is None or offset >= len(lengths):
            return default
        return byte_to_length(lengths[offset])

    def _flush_segment(self) -> None:
        if not self.pool.in_order or self.docbase or not isinstance(self.codec, W3Codec):
            super()._flush_segment()
            return
        self.perdocwriter.close()
        self._write_postings()
        self.fieldwriter.close()

    def _write_postings(self) -> None:
        """Write the pool term by term, a block of postings at a time.

        Whoosh's add_postings makes several calls per posting and reads each posting's
        field length back from the length files just written; here each term's postings
        are handed to the W3 postings writer in blocks, with the lengths recorded in memory
        (what Whoosh's add_posting would have computed; tests compare the two)."""
        writer = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            lengths = self._lengths.get(fieldname)
            writer.start_field(fieldname, self.schema[fieldname])
            for btext in sorted(terms):
                writer.start_term(btext)
                _add_blocks(writer._postwriter, *terms[btext], lengths)
                writer.finish_term()
            writer.finish_field()


def _add_blocks(postings, docnums: list, weights: list, values: list,
                lengths: bytearray | None) -> None:
    """Fill a W3 postings writer with one term's postings, as repeated add_posting calls
    would: a full block is written before the next posting is added."""
    limit = postings._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postings._write_block()
        ids = docnums[start:start + limit]
        block_weights = weights[start:start + limit]
        postings._ids.extend(ids)
        postings._weights.extend(block_weights)
        postings._values.extend(filter(None, values[start:start + limit]))
        postings._maxweight = max(postings._maxweight, *block_weights)
        if lengths is not None:
            length_bytes = [lengths[docnum] for docnum in ids if docnum < len(lengths)]
            shortest = min(filter(None, length_bytes), default=0)
            if shortest:
                shortest = byte_to_length(shortest)
                if postings._minlength is None or shortest < postings._minlength:
                    postings._minlength = shortest
                postings._maxlength = max(postings._maxlength, byte_to_length(max(length_bytes)))


class SegmentSeries:
    """Records written into new segments of an index, a new segment begun whenever one is
    full. The writers take no lock: the caller holds the index's and commits segments()."""

    def __init__(self, ix, text_fields: Iterable[str], limitmb: int) -> None:
        self._ix = ix
        self._text_fields = tuple(text_fields)
        self._limitmb = limitmb
        self._writer: ParagraphWriter | None = None
        self._segments: list = []

    def add(self, records: Sequence[dict]) -> None:
        """Add one document's records (a document never straddles two segments)."""
        if not records:
            return  # no segment is begun before there is something to write
        if self._writer is None:
            self._writer = ParagraphWriter(self._ix, text_fields=self._text_fields, _lk=False,
                                           limitmb=self._limitmb)
        for record in records:
            self._writer.add_document(**record)
        if self._writer.full():
            self._finish_writer()

    def segments(self) -> list:
        """The finished segments, for the index writer's commit."""
        self._finish_writer()
        return self._segments

    def cancel(self) -> None:
        """Drop the segment being written (its files, and those of finished segments, are
        removed by the index writer's cancel or next commit)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.cancel()
            except Exception:  # closing its files can fail as writing did (a full disk)
                log.debug("cancelling a segment writer failed", exc_info=True)

    def _finish_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is None:
            return
        if writer._added:
            self._segments.append(writer._finalize_segment())
        else:
            writer._close_segment()

"""A phrase query that checks positions only where the filters already hold.

Whoosh's ``And(Phrase, filters)`` walks the phrase's candidates first and compares term positions in
every document that has all the phrase's bigrams — including the documents the type or date filter then
throws away. ``FilteredPhrase`` puts the filter matchers into the same intersection as the bigram
postings (cheap skips) and compares positions only on documents that pass all of them. The result is the
same set as ``And([phrase, *filters])`` (see ``push_filters`` and ``apply_filters``).
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as Q
from whoosh.matching import binary
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher


class FilteredPhrase(Q.Phrase):
    def __init__(self, fieldname, words, filters, slop=1, boost=1.0, char_ranges=None):
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.filters = list(filters)

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "filters", None) == self.filters

    def __hash__(self):
        return super().__hash__() ^ hash(tuple(self.filters))

    def normalize(self):
        q = super().normalize()
        if isinstance(q, Q.Phrase):
            return FilteredPhrase(q.fieldname, q.words, self.filters, q.slop, q.boost, q.char_ranges)
        return Q.And([q, *self.filters]).normalize()  # one word: a term, filtered the ordinary way

    def matcher(self, searcher, context=None):
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field is None:
            return matching.NullMatcher()
        reader = searcher.reader()
        term_ms, sizes = [], {}
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            term_ms.append(Q.Term(self.fieldname, word).matcher(searcher, context))
            sizes[id(term_ms[-1])] = reader.doc_frequency(self.fieldname, btext)
        # boost 0: filters take part in the intersection, not in the score (ConstantScoreQuery would
        # preload every id the filter matches, which is what this class is here to avoid)
        filter_ms = []
        for f in self.filters:
            filter_ms.append(matching.WrappingMatcher(f.matcher(searcher, context), boost=0.0))
            sizes[id(filter_ms[-1])] = f.estimate_size(reader)
        if any(not m.is_active() for m in term_ms + filter_ms):
            return matching.NullMatcher()
        order = sorted(term_ms + filter_ms, key=lambda m: sizes[id(m)])  # the rarest list leads the skips
        m = _Matcher(term_ms, order, self.slop)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _Matcher(SpanWrappingMatcher):
    """SpanNear2's position check over an intersection that also holds the filters."""

    def __init__(self, term_ms, order, slop):
        self.ms = term_ms  # in phrase order, for the position check
        self.order = order  # every list, rarest first, for the intersection
        self.slop = slop
        self.ordered = True
        self.mindist = 1
        isect = order[0]
        for m in order[1:]:  # left-deep: the rarest pair is intersected first, the rest skip to its hits
            isect = binary.IntersectionMatcher(isect, m)
        super().__init__(isect)

    _get_spans = SpanNear2.SpanNear2Matcher._get_spans

    def copy(self):
        copies = {id(m): m.copy() for m in self.order}
        return _Matcher([copies[id(m)] for m in self.ms], [copies[id(m)] for m in self.order], self.slop)

    def _replacement(self, newchild):  # never rebuilt around a replaced child: the spans need ``ms``
        return self

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()


def push_filters(q: Q.Query, filters: list[Q.Query]) -> Q.Query:
    """``q`` with every phrase checked inside the filters; ``And([result, *filters])`` equals
    ``And([q, *filters])`` (each phrase only gains a conjunct the outer And imposes anyway)."""
    if not filters:
        return q
    if type(q) is Q.Phrase:
        return FilteredPhrase(q.fieldname, q.words, filters, q.slop, q.boost, q.char_ranges)
    if isinstance(q, Q.CompoundQuery):
        out = q.__class__([push_filters(s, filters) for s in q.subqueries], boost=q.boost)
        if hasattr(q, "matcher_type"):
            out.matcher_type = q.matcher_type
        return out
    if isinstance(q, Q.Not):
        return Q.Not(push_filters(q.query, filters), boost=q.boost)
    return q


def filtered(q: Q.Query) -> bool:
    """True when every document ``q`` matches already passed the pushed-down filters."""
    if isinstance(q, FilteredPhrase):
        return bool(q.filters)
    if isinstance(q, Q.Or):
        return all(filtered(s) for s in q.subqueries)
    if isinstance(q, Q.And):
        return any(filtered(s) for s in q.subqueries)
    return False


def apply_filters(q: Q.Query, filters: list[Q.Query]) -> Q.Query:
    """``And([q, *filters])``, with the filters inside every phrase, and without the outer And when the
    phrases alone already guarantee them."""
    if not filters:
        return q
    pushed = push_filters(q, filters)
    return pushed if filtered(pushed) else Q.And([pushed, *filters])

"""A phrase query that checks positions only where the filters already hold.

Whoosh's ``And(Phrase, filters)`` walks the phrase's candidates first and compares term positions in
every document that has all the phrase's bigrams — including the documents the type or date filter then
throws away. ``FilteredPhrase`` puts the filter matchers into the same intersection as the bigram
postings (cheap skips) and compares positions only on documents that pass all of them. The result is the
same set as ``And([phrase, *filters])``; the caller keeps that And around it (see ``push_filters``).
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as Q
from whoosh.matching import binary
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher
from whoosh.util import make_binary_tree


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
        term_ms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            term_ms.append(Q.Term(self.fieldname, word).matcher(searcher, context))
        # boost 0: filters take part in the intersection, not in the score (ConstantScoreQuery would
        # preload every id the filter matches, which is what this class is here to avoid)
        filter_ms = [matching.WrappingMatcher(f.matcher(searcher, context), boost=0.0) for f in self.filters]
        if any(not m.is_active() for m in term_ms + filter_ms):
            return matching.NullMatcher()
        m = _Matcher(term_ms, filter_ms, self.slop)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _Matcher(SpanWrappingMatcher):
    """SpanNear2's position check over an intersection that also holds the filters."""

    def __init__(self, term_ms, filter_ms, slop):
        self.ms = term_ms
        self.filter_ms = filter_ms
        self.slop = slop
        self.ordered = True
        self.mindist = 1
        super().__init__(make_binary_tree(binary.IntersectionMatcher, filter_ms + term_ms))

    _get_spans = SpanNear2.SpanNear2Matcher._get_spans

    def copy(self):
        return _Matcher([m.copy() for m in self.ms], [m.copy() for m in self.filter_ms], self.slop)

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

"""Text analysis for the index: every contiguous Chinese substring must be findable.

Chinese runs become overlapping character bigrams with consecutive positions (a query string becomes a
phrase of its bigrams, so any substring of the text is found), each with its first character as a
unigram at the same position, so a one-character query (a surname, 华), or a single character inside a
longer query, is an exact term that misses nothing. Runs continue across spaces and line breaks: OCR
spaces and a phrase that a line wrap split (争议 / 解决) are one run. Latin words are lower-cased,
accent-folded and stemmed.
(jieba's own Whoosh analyzer gives tokens character offsets as positions, so phrase queries over it
never match; it is not used here.)
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from ..textnorm import fold_width

ANALYZER_VERSION = 5
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKENS = re.compile(rf"[{_CJK}]+(?:\s+[{_CJK}]+)*|[^\W_{_CJK}]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")


def cjk_terms(run: str) -> list[tuple[str, int]]:
    """(term, position offset) for a Chinese run: each bigram with the single character that starts it at
    the same position, and the closing character at the last bigram's position:
    "争议解决" → (争议,0) (争,0) (议解,1) (议,1) (解决,2) (解,2) (决,2)."""
    chars = [c for c in run if not c.isspace()]
    if len(chars) == 1:
        return [(chars[0], 0)]
    out = []
    for i in range(len(chars) - 1):
        out += [(chars[i] + chars[i + 1], i), (chars[i], i)]
    return [*out, (chars[-1], len(chars) - 2)]


def query_terms(run: str) -> list[str]:
    """A Chinese query string as the phrase of its bigrams (one character: itself, used as a prefix)."""
    chars = [c for c in run if not c.isspace()]
    if len(chars) == 1:
        return chars
    return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]


class MixedTokenizer(Tokenizer):
    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        text = fold_width(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for m in _TOKENS.finditer(text):
            word = m.group(0)
            if _IS_CJK.match(word):
                terms = [(q, i) for i, q in enumerate(query_terms(word))] if mode == "query" else cjk_terms(word)
            else:
                terms = [(latin(word), 0)]
            for term, offset in terms:
                t.text = term
                t.boost = 1.0
                if keeporiginal:
                    t.original = term
                t.stopped = False
                if positions:
                    t.pos = pos + offset
                if chars:
                    t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
                yield t
            pos += 1 + max(offset for _term, offset in terms)


@lru_cache(maxsize=50_000)
def latin(word: str) -> str:
    """Lower-cased, accents folded, stemmed (Porter): arbitrations → arbitr, Agreements → agreement."""
    return stem(word.lower().translate(accent_map))


def analyzer():
    # Latin folding happens in the tokenizer, for Latin words only: a filter chain would visit every
    # Chinese bigram too, and that was a third of the indexing time.
    return MixedTokenizer()

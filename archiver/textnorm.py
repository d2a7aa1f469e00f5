"""Normalised text for later stages: width folding and the spaces OCR puts between Chinese characters.

The raw text is always kept as read; this module only derives the form that classification, field
extraction and the index work on.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (basic, extension A, compatibility), CJK punctuation, full-width forms, kana, hangul.
_CJK = (
    "\u2e80-\u2fdf"  # radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation (、。〔〕「」…)
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uac00-\ud7af"  # hangul
    "\uf900-\ufaff"  # compatibility ideographs
    "\uff00-\uffef"  # full-width forms (before folding)
    "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026"  # · — ‘ ’ “ ” … as used in Chinese text
)
CJK_CHAR = f"[{_CJK}]"
_JOIN = r"0-9:;,.!?()%\[\]"  # after width folding, Chinese punctuation is ASCII
_GAP = re.compile(
    rf"(?<={CJK_CHAR})[ \t\u3000]+(?=[{_CJK}{_JOIN}])|(?<=[{_CJK}{_JOIN}])[ \t\u3000]+(?={CJK_CHAR})"
    rf"|(?<={CJK_CHAR}[:;,(])[ \t\u3000]+|(?<=[)])[ \t\u3000]+(?=[:;,])"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold_width(text: str) -> str:
    """Full-width ASCII → half-width, ideographic space → space, Kangxi radicals → ideographs (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """Fold widths, drop the spaces between CJK characters (and between CJK and digits), tidy lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = fold_width(text)
    text = _GAP.sub("", _GAP.sub("", text))  # twice: removing one gap can expose the next
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def cjk_ratio(text: str) -> float:
    """Share of Han characters among the non-space characters."""
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if _CJK_RE.match(c)) / len(chars) if chars else 0.0

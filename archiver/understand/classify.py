"""Document type: weigh heading and body evidence from ``config/doctypes.toml`` and say why.

The heading zone (the first short lines of page 1) counts far more than body text, and where phrases of
several types overlap in a heading the longest wins ("补充协议" over "协议", "保函" over "函"). Below
the configured confidence the document gets no type but its top candidates, for review.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DOC_TYPES = (
    "contract",
    "contract_amendment",
    "contract_termination",
    "business_license",
    "authorization",
    "identity_document",
    "guarantee",
    "notarization",
    "acceptance_record",
    "payment_voucher",
    "correspondence",
    "negotiation_record",
    "feasibility_report",
    "other",
)


@dataclass(frozen=True)
class TypeRules:
    title: dict[str, tuple[str, ...]]
    body: dict[str, tuple[str, ...]]
    patterns: dict[str, tuple[re.Pattern, ...]]
    title_patterns: dict[str, tuple[re.Pattern, ...]]
    title_lines: int
    title_max_chars: int
    title_weight: float
    body_weight: float
    email_weight: float
    min_score: float
    min_confidence: float


@dataclass(frozen=True)
class Classification:
    doc_type: str | None  # None: below the confidence threshold, see candidates
    confidence: float
    candidates: tuple[tuple[str, float], ...]  # (type, score), best first
    reason: str
    evidence: dict[str, list[str]] = field(default_factory=dict)


def load_rules(path: Path) -> TypeRules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    s = data["settings"]
    types = data["types"]
    unknown = set(types) - set(DOC_TYPES)
    if unknown:
        raise ValueError(f"{path}: unknown document types {sorted(unknown)}")
    return TypeRules(
        title={t: tuple(_key(p) for p in v.get("title", [])) for t, v in types.items()},
        body={t: tuple(_key(p) for p in v.get("body", [])) for t, v in types.items()},
        patterns={t: tuple(re.compile(p, re.I) for p in v.get("patterns", [])) for t, v in types.items()},
        title_patterns={t: tuple(re.compile(p, re.I) for p in v.get("title_patterns", [])) for t, v in types.items()},
        title_lines=int(s["title_lines"]),
        title_max_chars=int(s["title_max_chars"]),
        title_weight=float(s["title_weight"]),
        body_weight=float(s["body_weight"]),
        email_weight=float(s["email_weight"]),
        min_score=float(s["min_score"]),
        min_confidence=float(s["min_confidence"]),
    )


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


_ENUMERATED = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百\d]+[条章节款]|[一二三四五六七八九十]+[、.]|\d+(?:\.\d+)*[.、)]\s|"
    r"\(\d+\)|\([一二三四五六七八九十]+\))"
)


def heading_lines(first_page: str, rules: TypeRules) -> list[str]:
    """The heading zone: leading short lines that are not ``label: value`` lines."""
    out = []
    for line in first_page.split("\n"):
        line = line.strip()
        if not line:
            continue
        if len(out) >= rules.title_lines:
            break
        if (
            len(line) <= rules.title_max_chars
            and not re.search(r"[:,;。，；]", line)
            and not _ENUMERATED.match(line)
            and not re.fullmatch(r"[\W\d_]+", line)
        ):
            out.append(line)
    return out


def _near_matches(phrase: str, key: str) -> list[tuple[int, int]]:
    """Spans of ``key`` equal to ``phrase`` but for one character (two from six up): OCR misreads titles."""
    n = len(phrase)
    if n < 3:
        return []
    allowed = 1 if n < 6 else 2
    out = []
    for i in range(len(key) - n + 1):
        window = key[i : i + n]
        if window[0] == phrase[0] or window[-1] == phrase[-1]:
            if sum(a != b for a, b in zip(window, phrase, strict=True)) <= allowed:
                out.append((i, i + n))
    return out


def _title_hits(lines: list[str], rules: TypeRules) -> dict[str, list[tuple[float, str]]]:
    """Per type, (weight, phrase) for each heading phrase found.

    Chinese titles are head-final ("关于合同续签事宜的函" is a letter): a phrase ending the line (before a
    trailing "(副本)" or "(一)") counts fully, one inside it much less; earlier lines count more than
    later ones; a near match (one misread character) counts a little less than an exact one.
    """
    hits: dict[str, list[tuple[float, str]]] = {}
    for index, line in enumerate(lines):
        key = _key(re.sub(r"\([^)]{0,8}\)\s*$", "", line))
        spans: list[tuple[int, int, str, str, float]] = []
        for doc_type, phrases in rules.title.items():
            for phrase in phrases:
                exact = [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), key)]
                for start, end in exact:
                    spans.append((start, end, doc_type, phrase, 1.0))
                if not exact:
                    for start, end in _near_matches(phrase, key):
                        spans.append((start, end, doc_type, phrase, 0.8))
        # longest first; a span inside a longer kept one is not evidence of its own
        spans.sort(key=lambda s: (-(s[1] - s[0]), -s[4], s[0]))
        kept: list[tuple[int, int, str, str, float]] = []
        for s in spans:
            if not any(k[0] <= s[0] and s[1] <= k[1] for k in kept):
                kept.append(s)
        position = max(0.3, 1 - 0.2 * index)
        # "解除合同协议书": a phrase running straight into the closing one names the type; the closing
        # word ("协议书") is then only the generic head
        modifiers = {k[2] for k in kept if any(o[0] == k[1] and o[1] >= len(key) - 1 for o in kept)}
        for doc_type, patterns in rules.title_patterns.items():
            for pattern in patterns:
                if pattern.search(key):
                    hits.setdefault(doc_type, []).append((position * 0.6, f"~{pattern.pattern[:16]}"))
        for _start, end, doc_type, phrase, quality in kept:
            closing = end >= len(key) - 1 and not (modifiers - {doc_type})
            head = 1.0 if doc_type in modifiers or closing else 0.35
            hits.setdefault(doc_type, []).append((position * head * quality, phrase))
    return hits


def classify(pages: list[str], rules: TypeRules, mime: str | None = None) -> Classification:
    """Pick the document type whose evidence scores highest, and say why."""
    first = pages[0] if pages else ""
    lines = heading_lines(first, rules)
    title = _title_hits(lines, rules)
    body_text = _key(" ".join(pages[:3]))[:20000]
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for doc_type in rules.title:
        t = sorted(title.get(doc_type, []), reverse=True)
        # the best heading evidence counts; repeats (a bilingual title) add little
        score = (rules.title_weight * t[0][0] + 2 * (len(t) - 1)) if t else 0.0
        found = []
        for phrase in rules.body.get(doc_type, ()):
            n = min(3, body_text.count(phrase))
            if n:
                found.append(phrase)
                score += n * rules.body_weight
        for pattern in rules.patterns.get(doc_type, ()):
            if pattern.search(body_text):
                found.append(f"pattern:{pattern.pattern[:20]}")
                score += 3 * rules.body_weight
        if score:
            scores[doc_type] = score
            evidence[doc_type] = [f"title:{p}" for _, p in t] + [f"body:{p}" for p in found]
    if mime == "message/rfc822" and not title:
        scores["correspondence"] = scores.get("correspondence", 0.0) + rules.email_weight
        evidence.setdefault("correspondence", []).insert(0, "format:e-mail")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < rules.min_score:
        return Classification("other", 0.7, tuple(ranked[:3]), "no type has enough evidence", evidence)
    top_type, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    strength = min(1.0, top / (0.8 * rules.title_weight))  # a heading, or several body phrases, is enough
    confidence = round(strength * (0.5 + 0.5 * (top - second) / top), 3)
    reason = f"{top_type}: " + ", ".join(evidence.get(top_type, [])[:6])
    if confidence < rules.min_confidence:
        return Classification(
            None, confidence, tuple(ranked[:3]), f"uncertain between {', '.join(t for t, _ in ranked[:3])}", evidence
        )
    return Classification(top_type, confidence, tuple(ranked[:3]), reason, evidence)

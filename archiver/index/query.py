"""The search language: free text, "quoted phrases", AND / OR / NOT (or -word), and field filters.

    不可抗力 仲裁                 both, anywhere in a document's pages
    "争议提交上海仲裁委员会"       the exact phrase
    仲裁 OR 诉讼  NOT 解除
    customer:华东精密  type:contract  no:HT-2024-0312  uscc:9131…  date:2024-01-01..2024-12-31
    hold:yes (under a legal hold)  due:yes (past its retention period; from the catalog, always current)

A Chinese string is a phrase of its bigrams (so any substring of the text is found); one character is its
unigram. Free text also matches the customer's name and aliases and the parties, so a search by
customer name lists the customer's documents even when the text never names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from whoosh import query as Q

from ..errors import UsageError
from ..textnorm import fold_width
from .analysis import analyzer
from .whoosh_index import date_number

TEXT_FIELDS = ("content", "customer", "parties")
FIELDS = {"customer", "type", "no", "uscc", "code", "date", "page", "hold", "due"}
YES, NO = {"yes", "y", "true", "1", "是", "有"}, {"no", "n", "false", "0", "否", "无"}
_ITEM = re.compile(r'(-?)(?:(\w+):)?("[^"]*"|\S+)')


@dataclass
class Parsed:
    query: Q.Query
    literals: list[str]  # what to highlight
    customer_refs: list[str]
    due: bool | None = None  # due:yes / due:no — past retention; answered from the catalog, not the index


def yes_no(field: str, value: str) -> bool:
    v = value.strip().lower()
    if v in YES or v in NO:
        return v in YES
    raise UsageError(f"{field}: takes yes or no, not {value!r}", f"{field}: 只能是 yes/是 或 no/否，而不是 {value!r}")


def any_of(queries: list[Q.Query]) -> Q.Query:
    """Or that walks its parts lazily. Whoosh's default for small segments preloads every match of every
    part into an array first — for a phrase that stands in most documents, thousands of position checks
    before the first hit, which defeats stopping at the cap (see whoosh_index.find)."""
    if len(queries) == 1:
        return queries[0]
    q = Q.Or(queries)
    q.matcher_type = Q.Or.DEFAULT_MATCHER
    return q


def _terms(text: str) -> list[str]:
    return [t.text for t in analyzer()(text, mode="query")]


def text_query(text: str, fields=TEXT_FIELDS) -> Q.Query | None:
    terms = _terms(text)
    if not terms:
        return None
    per_field = []
    for f in fields:
        if len(terms) == 1:
            per_field.append(Q.Term(f, terms[0]))
        else:
            per_field.append(Q.Phrase(f, terms))
    return any_of(per_field)


def parse(raw: str, resolve_type) -> Parsed:
    text = fold_width(raw).replace("“", '"').replace("”", '"').replace("「", '"').replace("」", '"').strip()
    if not text:
        raise UsageError("empty query", "查询为空")
    if text.count('"') % 2:
        raise UsageError('unbalanced quotes in the query: close every "phrase"', "查询中的引号不成对")
    groups: list[list[Q.Query]] = [[]]
    literals: list[str] = []
    customers: list[str] = []
    due: list[bool] = []
    negate_next = False
    for m in _ITEM.finditer(text):
        minus, field, value = m.group(1), m.group(2), m.group(3)
        if not field and value in ("AND", "&&"):
            continue
        if not field and value in ("OR", "||"):
            groups.append([])
            continue
        if not field and value in ("NOT", "!"):
            negate_next = True
            continue
        value = value[1:-1] if value.startswith('"') else value
        if not value.strip():
            continue
        if field:
            field = field.lower()
            if field not in FIELDS:
                raise UsageError(
                    f"unknown field {field!r}; use one of {', '.join(sorted(FIELDS))}",
                    f"未知字段 {field!r}，可用：{', '.join(sorted(FIELDS))}",
                )
            if field == "due":
                due.append(yes_no(field, value) != bool(minus or negate_next))
                negate_next = False
                continue
            q = field_query(field, value, resolve_type, customers)
        else:
            q = text_query(value)
            literals.append(value)
        if q is None:
            continue
        if minus or negate_next:
            q = Q.Not(q)
            negate_next = False
        groups[-1].append(q)
    clauses = [Q.And(g) if len(g) > 1 else g[0] for g in groups if g]
    if not clauses and (customers or due):
        clauses = [Q.Every()]  # only filters: everything they select
    if not clauses:
        raise UsageError("the query has nothing to search for", "查询中没有可检索的内容")
    if len(set(due)) > 1:
        raise UsageError("due:yes and due:no together match nothing", "due:yes 与 due:no 不能同时使用")
    return Parsed(any_of(clauses), literals, customers, due[0] if due else None)


def date_range(field: str, start: str | None, end: str | None) -> Q.Query:
    """Documents dated from ``start`` to ``end`` (inclusive, either open). ``field`` is ``doc_date``.

    Whole years and whole months become single terms (``doc_year``, ``doc_month``) and only the days at
    the ragged edges a numeric range: a few postings lists to walk instead of one per day."""
    parsed = []
    for d in (start, end):
        try:
            parsed.append(date.fromisoformat(d) if d and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else None)
        except ValueError:
            parsed.append(None)
        if d and parsed[-1] is None:
            raise UsageError(f"not a date: {d!r} (use YYYY-MM-DD)", f"日期格式错误：{d!r}（应为 YYYY-MM-DD）")
    lo = max(parsed[0], EARLIEST) if parsed[0] else EARLIEST
    hi = min(parsed[1], LATEST) if parsed[1] else LATEST
    if lo > hi:
        return Q.NullQuery
    parts: list[Q.Query] = []
    d = lo
    while d <= hi:
        year_end, month_end = date(d.year, 12, 31), _month_end(d)
        if d.month == 1 and d.day == 1 and year_end <= hi:
            parts.append(Q.Term("doc_year", f"{d.year:04d}"))
            d = year_end + timedelta(days=1)
        elif d.day == 1 and month_end <= hi:
            parts.append(Q.Term("doc_month", f"{d.year:04d}-{d.month:02d}"))
            d = month_end + timedelta(days=1)
        else:
            last = min(month_end, hi)
            parts.append(Q.NumericRange(field, date_number(d.isoformat()), date_number(last.isoformat())))
            d = last + timedelta(days=1)
    return any_of(parts)


EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)  # no archived document is dated outside these


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def field_query(field: str, value: str, resolve_type, customers: list[str]) -> Q.Query | None:
    if field == "customer":
        customers.append(value)
        return None  # resolved by the caller against the registry
    if field == "type":
        return Q.Term("doc_type", resolve_type(value))
    if field == "no":
        return Q.Term("contract_no", value.lower())
    if field in ("uscc", "code"):
        return Q.Term("codes", value.upper())
    if field == "date":
        start, _, end = value.partition("..")
        return date_range("doc_date", start or None, end or None)
    if field == "hold":
        return Q.Term("held", "yes" if yes_no(field, value) else "no")
    if field == "page":
        return Q.Term("page", int(value)) if value.isdigit() else None
    return None


def _pattern(literal: str) -> re.Pattern | None:
    lit = fold_width(literal).strip()
    if not lit:
        return None
    if re.search(r"[\u3400-\u9fff]", lit):  # Chinese: a line wrap or OCR space may stand between any two characters
        return re.compile(r"\s*".join(re.escape(c) for c in lit if not c.isspace()), re.I)
    return re.compile(r"\s+".join(re.escape(w) for w in lit.split()), re.I)


def spans(text: str, literals: list[str]) -> list[tuple[int, int]]:
    """Where the literals stand in ``text``: sorted, non-overlapping (start, end) pairs."""
    found: list[tuple[int, int]] = []
    for lit in literals:
        pattern = _pattern(lit)
        if pattern is not None:
            found += [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
    out: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def highlight(text: str, literals: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_match) parts, for a page shown with the search terms marked."""
    parts, at = [], 0
    for start, end in spans(text, literals):
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def snippet_parts(text: str, literals: list[str], width: int = 40) -> tuple[str, str, str] | None:
    """(before, match, after) around the first literal found, in the order the literals were given."""
    flat = re.sub(r"\s+", " ", text)
    for lit in literals:
        pattern = _pattern(lit)
        m = pattern.search(flat) if pattern else None
        if m:
            start, end = max(0, m.start() - width), min(len(flat), m.end() + width)
            return (
                ("…" if start else "") + flat[start : m.start()],
                m.group(0),
                flat[m.end() : end] + ("…" if end < len(flat) else ""),
            )
    return None


def snippet(text: str, literals: list[str], width: int = 40) -> str | None:
    """The first place a literal stands, with 【】 around it; Chinese matched across line breaks and spaces."""
    return joined(snippet_parts(text, literals, width))


def joined(parts: tuple[str, str, str] | None) -> str | None:
    """A snippet's (before, match, after) as one string with 【】 around the match."""
    return f"{parts[0]}【{parts[1]}】{parts[2]}" if parts else None

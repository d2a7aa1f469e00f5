"""Key fields per document type, label-driven (``config/fields.toml``), each with its page and source text.

A value is found after one of its labels (synonyms in both languages) and a separator (":", a space, or
为/是 before an amount); it ends at the line's end or where another known label begins, so the
interleaved columns of an OCRed licence ("名称 X 注册资本 Y") still come apart. An empty value takes the
next line (label and value split over two lines). Every value is parsed and validated by its kind;
what fails validation is left out rather than guessed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from .classify import TypeRules, heading_lines
from .normalise import (
    CONTRACT_NO_RE,
    DAXIE_RE,
    ID_OCR_CANDIDATE_RE,
    NOTARY_NO_RE,
    USCC_CANDIDATE_RE,
    find_dates,
    mask_id_number,
    normalise_id_number,
    normalise_reference,
    normalise_uscc,
    parse_date,
    parse_money,
    parse_xiaoxie,
)

CONF_LABEL, CONF_REPAIRED, CONF_FALLBACK = 0.9, 0.75, 0.6
_SEAL = re.compile(r"\((?:盖章|签章|签字|公章|签名|章|盖公章|签字或盖章|签字盖章|印章)\)|[_＿]{2,}")
_TRAILING = " .,;:。、\"'|-"
_ABBREVIATION = re.compile(r"\b(?:Ltd|Co|Inc|Corp|Pte|LLC|GmbH|S\.A|B\.V|L\.P)\.$")


def _strip(value: str) -> str:
    """Trim punctuation around a value, keeping the dot of "Co., Ltd." and its kin."""
    keep_dot = bool(_ABBREVIATION.search(value.rstrip(" ,;:")))
    return value.strip(_TRAILING) + ("." if keep_dot else "")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    labels: tuple[str, ...] = ()
    loose: bool = False
    anywhere: bool = False
    fallback: str | None = None
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldRules:
    by_type: dict[str, tuple[FieldSpec, ...]]
    stop_labels: tuple[str, ...]


@dataclass(frozen=True)
class FieldValue:
    name: str
    value: str | None  # None: found and known to be empty (营业期限 长期 → no end date)
    page: int
    evidence: str  # the text it came from (ID numbers masked)
    confidence: float
    note: str | None = None


def load_field_rules(path: Path) -> FieldRules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stop = tuple(data.pop("stop_labels", ()))
    by_type = {
        doc_type: tuple(
            FieldSpec(
                name,
                spec["kind"],
                tuple(spec.get("labels", ())),
                bool(spec.get("loose", False)),
                bool(spec.get("anywhere", False)),
                spec.get("fallback"),
                tuple(spec.get("phrases", ())),
            )
            for name, spec in fields.items()
        )
        for doc_type, fields in data.items()
    }
    return FieldRules(by_type, stop)


# ---------------------------------------------------------------------------- label matching
def _is_ascii(label: str) -> bool:
    return all(ord(c) < 128 for c in label)


def _label_re(label: str) -> str:
    if _is_ascii(label):
        words = [re.escape(w) for w in label.split()]
        return r"\b" + r"\s*".join(words) + r"\.?"
    return re.escape(label)


@dataclass(frozen=True)
class _Hit:
    page: int
    value: str
    line: str
    next_line: str
    continuation: str = ""  # following lines that carry no label of their own (a wrapped value)


class _Document:
    """The pages of one document, with label search helpers."""

    def __init__(self, pages: list[str], labels: tuple[str, ...], loose: tuple[str, ...] = ()):
        self.pages = pages
        self._loose = (
            re.compile("|".join(re.escape(lab) for lab in sorted(set(loose), key=len, reverse=True))) if loose else None
        )
        alternation = "|".join(_label_re(lab) for lab in sorted(set(labels), key=len, reverse=True) if lab)
        self._stop = re.compile(
            rf"(?:\s+|\|)(?:{alternation})\s*(?:\([^)\n]{{0,12}}\))?\s*(?=[:\s]|$)"
            rf"|(?<=[^\s])(?:{alternation})\s*(?:\([^)\n]{{0,12}}\))?\s*:",
            re.I,
        )

    def _cut(self, value: str) -> str:
        m = self._stop.search(value)
        if m:
            value = value[: m.start()]
        if self._loose is not None:  # licence columns OCRed into one run: "名称X注册资本Y"
            m = self._loose.search(value, 1)
            if m:
                value = value[: m.start()]
        value = _SEAL.sub("", value.split(" | ")[0])
        return _strip(value)

    def find(self, spec: FieldSpec) -> _Hit | None:
        """The first occurrence of the earliest-listed label that has a value."""
        for label in spec.labels:
            ascii_label = _is_ascii(label)
            if ascii_label:
                sep = r"\s*(?::|\bis\b|\bof\b|\bshall be\b|\bamounting to\b)\s*" if spec.kind == "money" else r"\s*:\s*"
            else:
                sep = r"\s*(?::|为|是|\s)\s*"
            left = "" if (spec.anywhere or spec.kind in ("money", "date")) else r"(?:^|(?<=[\s|,.;:、(]))"
            patterns = [rf"{left}(?:{_label_re(label)})(?:\s*\([^)\n]{{0,12}}\))?{sep}(?P<v>[^\n]*)"]
            if spec.loose and not ascii_label:  # licence layouts: the label runs into its value, anywhere
                patterns.append(rf"{re.escape(label)}(?P<v>[^\s:][^\n]*)")
            for page_no, text in enumerate(self.pages, 1):
                for pattern in patterns:
                    for m in re.finditer(pattern, text, re.I | re.M):
                        value = self._cut(m.group("v"))
                        line_start = text.rfind("\n", 0, m.start()) + 1
                        line_end = text.find("\n", m.end())
                        rest = text[line_end + 1 :] if line_end >= 0 else ""
                        nxt = next((ln.strip() for ln in rest.split("\n") if ln.strip()), "")
                        if not value and nxt and not self._stop.match(" " + nxt):
                            value = self._cut(nxt)
                        if value:
                            cont = []
                            for ln in rest.split("\n")[:3]:
                                ln = ln.strip()
                                if not ln or ":" in ln[:24] or self._stop.match(" " + ln):
                                    break
                                cont.append(ln)
                            return _Hit(
                                page_no,
                                value,
                                text[line_start : line_end if line_end >= 0 else None].strip(),
                                nxt,
                                _flatten("\n".join([value, *cont])) if cont else "",
                            )
        return None

    def phrase(self, patterns: tuple[str, ...]) -> tuple[int, str, str] | None:
        for pattern in patterns:
            for page_no, text in enumerate(self.pages, 1):
                text = _flatten(text)
                m = re.search(pattern, text, re.I | re.M)
                if m:
                    group = "d" if "d" in m.groupdict() else "v"
                    return page_no, _strip(m.group(group)), _line_of(text, m.start())
        return None

    def last_date(self) -> tuple[int, date, str] | None:
        for page_no in range(len(self.pages), 0, -1):
            found = find_dates(self.pages[page_no - 1])
            if found:
                f = found[-1]
                return page_no, f.value, _line_of(self.pages[page_no - 1], f.start)  # type: ignore[return-value]
        return None


def _flatten(text: str) -> str:
    """Join wrapped lines: no space where a Chinese line breaks, one space where a Latin line does."""
    return re.sub(r"\n+", lambda m: "" if _cjk_break(m) else " ", text)


def _cjk_break(m: re.Match) -> bool:
    s, i = m.string, m.start()
    j = m.end()
    return i > 0 and j < len(s) and "\u3000" <= s[i - 1] <= "\u9fff" and "\u3000" <= s[j] <= "\u9fff"


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else None].strip()


# ---------------------------------------------------------------------------- value kinds
def _party(value: str) -> str | None:
    value = re.sub(r"^(?:the\s+)?", "", value, flags=re.I)
    value = re.split(
        r"\s*\((?:the\s+)?[\"“]|\s*[\"“(]hereinafter|\s*\(以下简称|,\s*(?:a|an)\s+company", value, flags=re.I
    )[0]
    value = _strip(value.strip("()"))
    if len(value) > 60:
        value = re.split(r"[,;。]", value)[0]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", value))
    latin = len(re.findall(r"[A-Za-z]", value))
    return value if (cjk >= 2 or latin >= 3) and len(value) <= 60 else None


def _code(value: str) -> str | None:
    m = CONTRACT_NO_RE.search(value)
    return m.group(0).strip(_TRAILING) if m else None


def _result(value: str) -> str | None:
    value = re.split(r"[。;,]", value)[0].strip()
    return value[:30] or None


def _money(value: str, line: str, nxt: str) -> tuple[str, str, str | None] | None:
    if re.search(r"[\d,.]$", value) and re.match(r"[\d,.)]", nxt):  # "(3,298,40" / "0.00)" wrapped
        value += nxt
    text = value if (DAXIE_RE.search(value) or re.search(r"\d", value)) else f"{value} {nxt}"
    money = parse_money(text)
    if money is None:
        return None
    note = None
    d = DAXIE_RE.search(text)
    small = parse_xiaoxie(text[d.end() :] if d else "", None) if d else None
    if d and small is not None and small.amount != money.amount:
        note = f"大写 {money.amount} ≠ 小写 {small.amount}: check the original"
    return str(money.amount), money.currency, note


_CONNECT = re.compile(
    r"^\s*(?:起)?\s*(?:至|到|起至|—|–|-|~|～|until|to|through|and (?:remains|continues) in (?:full )?"
    r"(?:force|effect) until|and (?:ends|expires) on)\s*$",
    re.I,
)
_TERM_LABELS = re.compile(r"期限|有效期|期间|term|period|valid|commenc|effective", re.I)


def find_term(pages: list[str]) -> tuple[int, date, date, str] | None:
    """A date range (自…起至…止, …至…, from … to …, commences on … until …), preferring a term line."""
    best = None
    for page_no, text in enumerate(pages, 1):
        found = find_dates(text)
        for a, b in pairwise(found):
            if b.start - a.end > 60 or not _CONNECT.match(re.sub(r"^\s*起", "", text[a.end : b.start])):
                continue
            if b.value < a.value:  # type: ignore[operator]
                continue
            line = _line_of(text, a.start)
            candidate = (page_no, a.value, b.value, line)
            if _TERM_LABELS.search(line):
                return candidate  # type: ignore[return-value]
            best = best or candidate
        m = re.search(r"有效期(?:为|限)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*年", text)
        if m and best is None and found:
            years = int(m.group(1)) if m.group(1).isdigit() else "一二三四五六七八九十".index(m.group(1)[0]) + 1
            start = found[0].value
            end = date(start.year + years, start.month, start.day) - timedelta(days=1)  # type: ignore[union-attr]
            best = (page_no, start, end, _line_of(text, m.start()))
    return best  # type: ignore[return-value]


_DISPUTE = [
    re.compile(
        r"(?:提交|提请|申请|交由|交付|向|由)(?P<v>[\u4e00-\u9fff]{2,30}?(?:仲裁委员会|仲裁院|仲裁中心)"
        r"(?:[\u4e00-\u9fff]{1,8}分会)?)"
    ),
    re.compile(
        r"(?P<v>中国国际经济贸易仲裁委员会(?:[\u4e00-\u9fff]{1,8}分会)?|[\u4e00-\u9fff]{2,10}(?:仲裁委员会|仲裁院))"
    ),
    re.compile(r"(?:提交|向|由)(?P<v>[\u4e00-\u9fff]{1,20}人民法院)"),
    re.compile(
        r"submitted to (?:the )?(?P<v>[A-Z][A-Za-z' ]{3,80}?(?:Arbitration (?:Commission|Center|Centre)"
        r"|International Arbitration Cent(?:er|re)|Court))",
        re.I,
    ),
    re.compile(r"(?P<v>(?:the )?courts? of [A-Z][A-Za-z ]{2,40})", re.I),
]


def _org_line(line: str) -> bool:
    return (
        bool(
            re.search(r"(公司|集团|单位|事务所|中心|银行|研究院|Co\.|Ltd|Inc|LLC|Corporation|AG|GmbH|Limited)", line)
            or re.fullmatch(r"[\u4e00-\u9fff]{2,12}(?:室|部|处|办公室|委员会|局)", line)
        )
        and len(line) <= 50
    )


# ---------------------------------------------------------------------------- the extractor
def extract_fields(
    doc_type: str, pages: list[str], rules: FieldRules, type_rules: TypeRules, meta: dict | None = None
) -> dict[str, FieldValue]:
    specs = rules.by_type.get(doc_type, ())
    labels = tuple(lab for s in specs for lab in s.labels) + rules.stop_labels
    loose = tuple(lab for s in specs if s.loose for lab in s.labels)
    doc = _Document(pages, labels, loose)
    meta = meta or {}
    out: dict[str, FieldValue] = {}

    def put(name: str, value: str | None, page: int, evidence: str, conf: float, note: str | None = None) -> None:
        out[name] = FieldValue(name, value, page, evidence[:160], conf, note)

    def labelled(spec: FieldSpec, parse: Callable[[str], str | None]) -> bool:
        if spec.kind == "party" and spec.phrases and by_phrase(spec, parse):
            return True  # "by and between X and Y" is surer than a "Client:" signature line
        hit = doc.find(spec)
        if hit:
            value = parse(hit.value)
            if value is None and hit.next_line:
                value = parse(hit.next_line)
            if value is not None:
                put(spec.name, value, hit.page, hit.line, CONF_LABEL)
                return True
        return by_phrase(spec, parse)

    def by_phrase(spec: FieldSpec, parse: Callable[[str], str | None]) -> bool:
        ph = doc.phrase(spec.phrases) if spec.phrases else None
        if ph:
            value = parse(ph[1])
            if value is not None:
                put(spec.name, value, ph[0], ph[2], CONF_LABEL)
                return True
        return False

    def h_date(spec: FieldSpec) -> None:
        if labelled(spec, lambda v: d.isoformat() if (d := parse_date(v)) else None):
            return
        if spec.fallback == "last_date":
            last = doc.last_date()
            if last:
                put(spec.name, last[1].isoformat(), last[0], last[2], CONF_FALLBACK)

    def h_money(spec: FieldSpec) -> None:
        hit = doc.find(spec)
        if hit:
            parsed = _money(hit.value, hit.line, hit.next_line)
            if parsed:
                amount, currency, note = parsed
                put(spec.name, amount, hit.page, hit.line, 0.5 if note else CONF_LABEL, note)
                if spec.name == "amount" and doc_type == "contract":
                    put("currency", currency, hit.page, hit.line, CONF_LABEL)

    def h_code_like(spec: FieldSpec, normaliser, candidates: re.Pattern) -> None:
        hit = doc.find(spec)
        texts = [(hit.page, hit.value + " " + hit.next_line, hit.line)] if hit else []
        texts += [(i, t, "") for i, t in enumerate(pages, 1)]  # then anywhere in the document
        for page, text, line in texts:
            for m in candidates.finditer(text.upper()):
                value, how = normaliser(m.group(0))
                if value:
                    evidence = line or _line_of(text, m.start())
                    if spec.kind == "id_number":
                        evidence = evidence.replace(m.group(0), mask_id_number(m.group(0)))
                    conf = CONF_REPAIRED if how == "repaired" else (CONF_LABEL if line else CONF_FALLBACK)
                    put(spec.name, value, page, evidence, conf, "OCR repair" if how == "repaired" else None)
                    return

    def h_term(spec: FieldSpec) -> None:
        term = find_term(pages)
        if term:
            page, start, end, line = term
            put(spec.name, (start if spec.kind == "term_start" else end).isoformat(), page, line, CONF_LABEL)

    def h_title(spec: FieldSpec) -> None:
        lines = heading_lines(pages[0] if pages else "", type_rules)
        words = type_rules.title.get(doc_type, ())
        for line in lines:
            if any(w in re.sub(r"\s+", "", line).lower() for w in words):
                put(spec.name, line, 1, line, CONF_LABEL)
                return

    def h_dispute(spec: FieldSpec) -> None:
        for page_no, text in enumerate(pages, 1):
            flat = _flatten(text)
            for pattern in _DISPUTE:
                m = pattern.search(flat)
                if m:
                    put(
                        spec.name,
                        m.group("v").strip(),
                        page_no,
                        _line_of(text, min(m.start(), len(text) - 1)),
                        CONF_LABEL,
                    )
                    return

    def h_pattern(spec: FieldSpec, finder: Callable[[str], str | None]) -> None:
        for page_no, text in enumerate(pages, 1):
            value = finder(text)
            if value:
                put(spec.name, value, page_no, _line_of(text, max(0, text.find(value[:4]))), CONF_LABEL)
                return

    def h_business_term_to(spec: FieldSpec) -> None:
        hit = doc.find(spec)
        if not hit:
            return
        if re.search(r"长期|永久|不约定期限|无固定期限", hit.value + hit.line):
            put(spec.name, None, hit.page, hit.line, CONF_LABEL, "长期: no end date")
            return
        dates = find_dates(hit.value)
        if len(dates) >= 2:
            put(spec.name, dates[-1].value.isoformat(), hit.page, hit.line, CONF_LABEL)  # type: ignore[union-attr]

    def h_from_meta(spec: FieldSpec, key: str, clean=lambda v: v) -> bool:
        if meta.get(key):
            put(spec.name, clean(meta[key]), 1, f"{key}: {meta[key]}", CONF_LABEL)
            return True
        return False

    def display_name(v: str) -> str:
        m = re.match(r'\s*"?([^"<]+?)"?\s*<', v)
        return m.group(1).strip() if m else v.strip()

    def h_sender(spec: FieldSpec) -> None:
        if h_from_meta(spec, "from", display_name) or labelled(spec, _party):
            return
        tail = [ln.strip() for ln in (pages[-1] if pages else "").split("\n") if ln.strip()][-6:]
        for line in reversed(tail):
            if _org_line(line) and ":" not in line:
                put(spec.name, line.strip(_TRAILING), len(pages), line, CONF_FALLBACK)
                return

    def h_recipient(spec: FieldSpec) -> None:
        if h_from_meta(spec, "to", display_name) or labelled(spec, _party):
            return
        for line in (pages[0] if pages else "").split("\n")[:12]:
            m = re.fullmatch(r"\s*([^:;]{2,40}?)\s*[:;]\s*", line)  # OCR reads "：" as ";" too
            if m and _party(m.group(1)):
                put(spec.name, m.group(1), 1, line, CONF_FALLBACK)
                return

    def h_subject(spec: FieldSpec) -> None:
        if h_from_meta(spec, "subject") or labelled(spec, lambda v: v[:80] or None):
            return
        for line in heading_lines(pages[0] if pages else "", type_rules):
            if re.search(r"^关于.{2,60}的|letter|notice", line, re.I):
                put(spec.name, line, 1, line, CONF_LABEL)
                return

    for spec in specs:
        kind = spec.kind
        if kind == "date":
            h_date(spec)
            if spec.name == "sent_on" and spec.name not in out and meta.get("date_iso"):
                put(spec.name, meta["date_iso"][:10], 1, f"date: {meta.get('date')}", CONF_LABEL)
        elif kind == "money":
            h_money(spec)
        elif kind == "uscc":
            h_code_like(spec, normalise_uscc, USCC_CANDIDATE_RE)
        elif kind == "id_number":
            h_code_like(spec, normalise_id_number, ID_OCR_CANDIDATE_RE)
        elif kind == "party":
            labelled(spec, _party)
        elif kind == "text":
            labelled(spec, lambda v: v[:100] or None)
        elif kind == "long_text":
            hit = doc.find(spec)
            if hit and hit.continuation:
                put(spec.name, hit.continuation[:300], hit.page, hit.line, CONF_LABEL)
            else:
                labelled(spec, lambda v: v[:300] or None)
        elif kind == "code":
            labelled(spec, _code)
        elif kind == "result":
            labelled(spec, _result)
        elif kind in ("term_start", "term_end"):
            h_term(spec)
        elif kind == "title":
            h_title(spec)
        elif kind == "dispute":
            h_dispute(spec)
        elif kind == "reference":
            h_pattern(spec, normalise_reference)
        elif kind == "certificate_no":
            h_pattern(spec, lambda t: re.sub(r"\s", "", m.group(0)) if (m := NOTARY_NO_RE.search(t)) else None)
        elif kind == "business_term_to":
            h_business_term_to(spec)
        elif kind == "sender":
            h_sender(spec)
        elif kind == "recipient":
            h_recipient(spec)
        elif kind == "subject":
            h_subject(spec)
        else:
            raise ValueError(f"fields.toml: {doc_type}.{spec.name} has unknown kind {kind!r}")
    return out

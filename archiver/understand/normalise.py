"""Normalisers and validators for the values people argue about: dates, money, codes, reference numbers.

Everything returns ``None`` when the input is not a valid value: unknown is never guessed. Money is a
``Decimal`` (two places), never a float. Input is normalised text (widths folded, see textnorm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.cn import uscc as stdnum_uscc
from stdnum.iso7064 import mod_11_2

# ---------------------------------------------------------------------------- dates
_CN_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_CN_NUM = "〇○零一二三四五六七八九十"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERNS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(
        rf"(?P<cy>[{_CN_NUM}O]{{4}})\s*年\s*(?P<cm>[{_CN_NUM}]{{1,2}})\s*月\s*(?P<cd>[{_CN_NUM}]{{1,3}})\s*[日号]"
    ),
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<d>\d{1,2})(?![\d])"),
    re.compile(rf"\b(?P<mn>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH_NAMES})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I
    ),
]


def _cn_small_number(s: str) -> int | None:
    """一 … 三十一 (also 十, 二十, 廿) → int."""
    s = s.replace("廿", "二十")
    if not s:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGIT.get(tens, None) if tens else 1
        o = _CN_DIGIT.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    if len(s) == 2 and all(c in _CN_DIGIT for c in s):  # 〇五 (month written digit by digit)
        return _CN_DIGIT[s[0]] * 10 + _CN_DIGIT[s[1]]
    return None


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None  # 2月30日 and friends


def _date_from_match(m: re.Match) -> date | None:
    g = m.groupdict()
    if g.get("cy"):
        y = int("".join(str(_CN_DIGIT.get(c, -1)) for c in g["cy"])) if all(c in _CN_DIGIT for c in g["cy"]) else None
        return _make_date(y, _cn_small_number(g["cm"]), _cn_small_number(g["cd"]))
    month = MONTHS.get(g["mn"].lower().rstrip(".")) if g.get("mn") else int(g["m"])
    return _make_date(int(g["y"]), month, int(g["d"]))


@dataclass(frozen=True)
class Found:
    value: object
    start: int
    end: int
    text: str


def find_dates(text: str) -> list[Found]:
    """Every valid date in the text, in order of position (overlaps resolved to the earliest, longest)."""
    hits: list[Found] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            d = _date_from_match(m)
            if d is not None:
                hits.append(Found(d, m.start(), m.end(), m.group(0)))
    hits.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Found] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def parse_date(text: str) -> date | None:
    found = find_dates(text)
    return found[0].value if found else None  # type: ignore[return-value]


# ---------------------------------------------------------------------------- money
# 大写 digits: the date digits (less the OCR-only "O" and "○") plus the traditional forms and 两.
_DAXIE_DIGIT = {k: v for k, v in _CN_DIGIT.items() if k not in "O○"} | {"貳": 2, "參": 3, "叄": 3, "陸": 6, "两": 2}
_SMALL_UNIT = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG_UNIT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
DAXIE_RE = re.compile(
    r"[零〇壹贰貳叁參叄肆伍陆陸柒捌玖两拾][零〇壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟万萬亿億两]*[元圆]"
    r"[零〇壹贰貳叁參叄肆伍陆陸柒捌玖角分整正]*"
    r"|[零〇壹贰貳叁參叄肆伍陆陸柒捌玖]+[角分][零〇壹贰貳叁參叄肆伍陆陸柒捌玖角分整正]*"
)


def _integer_part(s: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DAXIE_DIGIT:
            digit = _DAXIE_DIGIT[ch]
        elif ch in _SMALL_UNIT:
            section += (digit if digit is not None else 1) * _SMALL_UNIT[ch]  # 拾万 = 壹拾万
            digit = None
        elif ch in _BIG_UNIT:
            section += digit or 0
            unit = _BIG_UNIT[ch]
            if unit == 10**8:
                total = (total + section) * unit
            else:
                total += section * unit
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_daxie(text: str) -> Decimal | None:
    """人民币壹拾贰万叁仟元整 → 123000.00; 壹佰万元零伍分 → 1000000.05; 贰仟元捌角整 → 2000.80."""
    s = re.sub(r"^(人民币|人民幣|RMB|¥)", "", text.strip()).rstrip("整正")
    if not s:
        return None
    if "元" in s or "圆" in s:
        yuan_part, _, frac = re.split(r"([元圆])", s, maxsplit=1)
    else:
        yuan_part, frac = "", s
    yuan = _integer_part(yuan_part) if yuan_part else 0
    if yuan is None:
        return None
    jiao = fen = 0
    digit = None
    for ch in frac:
        if ch in _DAXIE_DIGIT:
            digit = _DAXIE_DIGIT[ch]
        elif ch == "角":
            jiao, digit = digit or 0, None
        elif ch == "分":
            fen, digit = digit or 0, None
        elif ch in "整正":
            continue
        else:
            return None
    return (Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100).quantize(Decimal("0.01"))


_CURRENCY_WORDS = [
    ("USD", r"USD|US\$|美元|美金"),
    ("EUR", r"EUR|€|欧元"),
    ("HKD", r"HKD|HK\$|港币|港元"),
    ("JPY", r"JPY|日元"),
    ("GBP", r"GBP|£|英镑"),
    ("CNY", r"CNY|RMB|¥|人民币|元|^Y$"),
]
XIAOXIE_RE = re.compile(
    r"(?P<cur>USD|US\$|EUR|€|HKD|HK\$|JPY|GBP|£|CNY|RMB|¥|人民币|Y(?=\d))?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,4})?)\s*"
    r"(?P<unit>亿元|万元|元|万|亿)?(?P<cur2>人民币|美元|港币|欧元|日元)?"
)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    text: str


def currency_of(text: str) -> str | None:
    for code, pattern in _CURRENCY_WORDS:
        if re.search(pattern, text):
            return code
    return None


def parse_xiaoxie(text: str, default_currency: str | None = None) -> Money | None:
    """¥123,000.00, RMB 123,000, 12.3万元, 500万元人民币, USD 48,500.00 → exact decimal + currency.

    A bare number without a currency or 元/万 unit is not money.
    """
    for m in XIAOXIE_RE.finditer(text):
        cur_text = (m.group("cur") or "") + (m.group("cur2") or "")
        unit = m.group("unit") or ""
        if not cur_text and not unit and default_currency is None:
            continue
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:
            continue
        if "亿" in unit:
            value *= 10**8
        elif "万" in unit:
            value *= 10**4
        currency = currency_of(cur_text + unit) or default_currency or "CNY"
        return Money(value.quantize(Decimal("0.01")), currency, m.group(0).strip())
    return None


_DAXIE_LEAD = ("人民币", "人民幣", "币", "大写", "为", "计", "额", "金", "价", "款", "元", "整")


def parse_money(text: str, default_currency: str | None = None) -> Money | None:
    """Amount in a field's text: 大写 wins when it parses (it is the legally binding form), else 小写."""
    d = DAXIE_RE.search(text)
    if (
        d
        and d.start() > 0
        and "\u4e00" <= text[d.start() - 1] <= "\u9fff"
        and not text[: d.start()].endswith(_DAXIE_LEAD)
    ):
        d = None  # the tail of a garbled 大写 ("…拥任肆佰元整"): never a partial amount
    if d:
        value = parse_daxie(d.group(0))
        if value is not None:
            lead = text[max(0, d.start() - 6) : d.start()]
            return Money(value, currency_of(lead) if currency_of(lead) not in (None, "CNY") else "CNY", d.group(0))
    return parse_xiaoxie(text, default_currency)


# ---------------------------------------------------------------------------- codes
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_OCR_CONFUSIONS = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "UY", "B": "8", "D": "0", "Q": "0"}
USCC_CANDIDATE_RE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
ID_CANDIDATE_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")
ID_OCR_CANDIDATE_RE = re.compile(r"(?<![0-9A-Z])[0-9OIZSB]{17}[0-9XOIZSB](?![0-9A-Z])")  # with OCR confusions


def is_valid_uscc(code: str) -> bool:
    """GB 32100-2015. python-stdnum's check digit is used; its validate() wrongly rejects letter-first codes."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    if not code[2:8].isdigit():  # GB/T 2260 region code
        return False
    return stdnum_uscc.calc_check_digit(code[:17]) == code[17]


def _single_repair(code: str, valid, alphabet: str) -> str | None:
    """The one variant (usual OCR confusions) that validates, or None when none or several do."""
    options: list[list[str]] = []
    for c in code:
        if c in alphabet:
            alts = [c]
            if c in _OCR_CONFUSIONS and c == "B":  # B is valid in USCC; 8 is the usual misread too
                alts.append("8")
            options.append(alts)
        elif c in _OCR_CONFUSIONS:
            options.append(list(_OCR_CONFUSIONS[c]))
        else:
            return None
    bad = sum(1 for opts, c in zip(options, code, strict=True) if c not in opts or len(opts) > 1)
    if bad > 4:
        return None
    found: set[str] = set()
    _expand(options, 0, "", valid, found)
    return found.pop() if len(found) == 1 else None


def _expand(options, i, prefix, valid, found, limit=64) -> None:
    if len(found) > 1 or limit <= 0:
        return
    if i == len(options):
        if valid(prefix):
            found.add(prefix)
        return
    for opt in options[i]:
        _expand(options, i + 1, prefix + opt, valid, found)


def normalise_uscc(raw: str) -> tuple[str | None, str]:
    """(valid code or None, how: 'valid' | 'repaired' | 'invalid')."""
    code = re.sub(r"[\s-]", "", raw).upper()
    if is_valid_uscc(code):
        return code, "valid"
    if len(code) == 18:
        fixed = _single_repair(code, is_valid_uscc, USCC_ALPHABET)
        if fixed:
            return fixed, "repaired"
    return None, "invalid"


def is_valid_id_number(number: str) -> bool:
    """GB 11643-1999: ISO 7064 MOD 11-2 check (python-stdnum) and a real birth date.

    python-stdnum's cn.ric also checks the county against its table and rejects valid numbers whose
    county code is newer than the birth year, so it is not used for the verdict.
    """
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    born = _make_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if born is None or born.year < 1880 or born > date.today():
        return False
    return mod_11_2.is_valid(number)


def normalise_id_number(raw: str) -> tuple[str | None, str]:
    number = re.sub(r"\s", "", raw).upper()
    if is_valid_id_number(number):
        return number, "valid"
    if len(number) == 18:
        fixed = _single_repair(number, is_valid_id_number, "0123456789X")
        if fixed:
            return fixed, "repaired"
    return None, "invalid"


def mask_id_number(number: str) -> str:
    """110105********002X — ID numbers are personal data (PIPL): never in logs or snippets in full."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) >= 15 else number


# ---------------------------------------------------------------------------- reference numbers
REFERENCE_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,12}[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*(?:第)?\s*\d{1,6}\s*号"
)
NOTARY_NO_RE = re.compile(r"[(\[〔【]\s*(?:19|20)\d{2}\s*[)\]〕】]\s*[\u4e00-\u9fff]{1,8}字第?\s*\d{1,8}\s*号")
CONTRACT_NO_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*\d[A-Za-z0-9\-_/]*")


def normalise_reference(text: str) -> str | None:
    """云帆函〔2024〕12号 in any bracket style → the canonical 〔〕 form."""
    m = REFERENCE_RE.search(text)
    if not m:
        return None
    ref = re.sub(r"\s", "", m.group(0))
    return re.sub(r"[\[(（【](\d{4})[\])）】]", r"〔\1〕", ref)

"""Company and person names compared the way people mean them.

"华东精密机械有限公司", "华东精密机械有限责任公司" and "华东精密机械（有限公司）" are one name; "华东精密
机械制造有限公司" is another company. English names drop case, punctuation and the legal form
("Co., Ltd.", "Limited", "Pte. Ltd.", "GmbH" …).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_CN_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "总公司", "公司")
_EN_FORMS = re.compile(
    r"\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|pte|gmbh|ag|sa|bv|group|holdings)\b"
)


def normalise_name(name: str) -> str:
    """The comparable core of a name: width folded, no spaces or brackets, no legal form."""
    s = unicodedata.normalize("NFKC", name or "").strip().lower()
    s = re.sub(r"[\s\u3000]+", "", s) if re.search(r"[\u4e00-\u9fff]", s) else re.sub(r"\s+", " ", s)
    s = s.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    if re.search(r"[\u4e00-\u9fff]", s):
        for form in _CN_FORMS:
            if s.endswith(form) and len(s) > len(form) + 1:
                s = s[: -len(form)]
                break
        return s
    s = re.sub(r"[.,&'\"]", " ", s)
    s = _EN_FORMS.sub(" ", s)
    return re.sub(r"\s+", " ", s).strip()


def similarity(a: str, b: str) -> float:
    """0–100 on the normalised cores (rapidfuzz ratio: every character counts, extra words too)."""
    return fuzz.ratio(normalise_name(a), normalise_name(b))


def is_ours(name: str, organization: tuple[str, ...]) -> bool:
    core = normalise_name(name)
    return bool(core) and any(core == normalise_name(o) for o in organization)

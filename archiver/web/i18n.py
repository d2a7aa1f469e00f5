"""Chinese first, English on request: the texts stand in pairs where they are used (``_("归档", "Archive")``)."""

from __future__ import annotations

from ..accounts import ROLE_NAMES_ZH
from ..customers.file import TYPE_NAMES

LANGS = ("zh", "en")
TYPE_NAMES_EN = {
    "contract": "Contract",
    "contract_amendment": "Amendment",
    "contract_termination": "Termination agreement",
    "business_license": "Business licence",
    "authorization": "Authorization letter",
    "identity_document": "Identity document",
    "guarantee": "Guarantee",
    "notarization": "Notarial certificate",
    "acceptance_record": "Acceptance record",
    "payment_voucher": "Payment voucher",
    "correspondence": "Correspondence",
    "negotiation_record": "Negotiation record",
    "feasibility_report": "Feasibility report",
    "other": "Other",
}
STATUS_NAMES = {
    "archived": ("已归档", "archived"),
    "duplicate": ("重复（已有同一文件）", "duplicate (already archived)"),
    "failed": ("失败", "failed"),
    "waiting": ("等待处理", "waiting"),
    "processing": ("处理中", "processing"),
    "uploading": ("上传中", "uploading"),
}


class Texts:
    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "zh"

    def __call__(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def type_name(self, code: str | None) -> str:
        if not code:
            return self("待定类型", "type to review")
        return TYPE_NAMES.get(code, code) if self.lang == "zh" else TYPE_NAMES_EN.get(code, code)

    def role_name(self, role: str) -> str:
        return ROLE_NAMES_ZH.get(role, role) if self.lang == "zh" else role

    def status(self, status: str) -> str:
        zh, en = STATUS_NAMES.get(status, (status, status))
        return self(zh, en)

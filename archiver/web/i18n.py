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
FIELD_NAMES_ZH = {
    "contract_no": "合同编号", "title": "标题", "party_a": "甲方", "party_b": "乙方", "signed_on": "签订日期",
    "amount": "金额", "currency": "币种", "term_start": "期限起", "term_end": "期限止",
    "dispute_resolution": "争议解决",
    "terminated_on": "解除日期", "name": "名称/姓名", "uscc": "统一社会信用代码", "entity_type": "类型",
    "legal_representative": "法定代表人", "registered_capital": "注册资本", "established_on": "成立日期",
    "business_term_to": "营业期限至", "address": "住所", "business_scope": "经营范围",
    "registration_authority": "登记机关", "registered_on": "登记日期", "principal": "委托人", "agent": "受托人",
    "agent_id_number": "受托人身份证号", "scope": "委托事项", "valid_from": "有效期自", "valid_to": "有效期至",
    "issued_on": "出具日期", "id_number": "身份证号码", "guarantor": "保证人", "beneficiary": "受益人",
    "notary_office": "公证处", "certificate_no": "公证书编号", "notarized_on": "公证日期", "accepted_on": "验收日期",
    "result": "验收结论", "voucher_no": "凭证号", "payer": "付款方", "payee": "收款方", "paid_on": "付款日期",
    "reference_no": "文号", "sender": "发文方", "recipient": "收文方", "sent_on": "发文日期", "subject": "事由",
    "held_on": "会议日期", "participants": "参加人员", "prepared_on": "编制日期",
    # customer profile
    "status": "状态", "closed_on": "关系终止日期", "phone": "电话", "contact": "联系人",
}  # fmt: skip
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

    def field_name(self, code: str) -> str:
        if self.lang == "zh":
            return FIELD_NAMES_ZH.get(code, code)
        return code.replace("_", " ").replace("uscc", "USCC").replace(" no", " no.")

    def status(self, status: str) -> str:
        zh, en = STATUS_NAMES.get(status, (status, status))
        return self(zh, en)

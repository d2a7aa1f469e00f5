"""The customer file (客户档案): the customer's documents by type and date, and what is missing or expired."""

from __future__ import annotations

from datetime import date

from ..catalog.models import Customer, Document
from ..understand import document_date

TYPE_NAMES = {
    "contract": "合同",
    "contract_amendment": "变更/补充协议",
    "contract_termination": "解除协议",
    "business_license": "营业执照",
    "authorization": "授权委托书",
    "identity_document": "身份证明",
    "guarantee": "担保函",
    "notarization": "公证书",
    "acceptance_record": "验收记录",
    "payment_voucher": "收付款凭证",
    "correspondence": "函件",
    "negotiation_record": "谈判记录/会议纪要",
    "feasibility_report": "可行性研究报告",
    "other": "其他",
}


def build(c: Customer, docs: list[Document], today: date | None = None) -> dict:
    today = today or date.today()
    by_type: dict[str, list[dict]] = {}
    fields_of = {d.id: {f.name: f.value for f in d.fields} for d in docs}
    for d in docs:
        f = fields_of[d.id]
        by_type.setdefault(d.doc_type or "unclassified", []).append(
            {
                "id": d.id,
                "original_name": d.original_name,
                "date": document_date(f) or d.ingested_at[:10],
                "link_method": d.link_method,
                "contract_no": f.get("contract_no"),
            }
        )
    for rows in by_type.values():
        rows.sort(key=lambda r: r["date"])
    required = (
        ["business_license", "authorization", "contract"]
        if c.kind == "enterprise"
        else ["identity_document", "contract"]
    )
    missing = [{"doc_type": t, "name": TYPE_NAMES[t]} for t in required if t not in by_type]
    warnings: list[dict] = []
    iso = today.isoformat()
    for d in docs:
        f = fields_of[d.id]
        if d.doc_type == "business_license" and f.get("business_term_to") and f["business_term_to"] < iso:
            warnings.append(
                {
                    "doc": d.id,
                    "code": "license_expired",
                    "message": f"营业执照已过期（营业期限至 "
                    f"{f['business_term_to']}） / business licence expired on {f['business_term_to']}",
                }
            )
        if d.doc_type == "authorization" and f.get("valid_to") and f["valid_to"] < iso:
            warnings.append(
                {
                    "doc": d.id,
                    "code": "authorization_expired",
                    "message": f"授权委托书已过期（至 {f['valid_to']}） / authorization expired on {f['valid_to']}",
                }
            )
    authorizations = [fields_of[d.id] for d in docs if d.doc_type == "authorization"]
    if authorizations:
        for d in docs:
            f = fields_of[d.id]
            signed = f.get("signed_on")
            if d.doc_type != "contract" or not signed:
                continue
            covered = any(
                (a.get("valid_from") or "0000") <= signed <= (a.get("valid_to") or "9999") for a in authorizations
            )
            if not covered:
                warnings.append(
                    {
                        "doc": d.id,
                        "code": "agent_not_authorized_on_signing",
                        "message": f"合同签订日 {signed} 不在任何授权委托书的有效期内 / no authorization "
                        f"on file was valid on the signing date {signed}",
                    }
                )
    return {
        "documents_by_type": by_type,
        "document_count": len(docs),
        "missing": missing,
        "warnings": warnings,
        "complete": not missing and not warnings,
    }

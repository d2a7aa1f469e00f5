"""Linking a document to its customer: a ladder of evidence, precise first, and always a reason.

    1. a valid USCC / ID number in the document that belongs to a customer      uscc, id_number
    2. a party name equal to a customer's name or alias after normalisation      name, alias
       (an amendment, termination or acceptance record naming a contract number links like that contract)
    3. a fuzzy name match: one misread character, or a near-identical name, with a clear margin   fuzzy_name
    4. the folder the file came from (inbox subfolder, ingested folder, --customer)                folder
    5. a business licence of an unknown company creates that customer                             created_from_license
    6. otherwise no link: the document waits in review with the candidates and why

Evidence for two different customers is a conflict and goes to review, never silently to one side.
A wrong link is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from ..catalog.models import Document, Field
from ..understand.normalise import ID_CANDIDATE_RE, USCC_CANDIDATE_RE, is_valid_id_number, is_valid_uscc
from .names import is_ours, normalise_name, similarity
from .registry import Registry

PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    "contract": ("party_a", "party_b"),
    "contract_amendment": ("party_a", "party_b"),
    "contract_termination": ("party_a", "party_b"),
    "business_license": ("name",),
    "authorization": ("principal",),
    "identity_document": ("name",),
    "guarantee": ("guarantor", "beneficiary"),
    "payment_voucher": ("payer", "payee"),
    "correspondence": ("sender", "recipient"),
    "negotiation_record": ("participants",),
}
CODE_FIELDS = ("uscc", "id_number")
FAMILY_TYPES = ("contract_amendment", "contract_termination", "acceptance_record")
FUZZY_MIN, FUZZY_MARGIN = 92.0, 5.0


@dataclass(frozen=True)
class Evidence:
    customer_id: str
    customer_name: str
    method: str
    confidence: float
    detail: str


@dataclass
class CustomerLink:
    customer_id: str | None
    method: str | None
    confidence: float
    reason: str
    candidates: list[dict] = field(default_factory=list)
    create_from_license: dict | None = None

    @property
    def needs_review(self) -> bool:
        return self.customer_id is None and self.create_from_license is None


def _one_char_misread(a: str, b: str) -> bool:
    """Same length, one character different: how OCR gets a name wrong (上海云相 for 上海云帆)."""
    return len(a) == len(b) >= 5 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _party_names(doc_type: str | None, fields: dict[str, str | None], organization: tuple[str, ...]) -> list[str]:
    names = []
    for f in PARTY_FIELDS.get(doc_type or "", ()):
        value = fields.get(f)
        if not value:
            continue
        for name in re.split(r"[、,;，；]|\s和\s|\s+and\s+", value) if f == "participants" else [value]:
            name = re.sub(r"(采购部|财务部|销售部|办公室|法务部)$", "", name.strip())
            if name and not is_ours(name, organization):
                names.append(name)
    return names


def find_evidence(
    doc_type: str | None,
    fields: dict[str, str | None],
    text: str,
    hints: list[str],
    registry: Registry,
    session,
    organization: tuple[str, ...],
) -> tuple[list[Evidence], list[dict]]:
    """All evidence for a customer, and near misses (for review)."""
    evidence: list[Evidence] = []
    near: list[dict] = []
    # 1. codes: in the fields, then anywhere in the text
    codes = {fields[f] for f in CODE_FIELDS if fields.get(f)}
    codes |= {m.group(0) for m in USCC_CANDIDATE_RE.finditer(text.upper()) if is_valid_uscc(m.group(0))}
    codes |= {m.group(0).upper() for m in ID_CANDIDATE_RE.finditer(text) if is_valid_id_number(m.group(0))}
    for code in sorted(c for c in codes if c):
        c = registry.by_code(code)
        if c:
            method = "uscc" if len(code) == 18 and c.uscc == code else "id_number"
            evidence.append(Evidence(c.id, c.name, method, 1.0, f"{method} {code}"))
    # 2./3. names
    customers = None
    for name in _party_names(doc_type, fields, organization):
        exact = registry.by_name(name)
        if exact:
            c, how = exact
            evidence.append(Evidence(c.id, c.name, how, 0.95 if how == "name" else 0.9, f"{how} {name}"))
            continue
        if customers is None:
            customers = [(c, [c.name] + [a.alias for a in c.aliases]) for c in registry.active()]
        scored = sorted(
            ((max(similarity(name, n) for n in names), c, names) for c, names in customers), key=lambda t: -t[0]
        )
        if not scored:
            continue
        best, c, names = scored[0]
        runner = scored[1][0] if len(scored) > 1 else 0.0
        misread = any(_one_char_misread(normalise_name(name), normalise_name(n)) for n in names)
        if (best >= FUZZY_MIN or misread) and best - runner >= FUZZY_MARGIN:
            evidence.append(
                Evidence(
                    c.id, c.name, "fuzzy_name", round(0.8 * best / 100, 3), f"fuzzy_name {name} ≈ {c.name} ({best:.0f})"
                )
            )
        elif best >= 70:
            near.append({"customer_id": c.id, "name": c.name, "score": round(best, 1), "from": name})
    # the contract family: an amendment, termination or acceptance record follows its contract's link
    if doc_type in FAMILY_TYPES and fields.get("contract_no"):
        row = session.execute(
            select(Document.customer_id, Document.link_method)
            .join(Field, Field.document_id == Document.id)
            .where(
                Field.name == "contract_no",
                Field.value == fields["contract_no"],
                Document.doc_type == "contract",
                Document.customer_id.is_not(None),
            )
        ).first()
        if row:
            c = registry.get(row.customer_id)
            if c:
                evidence.append(Evidence(c.id, c.name, "contract", 0.95, f"contract {fields['contract_no']}"))
    # 4. folder hints
    for hint in hints:
        c = registry.resolve(hint)
        if c:
            evidence.append(Evidence(c.id, c.name, "folder", 0.9, f"folder {hint}"))
            break
    return evidence, near


def decide(
    evidence: list[Evidence],
    near: list[dict],
    doc_type: str | None,
    fields: dict[str, str | None],
    organization: tuple[str, ...],
) -> CustomerLink:
    by_customer: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_customer.setdefault(e.customer_id, []).append(e)
    if len(by_customer) > 1:
        cands = [
            {"customer_id": cid, "name": es[0].customer_name, "evidence": [e.detail for e in es]}
            for cid, es in by_customer.items()
        ]
        return CustomerLink(
            None,
            None,
            0.0,
            "conflict: evidence points to " + " / ".join(f"{c['name']} ({', '.join(c['evidence'])})" for c in cands),
            cands,
        )
    if by_customer:
        [(cid, es)] = by_customer.items()
        best = max(es, key=lambda e: e.confidence)
        return CustomerLink(cid, best.method, best.confidence, "; ".join(e.detail for e in es))
    if (
        doc_type == "business_license"
        and fields.get("uscc")
        and fields.get("name")
        and not is_ours(fields["name"], organization)
    ):
        return CustomerLink(
            None,
            "created_from_license",
            1.0,
            f"new customer from licence {fields['uscc']}",
            create_from_license=dict(fields),
        )
    reason = "no customer matches" + (f"; close: {', '.join(n['name'] for n in near)}" if near else "")
    return CustomerLink(None, None, 0.0, reason, near[:3])


def hints_for(folder_hint: str | None, customer_hint: str | None) -> list[str]:
    """What the arrival says about the customer: `--customer` first, then folders from the deepest up."""
    out = [customer_hint] if customer_hint else []
    if folder_hint:
        out += list(reversed([p for p in folder_hint.split("/") if p and p != "."]))
    return out


def link_document(session, doc: Document, pages: list[str], hints: list[str], organization: tuple[str, ...]) -> dict:
    """Compute and store ``doc``'s customer link (a manual link is never touched). Returns what changed."""
    import json

    if doc.link_origin == "manual":
        return {}
    registry = Registry(session, organization)
    fields = {f.name: f.value for f in doc.fields}
    evidence, near = find_evidence(doc.doc_type, fields, "\n".join(pages), hints, registry, session, organization)
    link = decide(evidence, near, doc.doc_type, fields, organization)
    if link.create_from_license is not None:
        f = link.create_from_license
        c = registry.add(
            f["name"],
            uscc=f["uscc"],
            source="created_from_license",
            **{
                k: f[k]
                for k in ("entity_type", "legal_representative", "registered_capital", "established_on", "address")
                if f.get(k)
            },
        )
        link.customer_id, link.reason = c.id, f"{link.reason}: {c.name}"
    before = (doc.customer_id, doc.link_method)
    doc.customer_id = link.customer_id
    doc.link_method = link.method if link.customer_id else None
    doc.link_confidence = link.confidence if link.customer_id else None
    doc.link_reason = link.reason
    doc.link_origin = "auto"
    doc.link_candidates = json.dumps(link.candidates, ensure_ascii=False) if link.candidates else None
    after = (doc.customer_id, doc.link_method)
    changed = (
        {"customer_id": [before[0], after[0]], "method": after[1], "reason": link.reason} if before != after else {}
    )
    if link.create_from_license is not None:
        changed["created_customer"] = link.customer_id
    if changed:
        doc.revision = (doc.revision or 1) + 1
    return changed

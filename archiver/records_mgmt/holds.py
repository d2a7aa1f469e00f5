"""Legal holds: which documents each active hold covers, evaluated now (so later documents are covered too).

A hold on a customer covers every document linked to that customer, present and future. A hold on a
contract family covers the documents that carry its contract number (the contract, amendments,
termination, acceptance records), the customer's guarantees and authorizations, and letters and minutes
that mention the number. Holds stack: a document is free only when every hold on it is released.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Document, Field, Hold, Page

FAMILY_BY_CUSTOMER = ("guarantee", "authorization")
FAMILY_BY_MENTION = ("correspondence", "negotiation_record")


def covered_ids(s: Session, hold: Hold) -> set[str]:
    if hold.scope == "documents":
        return set(json.loads(hold.target))
    if hold.scope == "customer":
        return set(s.execute(select(Document.id).where(Document.customer_id == hold.target)).scalars())
    # contract family
    no = hold.target
    ids = set(s.execute(select(Field.document_id).where(Field.name == "contract_no", Field.value == no)).scalars())
    customers = set(
        s.execute(select(Document.customer_id).where(Document.id.in_(ids), Document.customer_id.is_not(None))).scalars()
    )
    if customers:
        ids |= set(
            s.execute(
                select(Document.id).where(
                    Document.customer_id.in_(customers), Document.doc_type.in_(FAMILY_BY_CUSTOMER)
                )
            ).scalars()
        )
    ids |= set(
        s.execute(
            select(Page.document_id)
            .join(Document, Document.id == Page.document_id)
            .where(Document.doc_type.in_(FAMILY_BY_MENTION), Page.text.contains(no))
        ).scalars()
    )
    return ids


def active_holds(s: Session) -> list[Hold]:
    return list(s.execute(select(Hold).where(Hold.released_at.is_(None)).order_by(Hold.placed_at)).scalars())


def holds_by_document(s: Session) -> dict[str, list[Hold]]:
    out: dict[str, list[Hold]] = {}
    for h in active_holds(s):
        for doc_id in covered_ids(s, h):
            out.setdefault(doc_id, []).append(h)
    return out


def hold_json(h: Hold, covered: int | None = None) -> dict:
    out = {
        "id": h.id,
        "matter": h.matter,
        "reason": h.reason,
        "scope": h.scope,
        "target": json.loads(h.target) if h.scope == "documents" else h.target,
        "placed_at": h.placed_at,
        "placed_by": h.placed_by,
        "released_at": h.released_at,
        "released_by": h.released_by,
        "release_reason": h.release_reason,
    }
    if covered is not None:
        out["documents"] = covered
    return out

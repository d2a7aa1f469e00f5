"""Writing a document's type and fields to the catalog, keeping what a person set by hand."""

from __future__ import annotations

import json

from ..understand import Understanding
from .models import Document, Field


def apply_understanding(doc: Document, u: Understanding) -> dict:
    """Set type and extracted fields on ``doc``; manual type and manual fields stay. Returns what changed."""
    c = u.classification
    changed: dict = {}
    if doc.type_origin != "manual":
        if doc.doc_type != c.doc_type:
            changed["doc_type"] = [doc.doc_type, c.doc_type]
        doc.doc_type = c.doc_type
        doc.type_confidence = c.confidence
        doc.type_reason = c.reason
        doc.type_candidates = json.dumps([[t, round(s, 2)] for t, s in c.candidates], ensure_ascii=False)
    manual = {f.name for f in doc.fields if f.origin == "manual"}
    old = {f.name: f.value for f in doc.fields if f.origin != "manual"}
    doc.fields[:] = [f for f in doc.fields if f.origin == "manual"]
    for fv in u.fields.values():
        if fv.name in manual:
            continue
        doc.fields.append(
            Field(
                name=fv.name,
                value=fv.value,
                page=fv.page,
                evidence=fv.evidence,
                confidence=fv.confidence,
                note=fv.note,
                origin="extracted",
            )
        )
    new = {k: v.value for k, v in u.fields.items() if k not in manual}
    if old != new:
        changed["fields"] = sorted(set(old) ^ set(new) | {k for k in old.keys() & new.keys() if old[k] != new[k]})
    if changed:
        doc.revision = (doc.revision or 1) + 1
    return changed


def fields_view(doc: Document) -> tuple[dict, dict]:
    """``fields`` and ``field_sources`` as ``show --json`` gives them."""
    values = {f.name: f.value for f in doc.fields}
    sources = {
        f.name: {"page": f.page, "text": f.evidence, "confidence": f.confidence, "note": f.note, "origin": f.origin}
        for f in doc.fields
    }
    return values, sources

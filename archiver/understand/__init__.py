"""Understanding documents: what a document is (classify) and the fields people search and argue about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .classify import Classification, TypeRules, classify, load_rules
from .fields import FieldRules, FieldValue, extract_fields, load_field_rules

# The fields that date a document, most telling first (signing over issue over registration).
DOCUMENT_DATE_FIELDS = (
    "signed_on",
    "issued_on",
    "sent_on",
    "paid_on",
    "accepted_on",
    "held_on",
    "notarized_on",
    "prepared_on",
    "registered_on",
    "valid_from",
    "established_on",
)


def document_date(fields: dict[str, str | None]) -> str | None:
    """The document's own date (ISO), or None when no dating field was found."""
    return next((fields[k] for k in DOCUMENT_DATE_FIELDS if fields.get(k)), None)


DOCTYPES_NAME = "doctypes.toml"
HEAD_PAGES, TAIL_PAGES = 10, 5
FIELDS_NAME = "fields.toml"


@dataclass(frozen=True)
class Rules:
    types: TypeRules
    fields: FieldRules


@dataclass(frozen=True)
class Understanding:
    classification: Classification
    fields: dict[str, FieldValue]


def load(config_dir: Path, fallback_dir: Path) -> Rules:
    """The home's own rule files when present (records managers edit those), else the shipped defaults."""

    def pick(name: str) -> Path:
        own = config_dir / name
        return own if own.is_file() else fallback_dir / name

    return Rules(load_rules(pick(DOCTYPES_NAME)), load_field_rules(pick(FIELDS_NAME)))


def understand(pages: list[str], mime: str | None, meta: dict | None, rules: Rules) -> Understanding:
    c = classify(pages, rules.types, mime)
    # Key fields stand on the first pages and the signature pages; a 500-page annex is not searched for them.
    if len(pages) > HEAD_PAGES + TAIL_PAGES:
        pages = [p if i < HEAD_PAGES or i >= len(pages) - TAIL_PAGES else "" for i, p in enumerate(pages)]
    fields = extract_fields(c.doc_type, pages, rules.fields, rules.types, meta) if c.doc_type else {}
    return Understanding(c, fields)


__all__ = ["Classification", "FieldValue", "Rules", "Understanding", "load", "understand"]

"""Retention: how long each document is kept and from which event, under ``retention.toml``.

Computed from the current catalog every time it is asked for, so a changed field, a customer's closed
relationship or an edited policy is reflected at once. A record that another relies on (an amendment,
a guarantee, an authorization, a letter about a contract) is kept at least as long as that one. A
missing trigger date means "not due", never "due".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..understand import DOCUMENT_DATE_FIELDS


@dataclass(frozen=True)
class Policy:
    name: str
    years: int | None
    permanent: bool
    trigger: str
    fallback_years: int | None
    follows_contract: bool
    source: str
    basis: str


@dataclass(frozen=True)
class DocFacts:
    """What retention needs to know about one document."""

    id: str
    doc_type: str | None
    fields: dict[str, str | None]
    ingested_at: str
    customer_id: str | None
    text: str = ""


@dataclass
class Context:
    """The rest of the archive a document's retention may depend on."""

    today: date
    customer_closed_on: dict[str, str | None] = field(default_factory=dict)  # customer id → closed_on or None
    contracts: list[DocFacts] = field(default_factory=list)
    terminations: list[DocFacts] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionInfo:
    policy: str
    trigger: str | None  # what the period actually counts from (a fallback says so)
    starts_on: date | None
    dispose_after: date | None
    permanent: bool
    reason: str
    source: str

    @property
    def known(self) -> bool:
        return self.permanent or self.dispose_after is not None

    def is_due(self, today: date) -> bool:
        return not self.permanent and self.dispose_after is not None and self.dispose_after < today

    def to_json(self) -> dict:
        return {
            "policy": self.policy,
            "trigger": self.trigger,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "dispose_after": self.dispose_after.isoformat() if self.dispose_after else None,
            "permanent": self.permanent,
            "reason": self.reason,
            "source": self.source,
        }


def load_policies(path: Path) -> dict[str, Policy]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))["policies"]
    return {
        name: Policy(
            name,
            p.get("years"),
            bool(p.get("permanent", False)),
            p.get("trigger", "document_date"),
            p.get("fallback_years"),
            bool(p.get("follows_contract", False)),
            p.get("source", ""),
            p.get("basis", ""),
        )
        for name, p in data.items()
    }


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _d(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _doc_date(f: DocFacts) -> tuple[date | None, str | None]:
    for name in DOCUMENT_DATE_FIELDS:
        d = _d(f.fields.get(name))
        if d:
            return d, name
    return None, None


def _contract_end(c: DocFacts, ctx: Context) -> tuple[date | None, str]:
    """A contract's end: term_end, or an earlier termination, else signed_on, else ingest — saying which."""
    end, how = _d(c.fields.get("term_end")), "term_end"
    no = c.fields.get("contract_no")
    for t in ctx.terminations:
        ended = _d(t.fields.get("terminated_on"))
        if no and t.fields.get("contract_no") == no and ended and (end is None or ended < end):
            end, how = ended, "terminated_on (earlier than term_end)"
    if end is None:
        end, how = _d(c.fields.get("signed_on")), "signed_on (no term_end)"
    if end is None:
        end, how = _d(c.ingested_at), "ingest (no term_end or signed_on)"
    return end, how


def _contract_by_no(no: str | None, ctx: Context) -> DocFacts | None:
    return next((c for c in ctx.contracts if no and c.fields.get("contract_no") == no), None)


def compute(f: DocFacts, policies: dict[str, Policy], ctx: Context, _depth: int = 0) -> RetentionInfo:
    name = f.doc_type or "unclassified"
    p = policies.get(name) or policies["other"]
    if p.permanent:
        return RetentionInfo(p.name, None, None, None, True, "permanent", p.source)
    years = p.years or 0
    start, trigger = None, None
    if p.trigger == "term_end":
        start, trigger = _contract_end(f, ctx)
    elif p.trigger in ("inherit_contract", "related_contract"):
        c = _contract_by_no(f.fields.get("contract_no"), ctx)
        if c is not None and _depth == 0:
            inherited = compute(c, policies, ctx, _depth + 1)
            return RetentionInfo(
                p.name,
                f"contract {c.fields.get('contract_no')}: {inherited.trigger}",
                inherited.starts_on,
                inherited.dispose_after,
                inherited.permanent,
                f"as the contract it relates to ({c.id})",
                p.source,
            )
        start, trigger = _doc_date(f)
        if p.fallback_years:
            years = p.fallback_years
        trigger = f"{trigger} (no related contract archived)" if trigger else None
    elif p.trigger == "guarantee":
        start, trigger = _d(f.fields.get("valid_to")), "valid_to"
    elif p.trigger == "authorization":
        valid_from, valid_to = _d(f.fields.get("valid_from")), _d(f.fields.get("valid_to"))
        signed_under = [
            c
            for c in ctx.contracts
            if c.customer_id
            and c.customer_id == f.customer_id
            and (s := _d(c.fields.get("signed_on")))
            and (valid_from is None or s >= valid_from)
            and (valid_to is None or s <= valid_to)
        ]
        ends = [e for c in signed_under if (e := _contract_end(c, ctx)[0])]
        if ends and (valid_to is None or max(ends) > valid_to):
            start, trigger = max(ends), "end of contracts signed under it"
        elif valid_to:
            start, trigger = valid_to, "valid_to"
            if not signed_under and p.fallback_years:
                years, trigger = p.fallback_years, "valid_to (no contract signed under it)"
    elif p.trigger == "relationship_end":
        closed = ctx.customer_closed_on.get(f.customer_id or "")
        start, trigger = (_d(closed), "customer relationship ended") if closed else (None, None)
    elif p.trigger == "fiscal_year_end":
        paid = _d(f.fields.get("paid_on")) or _doc_date(f)[0]
        start, trigger = (date(paid.year + 1, 1, 1), "day after the fiscal year of payment") if paid else (None, None)
    elif p.trigger == "ingest":
        start, trigger = _d(f.ingested_at), "ingest"
    else:  # document_date
        start, trigger = _doc_date(f)
    dispose_after = add_years(start, years) if start else None
    reason = f"{years} years from {trigger}" if start else "trigger date unknown: not due"
    # A record another relies on is kept at least as long as that one.
    if _depth == 0:
        relied = _relied_on_contracts(f, p, ctx)
        for c in relied:
            other = compute(c, policies, ctx, _depth + 1)
            if other.dispose_after and (dispose_after is None or other.dispose_after > dispose_after) and start:
                dispose_after = other.dispose_after
                reason += f"; kept as long as contract {c.fields.get('contract_no') or c.id}"
    return RetentionInfo(p.name, trigger, start, dispose_after, False, reason, p.source)


def _relied_on_contracts(f: DocFacts, p: Policy, ctx: Context) -> list[DocFacts]:
    if f.doc_type in ("business_license", "identity_document", "guarantee") and f.customer_id:
        return [c for c in ctx.contracts if c.customer_id == f.customer_id]
    if p.follows_contract:
        nos = {c.fields.get("contract_no") for c in ctx.contracts if c.fields.get("contract_no")}
        mentioned = {no for no in nos if no and re.search(re.escape(no), f.text)}
        return [c for c in ctx.contracts if c.fields.get("contract_no") in mentioned]
    return []

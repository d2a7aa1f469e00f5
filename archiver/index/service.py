"""Keeping the index in step with the catalog, and searching it. Whoosh stays behind this interface.

The catalog is the source of truth: every document has a revision that changes with anything the index
shows (text, type, fields, customer link, holds, disposal). `sync()` writes what is missing or stale —
after every change, and at start-up, which repairs a crash between a catalog commit and its index write.
`reindex()` works in batches, each its own commit, so it resumes and never holds the archive in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..catalog.models import Customer, CustomerAlias, Document, Field, Page
from ..customers.registry import Registry
from ..errors import UsageError
from ..records_mgmt.holds import holds_by_document
from ..understand import DOCUMENT_DATE_FIELDS, document_date
from ..understand.classify import DOC_TYPES
from ..understand.normalise import USCC_CANDIDATE_RE, is_valid_uscc
from .phrase import apply_filters
from .query import Parsed, date_range, joined, parse, snippet_parts
from .whoosh_index import PageDoc, SearchIndex, find

BATCH = 500
PARTY_FIELDS = (
    "party_a",
    "party_b",
    "principal",
    "agent",
    "guarantor",
    "beneficiary",
    "payer",
    "payee",
    "sender",
    "recipient",
    "participants",
    "name",
)
CODE_FIELDS = ("uscc", "id_number", "agent_id_number", "voucher_no", "reference_no", "certificate_no")
TYPE_ALIASES = {
    "合同": "contract",
    "协议": "contract",
    "补充协议": "contract_amendment",
    "变更协议": "contract_amendment",
    "解除协议": "contract_termination",
    "营业执照": "business_license",
    "授权委托书": "authorization",
    "身份证明": "identity_document",
    "担保函": "guarantee",
    "公证书": "notarization",
    "验收记录": "acceptance_record",
    "凭证": "payment_voucher",
    "收付款凭证": "payment_voucher",
    "函件": "correspondence",
    "会议纪要": "negotiation_record",
    "谈判记录": "negotiation_record",
    "可行性研究报告": "feasibility_report",
    "其他": "other",
}


MAX_PAGES = 300  # matching pages collected per search; ranking is among these (see whoosh_index.find)


@dataclass(frozen=True)
class Matches:
    literals: list[str]  # what to highlight
    ranked: list[dict]  # {"id", "score", "pages"}, best first
    complete: bool = True  # False: more pages match than were collected
    estimate: int = 0  # matching pages: exact when complete, else the index's upper bound


def resolve_type(value: str) -> str:
    v = value.strip().lower()
    if v in DOC_TYPES:
        return v
    if value.strip() in TYPE_ALIASES:
        return TYPE_ALIASES[value.strip()]
    raise UsageError(f"unknown document type {value!r}; one of {', '.join(DOC_TYPES)}", f"未知的文档类型 {value!r}")


class IndexService:
    def __init__(self, archive):
        self.a = archive
        self.index = SearchIndex(archive.cfg.index)

    # ------------------------------------------------------------------ writing
    def _page_docs(self, s, doc_ids: list[str]) -> tuple[list[PageDoc], list[str]]:
        docs = list(s.execute(select(Document).where(Document.id.in_(doc_ids))).scalars())
        held = holds_by_document(s)
        fields: dict[str, dict[str, str | None]] = {}
        for doc_id, name, value in s.execute(
            select(Field.document_id, Field.name, Field.value).where(Field.document_id.in_(doc_ids))
        ):
            fields.setdefault(doc_id, {})[name] = value
        customer_ids = {d.customer_id for d in docs if d.customer_id}
        names: dict[str, list[str]] = {}
        for cid, name in s.execute(select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))):
            names.setdefault(cid, []).append(name)
        for cid, alias in s.execute(
            select(CustomerAlias.customer_id, CustomerAlias.alias).where(CustomerAlias.customer_id.in_(customer_ids))
        ):
            names.setdefault(cid, []).append(alias)
        pages: list[PageDoc] = []
        gone: list[str] = []
        for d in docs:
            if d.status != "active":
                gone.append(d.id)
                continue
            f = fields.get(d.id, {})
            doc_date = document_date(f) or d.ingested_at[:10]
            common = dict(
                doc_id=d.id,
                revision=d.revision,
                customer="\n".join(names.get(d.customer_id or "", [])),
                parties="\n".join(v for k in PARTY_FIELDS if (v := f.get(k))),
                doc_type=d.doc_type or "",
                customer_id=d.customer_id or "",
                contract_no=f.get("contract_no") or "",
                codes=[v for k in CODE_FIELDS if (v := f.get(k))],
                doc_date=doc_date,
                signed_on=f.get("signed_on") or "",
                ingested_on=d.ingested_at[:10],
                held=d.id in held,
            )
            texts = list(
                s.execute(select(Page.number, Page.text).where(Page.document_id == d.id).order_by(Page.number))
            )
            # every valid USCC in the text is a code of the document too (a contract names both parties')
            common["codes"] = common["codes"] + sorted(
                {m.group(0) for _n, t in texts for m in USCC_CANDIDATE_RE.finditer(t) if is_valid_uscc(m.group(0))}
            )
            if not texts:  # no text (an unreadable attachment): still findable by name, customer, fields
                texts = [(1, d.original_name)]
            for number, text in texts:
                pages.append(
                    PageDoc(page=number, content=f"{d.original_name}\n{text}" if number == 1 else text, **common)
                )
        return pages, gone

    def update(self, doc_ids: Iterable[str]) -> int:
        ids = sorted(set(doc_ids))
        written = 0
        for i in range(0, len(ids), BATCH):
            with self.a.sessions() as s:
                pages, gone = self._page_docs(s, ids[i : i + BATCH])
            written += self.index.write(pages, gone)
        return written

    def stale(self) -> tuple[list[str], list[str], list[str]]:
        """(missing from the index, stale in it, in it but not active in the catalog)."""
        with self.a.sessions() as s:
            catalog = dict(s.execute(select(Document.id, Document.revision).where(Document.status == "active")).all())
        indexed = self.index.revisions()
        missing = sorted(set(catalog) - set(indexed))
        stale = sorted(d for d in set(catalog) & set(indexed) if indexed[d] != catalog[d])
        extra = sorted(set(indexed) - set(catalog))
        return missing, stale, extra

    def sync(self, progress: Callable[[int, int], None] | None = None) -> dict:
        if self.index.open():
            pass  # created or rebuilt for a new schema/analyzer version: everything is missing
        missing, stale, extra = self.stale()
        todo = missing + stale
        for i in range(0, len(todo), BATCH):
            self.update(todo[i : i + BATCH])
            if progress:
                progress(min(i + BATCH, len(todo)), len(todo))
        if extra:
            self.index.write([], extra)
        return {"indexed": len(todo), "removed": len(extra)}

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> dict:
        self.index.clear()
        return self.sync(progress)

    # ------------------------------------------------------------------ searching
    def match(
        self,
        text: str,
        customer: str | None = None,
        doc_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cap: int = MAX_PAGES,
    ) -> Matches:
        """Every matching document (ranked by its best page) with the pages that matched.

        An empty ``text`` with a filter lists what the filter selects (a customer's documents, a type)."""
        from whoosh import query as Q

        if text.strip() or not (customer or doc_type or date_from or date_to):
            parsed = parse(text, resolve_type)
        else:
            parsed = Parsed(Q.Every(), [], [])
        filters = []
        refs = parsed.customer_refs + ([customer] if customer else [])
        with self.a.sessions() as s:
            registry = Registry(s, self.a.cfg.organization_names)
            for ref in refs:
                c = registry.resolve(ref)
                if c is None:
                    raise UsageError(f"no customer {ref!r} (name, alias, code or id)", f"找不到客户 {ref!r}")
                filters.append(("customer_id", c.id))

        q = parsed.query
        extra = [Q.Term(f, v) for f, v in filters]
        if doc_type:
            extra.append(Q.Term("doc_type", resolve_type(doc_type)))
        if date_from or date_to:
            extra.append(date_range("doc_date", date_from, date_to))
        if extra:
            q = apply_filters(q, extra)
        keep = None
        if parsed.due is not None:  # retention depends on other documents and today: ask the catalog
            due_ids = {r["id"] for r in self.a.records.report(due_only=True)}
            keep = (lambda i: i in due_ids) if parsed.due else (lambda i: i not in due_ids)
        grouped: dict[str, dict] = {}
        with self.index.ix.searcher() as searcher:
            found = find(searcher, q, cap, keep)
        for doc_id, page, score in found.hits:
            g = grouped.setdefault(doc_id, {"id": doc_id, "score": 0.0, "pages": []})
            g["score"] = max(g["score"], score)
            g["pages"].append(page)
        ranked = sorted(grouped.values(), key=lambda g: -g["score"])
        return Matches(parsed.literals, ranked, found.complete, found.estimate)

    def describe(self, ranked: list[dict], literals: list[str], parts: bool = False) -> list[dict]:
        """Search results as `search --json` gives them: type, customer, and a snippet per matching page."""
        out = []
        with self.a.sessions() as s:
            for g in ranked:
                d = s.get(Document, g["id"])
                if d is None:
                    continue
                c = s.get(Customer, d.customer_id) if d.customer_id else None
                hits = []
                for page in sorted(g["pages"]):
                    text = s.execute(select(Page.text).where(Page.document_id == d.id, Page.number == page)).scalar()
                    found = snippet_parts(text or "", literals)
                    hit: dict = {"page": page, "snippet": joined(found)}
                    if parts:
                        hit["parts"] = found
                    hits.append(hit)
                row = {
                    "id": d.id,
                    "score": round(g["score"], 3),
                    "doc_type": d.doc_type,
                    "original_name": d.original_name,
                    "customer": {"id": c.id, "name": c.name} if c else None,
                    "hits": hits,
                }
                if parts:
                    fields = dict(s.execute(select(Field.name, Field.value).where(Field.document_id == d.id)).all())
                    row["date"] = document_date(fields) or d.ingested_at[:10]
                out.append(row)
        return out

    def facets(self, doc_ids: list[str]) -> dict:
        """Counts of the matching documents by type, customer and year (of the document's own date)."""
        by_type: dict[str, int] = {}
        by_customer: dict[str, dict] = {}
        by_year: dict[str, int] = {}
        with self.a.sessions() as s:
            for i in range(0, len(doc_ids), BATCH):
                chunk = doc_ids[i : i + BATCH]
                fields: dict[str, dict] = {}
                for doc_id, name, value in s.execute(
                    select(Field.document_id, Field.name, Field.value).where(
                        Field.document_id.in_(chunk), Field.name.in_(DOCUMENT_DATE_FIELDS)
                    )
                ):
                    fields.setdefault(doc_id, {})[name] = value
                rows = s.execute(
                    select(Document.id, Document.doc_type, Document.ingested_at, Customer.id, Customer.name)
                    .outerjoin(Customer, Customer.id == Document.customer_id)
                    .where(Document.id.in_(chunk))
                )
                for doc_id, doc_type, ingested_at, cid, cname in rows:
                    key = doc_type or ""
                    by_type[key] = by_type.get(key, 0) + 1
                    c = by_customer.setdefault(cid or "", {"id": cid, "name": cname, "count": 0})
                    c["count"] += 1
                    year = (document_date(fields.get(doc_id, {})) or ingested_at)[:4]
                    by_year[year] = by_year.get(year, 0) + 1
        return {
            "doc_type": sorted(by_type.items(), key=lambda kv: -kv[1]),
            "customer": sorted(by_customer.values(), key=lambda c: -c["count"]),
            "year": sorted(by_year.items(), reverse=True),
        }

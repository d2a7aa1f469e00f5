"""The search index on Whoosh: one index document per page, rebuilt from the catalog at any time.

Each page carries its document's fields (type, customer with aliases, contract number, codes, parties,
dates) so filters need no join. Every index document records the catalog revision it was built from:
`stale()` compares them, so a crash between a catalog commit and the index write is found and repaired
at the next start, and `verify` reports what is missing or out of date. The schema and analyzer version
live in ``version.json``; a change rebuilds the index. Writes from threads of one process queue on a
lock; other processes wait on Whoosh's own lock instead of failing.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.collectors import UnlimitedCollector, WrappingCollector
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import ANALYZER_VERSION, analyzer

SCHEMA_VERSION = 4  # 3: dates as numbers, plus year and month terms; 4: no numeric tiers (8 terms a value)
WRITER_TIMEOUT = 120.0


def make_schema() -> Schema:
    a = analyzer()
    return Schema(
        key=ID(unique=True, stored=True),  # "<doc id>:<page>"
        doc_id=ID(stored=True),
        page=NUMERIC(stored=True),
        revision=STORED(),
        content=TEXT(analyzer=a, phrase=True),
        customer=TEXT(analyzer=a, phrase=True),  # name and aliases: found even when the text never names them
        parties=TEXT(analyzer=a, phrase=True),
        doc_type=ID(stored=True),
        customer_id=ID(stored=True),
        contract_no=ID(),
        codes=ID(),  # USCC / ID numbers / voucher and reference numbers, upper-cased
        # YYYYMMDD; shift_step=0: one term per value — ranges here span at most the days of a month's edge
        doc_date=NUMERIC(int, bits=32, signed=False, shift_step=0),
        doc_year=ID(),  # "2024": whole years of a range
        doc_month=ID(),  # "2024-03": whole months of a range
        signed_on=NUMERIC(int, bits=32, signed=False, shift_step=0),
        ingested_on=NUMERIC(int, bits=32, signed=False, shift_step=0),
        held=ID(),  # "yes" / "no"
    )


@dataclass(frozen=True)
class PageDoc:
    doc_id: str
    page: int
    revision: int
    content: str
    customer: str
    parties: str
    doc_type: str
    customer_id: str
    contract_no: str
    codes: list[str]
    doc_date: str  # ISO dates, "" when unknown
    signed_on: str
    ingested_on: str
    held: bool

    def dates(self) -> dict[str, int | None]:
        return {k: date_number(getattr(self, k)) for k in ("doc_date", "signed_on", "ingested_on")}


def date_number(iso: str | None) -> int | None:
    """2024-03-05 → 20240305 (the index's form of a date); None for no date."""
    return int(iso[:10].replace("-", "")) if iso and len(iso) >= 10 and iso[:10].replace("-", "").isdigit() else None


class SearchIndex:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._ix = None

    @property
    def version(self) -> dict:
        return {"schema": SCHEMA_VERSION, "analyzer": ANALYZER_VERSION}

    def open(self) -> bool:
        """Open (creating or rebuilding as needed). True when the index was (re)created empty."""
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "version.json"
        current = json.loads(marker.read_text()) if marker.is_file() else None
        if current == self.version and whoosh_index.exists_in(str(self.path)):
            self._ix = whoosh_index.open_dir(str(self.path))
            return False
        for child in self.path.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        self._ix = whoosh_index.create_in(str(self.path), make_schema())
        marker.write_text(json.dumps(self.version))
        return True

    @property
    def ix(self):
        if self._ix is None:
            self.open()
        return self._ix

    def write(self, pages: Iterable[PageDoc], delete_doc_ids: Iterable[str] = ()) -> int:
        """Replace the pages of the given documents (and drop deleted ones) in one commit."""
        pages = list(pages)
        docs = {p.doc_id for p in pages} | set(delete_doc_ids)
        if not docs:
            return 0
        with self._lock:
            w = self.ix.writer(timeout=WRITER_TIMEOUT)
            try:
                for doc_id in docs:
                    w.delete_by_term("doc_id", doc_id)
                for p in pages:
                    dates = {k: v for k, v in p.dates().items() if v is not None}
                    if p.doc_date:
                        dates.update(doc_year=p.doc_date[:4], doc_month=p.doc_date[:7])
                    w.add_document(
                        **dates,
                        key=f"{p.doc_id}:{p.page}",
                        doc_id=p.doc_id,
                        page=p.page,
                        revision=p.revision,
                        content=p.content,
                        customer=p.customer,
                        parties=p.parties,
                        doc_type=p.doc_type,
                        customer_id=p.customer_id,
                        contract_no=p.contract_no.lower(),
                        codes=" ".join(c.upper() for c in p.codes),
                        held="yes" if p.held else "no",
                    )
                # a small update appends a segment; merging is left to larger writes (reindex, sync)
                w.commit(merge=len(pages) > 200)
            except BaseException:
                w.cancel()
                raise
        self._ix = None  # reopen to see the new segment
        return len(pages)

    def revisions(self) -> dict[str, int]:
        """doc id → the catalog revision the index holds for it."""
        out: dict[str, int] = {}
        with self.ix.searcher() as s:
            for fields in s.all_stored_fields():
                out[fields["doc_id"]] = fields.get("revision", -1)
        return out

    def clear(self) -> None:
        with self._lock:
            self._ix = whoosh_index.create_in(str(self.path), make_schema())


@dataclass(frozen=True)
class Found:
    hits: list[tuple[str, int, float]]  # (doc id, page, score), best first
    complete: bool  # False: stopped at the cap; there are more matching pages
    estimate: int  # an upper bound on matching pages (exact when complete)


class CappedCollector(WrappingCollector):
    """Collects (and scores) matching pages until ``cap`` of them are found, then stops.

    A phrase that stands in most of a 100,000-document archive would otherwise have every one of its pages
    position-checked and scored before the first result is shown. Ranking happens among the pages found;
    the count is then "at least", with the query's own size estimate beside it.
    """

    def __init__(self, child, cap: int, keep: Callable[[str], bool] | None = None):
        self.child = child
        self.cap = cap
        self.keep = keep  # a test on the document id, for what the index does not hold (retention)
        self.found = 0

    def collect_matches(self):
        child = self.child
        for sub_docnum in child.matches():
            if self.found >= self.cap:
                return
            if self.keep is not None and not self.keep(child.subsearcher.stored_fields(sub_docnum)["doc_id"]):
                continue
            child.collect(sub_docnum)
            self.found += 1


def find(searcher, query, cap: int, keep: Callable[[str], bool] | None = None) -> Found:
    """Run ``query`` with the cap; hits carry their document id and page number."""
    capped = CappedCollector(UnlimitedCollector(), cap + 1, keep)  # one more than the cap tells "there is more"
    searcher.search_with_collector(query, capped)
    results = capped.results()
    complete = capped.found <= cap
    hits = []
    for i, hit in enumerate(results):
        if i >= cap:
            break
        fields = hit.fields()
        hits.append((fields["doc_id"], fields["page"], hit.score))
    estimate = len(hits) if complete else max(len(hits), query.estimate_size(searcher.reader()))
    return Found(hits, complete, estimate)

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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import ANALYZER_VERSION, analyzer

SCHEMA_VERSION = 1
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
        doc_date=ID(stored=True),  # YYYY-MM-DD: range queries compare as text
        signed_on=ID(),
        ingested_on=ID(),
        dispose_after=ID(),
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
    doc_date: str
    signed_on: str
    ingested_on: str
    dispose_after: str
    held: bool


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
                    w.add_document(
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
                        doc_date=p.doc_date,
                        signed_on=p.signed_on,
                        ingested_on=p.ingested_on,
                        dispose_after=p.dispose_after,
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

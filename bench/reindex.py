"""`archiver reindex` at scale: N synthetic documents (~3 KB of contract text, the same generator as
bench/search.py) written straight into a real catalog, then the product's own reindex — catalog reads,
page documents, batched Whoosh commits — timed, with the process's peak RSS.

Usage: python bench/reindex.py [N]   (default 20000; the issue's target is 100,000 in ≤ 30 minutes)
"""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import subprocess
import sys
import time

from common import OUT, ROOT
from search import make_docs  # same synthetic documents as the search benchmark


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    home = OUT / f"reindex-home-{n}"
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "archiver", "init", "--home", str(home)], check=True, cwd=ROOT)

    from sqlalchemy import insert

    from archiver.catalog.models import Customer, Document, Field, Page
    from archiver.core import Archive

    archive = Archive.open(home)
    docs = make_docs(n)
    customers = sorted({d["customer"] for d in docs})
    cid = {name: f"C{i:04d}" for i, name in enumerate(customers)}
    start = time.perf_counter()
    with archive.sessions.begin() as s:
        s.execute(
            insert(Customer),
            [
                {"id": cid[c], "kind": "enterprise", "name": c, "status": "active", "source": "import",
                 "created_at": "2026-01-01T00:00:00+08:00"}
                for c in customers
            ],
        )  # fmt: skip
        for i in range(0, n, 5000):
            chunk = docs[i : i + 5000]
            s.execute(
                insert(Document),
                [
                    {"id": d["id"], "sha256": hashlib.sha256(d["id"].encode()).hexdigest(), "size": len(d["text"]),
                     "original_name": f"{d['id']}.pdf", "mime": "application/pdf", "page_count": 1,
                     "text_source": "text_layer", "ingested_at": d["date"] + "T09:00:00+08:00", "status": "active",
                     "doc_type": d["type"], "customer_id": cid[d["customer"]], "revision": 1}
                    for d in chunk
                ],
            )  # fmt: skip
            s.execute(
                insert(Page),
                [
                    {"document_id": d["id"], "number": 1, "raw_text": d["text"], "text": d["text"],
                     "source": "text_layer"}
                    for d in chunk
                ],
            )  # fmt: skip
            s.execute(
                insert(Field),
                [
                    {"document_id": d["id"], "name": "signed_on", "value": d["date"], "origin": "extracted"}
                    for d in chunk
                ],
            )
    load = time.perf_counter() - start
    print(f"catalog: {n} documents written in {load:.0f} s", flush=True)

    start = time.perf_counter()
    result = archive.index.reindex()
    took = time.perf_counter() - start
    size = sum(p.stat().st_size for p in archive.cfg.index.rglob("*") if p.is_file())
    missing, stale, _extra = archive.index.stale()
    out = {
        "documents": n,
        "reindex_s": round(took, 1),
        "docs_per_s": round(n / took, 1),
        "index_mb": round(size / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "indexed": result["indexed"],
        "missing_after": len(missing),
        "stale_after": len(stale),
    }
    print(json.dumps(out), flush=True)
    (OUT / f"reindex-{n}.json").write_text(json.dumps(out, indent=2))
    archive.close()


if __name__ == "__main__":
    main()

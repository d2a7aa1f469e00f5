"""Search at scale: a synthetic archive of N documents (~3 KB of mixed Chinese/English contract text each).

Usage: python bench/search.py [N]   (default 5000; the issue's target is 100,000 — see the README)
Reports index build docs/s and size, p50/p95 latency of term, phrase and filtered queries through
archiver's own search path (its query parser, then `whoosh_index.find`, which stops after MAX_PAGES
matching pages and ranks those — FTS5 below likewise answers `limit 20`), and side by side SQLite FTS5 with
the trigram tokenizer on the same texts and queries, with each engine's recall on the phrase queries
(a document counts as relevant when the phrase is a substring of its text).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import sys
import time

from common import CLAUSES, OUT

CUSTOMERS = [
    "华东精密机械有限公司",
    "江南纺织品进出口有限公司",
    "北京恒信达科技股份有限公司",
    "深圳市前海智联物流有限公司",
    "杭州西溪生物医药有限公司",
    "Northwind Trading Co., Ltd.",
]
EXTRA = [
    "货物验收合格后支付尾款",
    "乙方提供三年免费维保服务",
    "本合同附件为合同不可分割的组成部分",
    "双方应遵守保密义务",
    "The Seller warrants the goods are free from defects",
    "逾期交货的每日按合同总额千分之一支付违约金",
]
PHRASES = [
    "争议提交上海仲裁委员会",
    "不可抗力",
    "增值税专用发票",
    "千分之一支付违约金",
    "交上海仲",
    "免费维保",
    "free from defects",
    "同不可分割的组成",
]
TERMS = ["仲裁", "违约金", "维保", "defects", "华"]


def make_docs(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        parts = [CLAUSES[rnd.randrange(len(CLAUSES))].format(n=rnd.randint(1, 40)) for _ in range(14)]
        if rnd.random() < 0.3:
            parts.insert(rnd.randrange(len(parts)), rnd.choice(EXTRA))
        docs.append(
            {
                "id": f"d{i:06d}",
                "text": "\n".join(parts),
                "customer": rnd.choice(CUSTOMERS),
                "type": rnd.choice(["contract", "correspondence", "payment_voucher"]),
                "date": f"{rnd.randint(2015, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            }
        )
    return docs


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def bench_whoosh(docs, folder):
    from whoosh import query as Q

    from archiver.index.phrase import apply_filters
    from archiver.index.query import date_range, parse
    from archiver.index.service import MAX_PAGES, resolve_type
    from archiver.index.whoosh_index import PageDoc, SearchIndex, find

    shutil.rmtree(folder, ignore_errors=True)
    index = SearchIndex(folder)
    index.open()
    start = time.perf_counter()
    batch = []
    for d in docs:
        batch.append(
            PageDoc(
                doc_id=d["id"],
                page=1,
                revision=1,
                content=d["text"],
                customer=d["customer"],
                parties="",
                doc_type=d["type"],
                customer_id=d["customer"][:4],
                contract_no="",
                codes=[],
                doc_date=d["date"],
                signed_on="",
                ingested_on=d["date"],
                held=False,
            )
        )
        if len(batch) == 1000:
            index.write(batch)
            batch = []
    if batch:
        index.write(batch)
    build = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    timings = {"term": [], "phrase": [], "filtered": []}
    capped = {"term": 0, "phrase": 0, "filtered": 0}
    found = {}
    with index.ix.searcher() as s:
        for kind, queries in (
            ("term", TERMS),
            ("phrase", [f'"{p}"' for p in PHRASES]),
            ("filtered", [f'"{p}"' for p in PHRASES]),
        ):
            for q in queries:
                for _ in range(3):
                    t = time.perf_counter()
                    query = parse(q, resolve_type).query
                    if kind == "filtered":
                        filters = [Q.Term("doc_type", "contract"), date_range("doc_date", "2020-01-01", "2024-12-31")]
                        query = apply_filters(query, filters)  # as IndexService.match does
                    hits = find(s, query, MAX_PAGES)  # archiver's search path: stops at the cap, ranks those
                    timings[kind].append(time.perf_counter() - t)
                capped[kind] += not hits.complete
                if kind == "phrase":  # recall of the index itself: every match, no cap
                    found[q.strip('"')] = {r["doc_id"] for r in s.search(query, limit=None)}
    print("whoosh queries stopped at the cap:", capped, flush=True)
    return build, size, timings, found


def bench_fts5(docs, path):
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute(
        "create virtual table t using fts5(id unindexed, text, doc_type unindexed, doc_date unindexed, "
        "tokenize='trigram')"
    )
    start = time.perf_counter()
    con.executemany("insert into t values (?, ?, ?, ?)", [(d["id"], d["text"], d["type"], d["date"]) for d in docs])
    con.commit()
    build = time.perf_counter() - start
    size = path.stat().st_size
    timings = {"term": [], "phrase": [], "filtered": []}
    found = {}
    for kind, queries in (("term", TERMS), ("phrase", PHRASES), ("filtered", PHRASES)):
        for q in queries:
            for _ in range(3):
                t = time.perf_counter()
                where = (
                    " and doc_type = 'contract' and doc_date between '2020-01-01' and '2024-12-31'"
                    if kind == "filtered"
                    else ""
                )
                if len(q) < 3:  # trigram FTS cannot match fewer than 3 characters: a LIKE scan
                    sql, args = f"select id from t where text like ?{where} limit 20", (f"%{q}%",)
                else:
                    sql, args = f"select id from t where t match ?{where} order by rank limit 20", (f'"{q}"',)
                con.execute(sql, args).fetchall()
                timings[kind].append(time.perf_counter() - t)
            if kind == "phrase":
                found[q] = (
                    {r[0] for r in con.execute("select id from t where t match ?", (f'"{q}"',))}
                    if len(q) >= 3
                    else set()
                )
    con.close()
    return build, size, timings, found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    docs = make_docs(n)
    truth = {p: {d["id"] for d in docs if p in d["text"]} for p in PHRASES}
    result = {"documents": n, "avg_bytes": round(statistics.mean(len(d["text"].encode()) for d in docs))}
    for name, fn, target in (("whoosh", bench_whoosh, OUT / "search-index"), ("fts5", bench_fts5, OUT / "fts5.db")):
        build, size, timings, found = fn(docs, target)
        recall = statistics.mean(len(found[p] & truth[p]) / len(truth[p]) if truth[p] else 1.0 for p in PHRASES)
        result[name] = {
            "build_docs_per_s": round(n / build, 1),
            "size_mb": round(size / 2**20, 1),
            **{f"{k}_p50_ms": round(pct(v, 0.5), 1) for k, v in timings.items()},
            **{f"{k}_p95_ms": round(pct(v, 0.95), 1) for k, v in timings.items()},
            "phrase_recall": round(recall, 3),
        }
        print(name, result[name], flush=True)
    (OUT / "search.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

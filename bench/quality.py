"""Quality report on the labelled samples: type accuracy and field precision/recall/F1, text vs scanned.

Usage: python bench/quality.py [--markdown]   Ingests sample_docs/files into a fresh home, then compares
`show --json` with sample_docs/truth.json (written by scripts/make_samples.py, never by this code).
A value counts as correct when it equals the expected one after width folding and removing spaces; a
wrong value is both a false positive and a false negative. A type left for review counts as wrong.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict

from common import OUT, ROOT, fresh_home

TRUTH = json.loads((ROOT / "sample_docs" / "truth.json").read_text(encoding="utf-8"))["documents"]


def canon(v):
    return None if v is None else re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v)))


def expectations():
    for t in TRUTH:
        yield t["file"], t, t["scanned"]
        for att in t.get("attachments", []):
            yield f"{t['file']}#{att['file']}", att, t["scanned"]


def run() -> dict:
    from archiver.core import Archive

    home = fresh_home("quality")
    with Archive.open(home) as archive:
        archive.customers_import(ROOT / "sample_docs" / "customers.csv")
        results = {r.path.rsplit("/", 1)[-1]: r for r in archive.ingest([ROOT / "sample_docs" / "files"])}
        shown = {}
        for name, r in results.items():
            doc = archive.show(r.id)
            shown[name] = doc
            for att in doc["attachments"]:
                shown[f"{name}#{att['original_name']}"] = archive.show(att["id"])
    counts = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    links = {"made": 0, "correct": 0, "expected": 0, "found": 0}
    types = defaultdict(lambda: [0, 0])
    misses = []
    for key, truth, scanned in expectations():
        doc = shown[key]
        split = "scanned" if scanned else "text"
        ok = doc["doc_type"] == truth["doc_type"]
        for bucket in (split, "all"):
            types[bucket][0] += ok
            types[bucket][1] += 1
        if not ok:
            misses.append(f"TYPE {key}: expected {truth['doc_type']}, got {doc['doc_type']} ({doc['type_reason']})")
        want_customer = truth.get("customer")
        got_customer = doc["customer"]["name"] if doc["customer"] else None
        links["expected"] += want_customer is not None
        if got_customer is not None:
            links["made"] += 1
            links["correct"] += got_customer == want_customer
        if want_customer is not None and got_customer == want_customer:
            links["found"] += 1
        if got_customer != want_customer:
            kind = "WRONG LINK" if got_customer else "NO LINK"
            misses.append(
                f"{kind} {key}: expected {want_customer!r}, got {got_customer!r} "
                f"({doc['link'] or doc.get('link_review')})"
            )
        got = doc["fields"]
        for name, want in truth["fields"].items():
            have = got.get(name, "<absent>") if name in got else "<absent>"
            for bucket in (split, truth["doc_type"], "all"):
                c = counts[bucket]
                if have != "<absent>" and canon(have) == canon(want):
                    c["tp"] += 1
                else:
                    c["fn"] += 1
                    if have != "<absent>":
                        c["fp"] += 1
            if have == "<absent>" or canon(have) != canon(want):
                misses.append(f"FIELD {key} {name}: expected {want!r}, got {have!r}")
        for name in set(got) - set(truth["fields"]):
            if name == "currency" and "amount" not in truth["fields"]:
                pass
            for bucket in (split, truth["doc_type"], "all"):
                counts[bucket]["fp"] += 1
            misses.append(f"EXTRA {key} {name}: {got[name]!r}")

    def prf(c):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            **c,
        }

    return {
        "documents": types["all"][1],
        "type_accuracy": {k: round(v[0] / v[1], 3) for k, v in types.items()},
        "fields": {k: prf(v) for k, v in sorted(counts.items())},
        "links": {
            **links,
            "precision": round(links["correct"] / links["made"], 4) if links["made"] else 1.0,
            "recall": round(links["found"] / links["expected"], 4) if links["expected"] else 1.0,
        },
        "misses": misses,
    }


def main() -> None:
    report = run()
    OUT.mkdir(exist_ok=True)
    (OUT / "quality.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    acc = report["type_accuracy"]
    print(
        f"documents: {report['documents']}  type accuracy: all {acc['all']:.1%}, text {acc.get('text', 0):.1%}, "
        f"scanned {acc.get('scanned', 0):.1%}"
    )
    lk = report["links"]
    print(
        f"customer links: precision {lk['precision']:.1%} ({lk['correct']}/{lk['made']}), "
        f"recall {lk['recall']:.1%} ({lk['found']}/{lk['expected']})"
    )
    print("| fields | precision | recall | F1 |\n|---|---|---|---|")
    for k, v in report["fields"].items():
        print(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    print(f"\n{len(report['misses'])} misses:")
    for m in report["misses"]:
        print("  " + m)


if __name__ == "__main__":
    sys.exit(main())

"""Text-layer PDF throughput: archiver ingest vs raw pdfplumber ``extract_text`` on the same file, same run.

Usage: python bench/text_pdf.py [PAGES]   (default 200). Target: ratio ≥ 0.8 (overhead ≤ 25 %).
"""

from __future__ import annotations

import json
import sys
import time

import pdfplumber

from common import OUT, dense_text_pdf, fresh_home


def raw_pdfplumber(path) -> float:
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
    return time.perf_counter() - start


def archiver_ingest(path) -> float:
    from archiver.core import Archive

    home = fresh_home("text-pdf")
    with Archive.open(home) as archive:
        archive.ingestor(1)  # start-up (lock, recovery) is not per-file work
        start = time.perf_counter()
        [result] = archive.ingest([path], jobs=1)
        elapsed = time.perf_counter() - start
    assert result.status == "archived", result
    return elapsed


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    path = dense_text_pdf(pages)
    runs = []
    for _ in range(3):  # interleaved so machine noise hits both alike
        runs.append((raw_pdfplumber(path), archiver_ingest(path)))
    raw = min(r for r, _ in runs)
    ours = min(a for _, a in runs)
    result = {
        "pages": pages,
        "raw_pdfplumber_pages_per_s": round(pages / raw, 1),
        "archiver_pages_per_s": round(pages / ours, 1),
        "ratio": round(raw / ours, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    OUT.mkdir(exist_ok=True)
    (OUT / "text_pdf.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

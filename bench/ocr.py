"""OCR throughput: archiver with --jobs 2 vs one plain ``pytesseract.image_to_string`` loop, same pages.

Usage: python bench/ocr.py [PAGES]  (default 12). Target: ≥ 1.7× the plain loop.
"""

from __future__ import annotations

import json
import os
import sys
import time

import pytesseract
from PIL import Image

from common import OUT, fresh_home, scanned_pages


def plain_loop(paths, lang: str, omp_threads: str | None) -> float:
    if omp_threads is None:
        os.environ.pop("OMP_THREAD_LIMIT", None)
    else:
        os.environ["OMP_THREAD_LIMIT"] = omp_threads
    start = time.perf_counter()
    for p in paths:
        pytesseract.image_to_string(Image.open(p), lang=lang)
    return time.perf_counter() - start


def archiver_ingest(paths, jobs: int) -> tuple[float, str]:
    from archiver.core import Archive

    home = fresh_home("ocr")
    with Archive.open(home) as archive:
        archive.ingestor(jobs)
        lang = archive.cfg.ocr.languages
        start = time.perf_counter()
        results = archive.ingest(paths, jobs=jobs)
        elapsed = time.perf_counter() - start
    assert all(r.status == "archived" for r in results), results
    return elapsed, lang


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    paths = scanned_pages(n)
    ours, lang = archiver_ingest(paths, jobs=2)
    raw = plain_loop(paths, lang, None)
    raw1 = plain_loop(paths, lang, "1")  # the same loop with OpenMP held to one thread: tesseract's best serial
    result = {
        "pages": n,
        "languages": lang,
        "plain_loop_pages_per_min": round(n / raw * 60, 1),
        "plain_loop_omp1_pages_per_min": round(n / raw1 * 60, 1),
        "archiver_jobs2_pages_per_min": round(n / ours * 60, 1),
        "speedup": round(raw / ours, 2),
        "speedup_vs_omp1_loop": round(raw1 / ours, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    (OUT / "ocr.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

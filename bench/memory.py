"""Peak memory (RSS of archiver and all its child processes) ingesting a 500-page text PDF and a 50-page scan.

Usage: python bench/memory.py [TEXT_PAGES SCAN_PAGES]  (default 500 50). Target: ≤ 400 MB each.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from common import OUT, ROOT, TreeRss, dense_text_pdf, fresh_home, scanned_pdf


def peak(path, name: str) -> tuple[float, float, str]:
    home = fresh_home(name)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "ingest", str(path), "--home", str(home), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    with TreeRss(proc.pid) as sampler:
        out, _ = proc.communicate()
    status = json.loads(out)[0]["status"]
    return sampler.peak_mb, time.perf_counter() - start, status


def main() -> None:
    text_pages = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    scan_pages = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    result = {}
    for label, path in (
        (f"text_{text_pages}p", dense_text_pdf(text_pages)),
        (f"scan_{scan_pages}p", scanned_pdf(scan_pages)),
    ):
        mb, secs, status = peak(path, label)
        result[label] = {"peak_pss_mb": round(mb, 1), "seconds": round(secs, 1), "status": status}
        print(label, result[label], flush=True)
    (OUT / "memory.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

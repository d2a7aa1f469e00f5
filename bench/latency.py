"""Drop-to-archived latency: a text-layer PDF dropped into a running watcher (default settings).

Usage: python bench/latency.py [RUNS]  (default 5). Target: ≤ 3 s. Measures from the moment the copy into
the inbox finishes to (a) the catalog commit and (b) the file leaving the inbox.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

from common import OUT, ROOT, fresh_home

SAMPLE = ROOT / "sample_docs" / "files" / "合同-华东精密-HT-2024-0312.pdf"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    home = fresh_home("latency")
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "watch", "--home", str(home)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while "watching" not in ((home / "archiver.log").read_text() if (home / "archiver.log").exists() else ""):
            time.sleep(0.05)
        committed, gone = [], []
        for i in range(runs):
            data = SAMPLE.read_bytes() + f"\n% run {i}\n".encode()
            tmp = home / f"drop-{i}.pdf"
            tmp.write_bytes(data)
            target = home / "inbox" / tmp.name
            start = time.perf_counter()
            shutil.move(tmp, target)  # like a copy tool finishing
            t_commit = None
            while target.exists() or t_commit is None:
                if t_commit is None:
                    con = sqlite3.connect(home / "catalog.sqlite")
                    if con.execute("select count(*) from documents").fetchone()[0] > i:
                        t_commit = time.perf_counter() - start
                    con.close()
                time.sleep(0.01)
            committed.append(t_commit)
            gone.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    result = {
        "runs": runs,
        "median_to_archived_s": round(statistics.median(committed), 2),
        "max_to_archived_s": round(max(committed), 2),
        "median_out_of_inbox_s": round(statistics.median(gone), 2),
    }
    print(json.dumps(result))
    (OUT / "latency.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

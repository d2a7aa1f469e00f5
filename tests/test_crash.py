"""kill -9 at random moments, many times, then restart: every input archived exactly once, nothing orphaned.

Both entry points are exercised: `archiver ingest FOLDER` (the source stays; re-running must add nothing
twice) and `archiver watch` (the source leaves the inbox only after commit).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, TRUTH, run_cli, write_config
from watchproc import WatchProcess, inbox_files, wait_for

pytestmark = pytest.mark.slow
KILLS = 12


def make_inputs(folder: Path, n_variants: int = 6) -> dict[str, str]:
    """Sample files plus unique variants (bytes appended after the end), a duplicate and a broken file.

    Returns {relative path: sha256}.
    """
    folder.mkdir(parents=True)
    out: dict[str, str] = {}
    hand_written = {t["file"] for t in TRUTH if not t.get("labelled")}
    for src in sorted(SAMPLES.iterdir()):
        if src.name not in hand_written or src.suffix in (".tiff", ".jpg", ".png"):
            continue  # scans are slow; one stays in via the scanned PDF
        dest = folder / src.name
        shutil.copy(src, dest)
    base = SAMPLES / "合同-华东精密-HT-2024-0312.pdf"
    for i in range(n_variants):
        sub = folder / f"客户{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"variant-{i}.pdf").write_bytes(base.read_bytes() + f"\n% variant {i}\n".encode())
    shutil.copy(SAMPLES / "通知-档案编号规则-GBK.txt", folder / "duplicate-notice.txt")
    (folder / "broken.pdf").write_bytes(base.read_bytes()[:2000])
    for p in folder.rglob("*"):
        if p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def check_archive(home: Path, inputs: dict[str, str], folder: Path, source_prefix: Path) -> None:
    con = sqlite3.connect(home / "catalog.sqlite")
    docs = dict(con.execute("select sha256, id from documents where parent_id is null").fetchall())
    all_shas = {r[0] for r in con.execute("select sha256 from documents")}
    expected = {s for rel, s in inputs.items() if rel != "broken.pdf"}
    assert set(docs) == expected, "every readable input archived, nothing else at top level"
    for rel, s in inputs.items():
        if rel == "broken.pdf":
            continue
        paths = [
            p
            for (p,) in con.execute(
                "select s.path from sources s join documents d on d.id = s.document_id where d.sha256 = ?", (s,)
            )
        ]
        mine = [p for p in paths if p == str(source_prefix / rel)]
        assert len(mine) == 1, f"{rel}: recorded {len(mine)} times"
    failures = con.execute("select path, code from failures").fetchall()
    assert [Path(p).name for p, _ in failures] == ["broken.pdf"], failures
    con.close()
    store = home / "objects"
    objects = {p.name for p in store.glob("??/??/*")}
    assert objects == all_shas, "no orphan objects and none missing"
    assert not list((store / "tmp").iterdir()) and not list((store / "pending").iterdir())
    for p in store.glob("??/??/*"):
        assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name
    report = json.loads(run_cli("verify", "--json", home=home).stdout)
    assert report["ok"], report
    assert json.loads(run_cli("audit", "--verify", "--json", home=home).stdout)["ok"]


def test_sigkill_during_ingest_loses_and_duplicates_nothing(tmp_path):
    home = tmp_path / "home"
    run_cli("init", home=home, check=True)
    folder = tmp_path / "in"
    inputs = make_inputs(folder)
    rnd = random.Random(20261127)
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "archiver", "ingest", str(folder), "--home", str(home), "--json"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rnd.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = run_cli("ingest", str(folder), "--json", home=home)
    assert final.returncode == 1, final.stderr  # the broken file
    results = json.loads(final.stdout)
    assert {r["status"] for r in results if not r["path"].endswith("broken.pdf")} <= {"archived", "duplicate"}
    check_archive(home, inputs, folder, folder.resolve())


def test_sigkill_of_the_watcher_loses_and_duplicates_nothing(tmp_path):
    home = tmp_path / "home"
    run_cli("init", home=home, check=True)
    write_config(home, inbox={"settle_seconds": 0.3, "rescan_seconds": 1})
    staging = tmp_path / "staging"
    inputs = make_inputs(staging)
    for p in sorted(staging.iterdir()):
        shutil.move(str(p), home / "inbox" / p.name)
    rnd = random.Random(7)
    for _ in range(KILLS):
        w = WatchProcess(home)
        time.sleep(rnd.uniform(0.5, 3.0))
        w.kill()
    w = WatchProcess(home)
    w.wait_ready()
    try:
        wait_for(lambda: not inbox_files(home / "inbox"), timeout=180, what="inbox to empty")
    finally:
        code, _stats, err = w.stop()
    assert code == 0, err
    check_archive(home, inputs, staging, (home / "inbox").resolve())
    assert (home / "failed" / "broken.pdf").exists() and (home / "failed" / "broken.pdf.error.txt").exists()

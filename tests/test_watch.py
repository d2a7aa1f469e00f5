"""The inbox watcher on a real filesystem: stability, temp names, moves, failures, signals, polling."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from conftest import SAMPLES, write_config
from watchproc import WatchProcess, catalog_counts, inbox_files, sources_by_sha, wait_for

CONTRACT = SAMPLES / "合同-华东精密-HT-2024-0312.pdf"
NOTICE = SAMPLES / "通知-档案编号规则-GBK.txt"
EN = SAMPLES / "service-agreement-pacific-rim.pdf"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def wh(home):
    write_config(home, inbox={"settle_seconds": 0.5, "rescan_seconds": 2})
    return home


def start(home, *extra) -> WatchProcess:
    w = WatchProcess(home, *extra)
    w.wait_ready()
    return w


def stop_ok(w: WatchProcess) -> dict:
    code, stats, err = w.stop()
    assert code == 0, err
    assert "Traceback" not in err, err
    return stats


def test_files_present_before_start_are_archived_and_leave_the_inbox(wh):
    inbox = wh / "inbox"
    shutil.copy(CONTRACT, inbox)
    shutil.copy(NOTICE, inbox)
    w = start(wh)
    wait_for(lambda: not inbox_files(inbox), what="inbox to empty")
    stats = stop_ok(w)
    assert stats["archived"] == 2
    assert set(sources_by_sha(wh)) == {sha(CONTRACT), sha(NOTICE)}


def test_dropped_file_is_archived_unmodified(wh):
    w = start(wh)
    shutil.copy(CONTRACT, wh / "inbox" / "a.pdf")
    wait_for(lambda: catalog_counts(wh)["documents"] == 1, what="archive")
    wait_for(lambda: not inbox_files(wh / "inbox"), what="inbox to empty")
    stop_ok(w)
    stored = wh / "objects" / sha(CONTRACT)[:2] / sha(CONTRACT)[2:4] / sha(CONTRACT)
    assert stored.read_bytes() == CONTRACT.read_bytes()
    assert not os.stat(stored).st_mode & 0o222  # read-only


def test_duplicate_drop_is_one_document_with_both_paths(wh):
    w = start(wh)
    shutil.copy(CONTRACT, wh / "inbox" / "first.pdf")
    wait_for(lambda: catalog_counts(wh)["documents"] == 1, what="first copy")
    shutil.copy(CONTRACT, wh / "inbox" / "second copy.pdf")
    wait_for(lambda: catalog_counts(wh)["sources"] == 2, what="second source")
    wait_for(lambda: not inbox_files(wh / "inbox"), what="inbox to empty")
    stats = stop_ok(w)
    assert catalog_counts(wh)["documents"] == 1
    assert {Path(p).name for p in sources_by_sha(wh)[sha(CONTRACT)]} == {"first.pdf", "second copy.pdf"}
    assert stats["archived"] == 1 and stats["duplicate"] == 1


def test_slow_writer_holding_the_file_open_is_taken_once_complete(wh):
    w = start(wh)
    data = CONTRACT.read_bytes()
    target = wh / "inbox" / "slow.pdf"
    with open(target, "wb") as f:  # pauses longer than the settle time, file kept open
        for i in range(0, len(data), len(data) // 4 + 1):
            f.write(data[i : i + len(data) // 4 + 1])
            f.flush()
            time.sleep(0.9)
    wait_for(lambda: not inbox_files(wh / "inbox"), what="inbox to empty")
    stats = stop_ok(w)
    assert stats["archived"] == 1 and stats["failed"] == 0
    assert list(sources_by_sha(wh)) == [sha(CONTRACT)]


def test_writer_that_closes_between_chunks_is_taken_once_complete(wh):
    w = start(wh)
    data = EN.read_bytes()
    target = wh / "inbox" / "scanner.pdf"
    step = len(data) // 6 + 1
    for i in range(0, len(data), step):  # like a scanner or SMB copy: open, append, close, repeat
        with open(target, "ab") as f:
            f.write(data[i : i + step])
        time.sleep(0.2)
    wait_for(lambda: not inbox_files(wh / "inbox"), what="inbox to empty")
    stats = stop_ok(w)
    assert stats["failed"] == 0 and stats["archived"] == 1
    assert list(sources_by_sha(wh)) == [sha(EN)]


def test_temp_names_are_ignored_until_renamed(wh):
    w = start(wh)
    inbox = wh / "inbox"
    for name in ("contract.pdf.part", "~$contract.docx", ".hidden.pdf", "x.crdownload"):
        shutil.copy(CONTRACT, inbox / name)
    time.sleep(3)  # longer than settle + a rescan
    assert catalog_counts(wh)["documents"] == 0
    os.rename(inbox / "contract.pdf.part", inbox / "contract.pdf")  # arrives as a move, no create event
    wait_for(lambda: catalog_counts(wh)["documents"] == 1, what="renamed file")
    stop_ok(w)
    assert sorted(p.name for p in inbox_files(inbox)) == [".hidden.pdf", "x.crdownload", "~$contract.docx"]


def test_zero_byte_and_broken_files_go_to_failed_with_a_bilingual_reason(wh):
    w = start(wh)
    (wh / "inbox" / "empty.pdf").write_bytes(b"")
    (wh / "inbox" / "broken.pdf").write_bytes(CONTRACT.read_bytes()[:3000])
    wait_for(lambda: not inbox_files(wh / "inbox"), what="inbox to empty")
    stats = stop_ok(w)
    assert stats["failed"] == 2
    failed = wh / "failed"
    assert (failed / "empty.pdf").exists() and (failed / "broken.pdf").read_bytes() == CONTRACT.read_bytes()[:3000]
    note = (failed / "broken.pdf.error.txt").read_text(encoding="utf-8")
    assert "原因" in note and "Reason" in note and "damaged" in note
    assert "0 bytes" in (failed / "empty.pdf.error.txt").read_text(encoding="utf-8")


def test_vanishing_and_read_only_files_do_not_stop_the_watcher(wh):
    w = start(wh)
    inbox = wh / "inbox"
    for i in range(5):
        p = inbox / f"gone-{i}.txt"
        p.write_text("马上删除" * 100, encoding="utf-8")
        time.sleep(0.05 * i)
        p.unlink()
    ro = inbox / "readonly.txt"
    ro.write_text("只读文件也要归档", encoding="utf-8")
    os.chmod(ro, 0o444)
    wait_for(lambda: not inbox_files(inbox), what="inbox to empty")
    assert w.alive()
    shutil.copy(NOTICE, inbox)
    wait_for(lambda: catalog_counts(wh)["documents"] == 2, what="archive after vanished files")
    stop_ok(w)


def test_subfolder_is_kept_as_a_hint(wh):
    import sqlite3

    (wh / "inbox" / "华东精密机械有限公司").mkdir()
    w = start(wh)
    shutil.copy(CONTRACT, wh / "inbox" / "华东精密机械有限公司" / "合同.pdf")
    wait_for(lambda: catalog_counts(wh)["documents"] == 1, what="archive")
    stop_ok(w)
    con = sqlite3.connect(wh / "catalog.sqlite")
    assert con.execute("select folder_hint, origin from sources").fetchall() == [("华东精密机械有限公司", "inbox")]


def test_folder_moved_into_the_inbox_is_scanned(wh, tmp_path):
    w = start(wh)
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    shutil.copy(CONTRACT, batch / "sub" / "c.pdf")
    shutil.copy(NOTICE, batch / "n.txt")
    os.rename(batch, wh / "inbox" / "batch")
    wait_for(lambda: catalog_counts(wh)["documents"] == 2, what="files in a moved folder")
    stop_ok(w)


def test_polling_mode_for_network_shares(wh):
    write_config(wh, inbox={"poll_interval_seconds": 0.5})
    w = start(wh, "--polling")
    shutil.copy(NOTICE, wh / "inbox")
    wait_for(lambda: catalog_counts(wh)["documents"] == 1, what="polled archive")
    stop_ok(w)


def test_sigint_finishes_the_file_in_hand(wh):
    w = start(wh)
    shutil.copy(SAMPLES / "扫描-验收记录.tiff", wh / "inbox")  # OCR: takes a few seconds
    wait_for(
        lambda: "extract" in "".join(os.listdir(wh / "objects" / "tmp")) or any((wh / "objects" / "tmp").iterdir()),
        timeout=30,
        what="ingest to start",
    )
    code, _stats, err = w.stop(signal.SIGINT)
    assert code == 0, err
    assert catalog_counts(wh)["documents"] == 1 and not inbox_files(wh / "inbox")


def test_processed_files_can_be_kept(wh):
    write_config(wh, inbox={"after_ingest": "move"})
    w = start(wh)
    (wh / "inbox" / "客户A").mkdir()
    shutil.copy(NOTICE, wh / "inbox" / "客户A" / "n.txt")
    wait_for(lambda: (wh / "processed" / "客户A" / "n.txt").exists(), what="move to processed")
    stop_ok(w)
    assert (wh / "processed" / "客户A" / "n.txt").read_bytes() == NOTICE.read_bytes()

"""Untrusted input: zip bombs, entity expansion, pixel bombs, path tricks and the per-file time limit."""

from __future__ import annotations

import json
import subprocess
import zipfile

from conftest import SAMPLES, run_cli, write_config


def ingest_one(home, path, env: dict | None = None) -> dict:
    proc = run_cli("ingest", str(path), "--json", home=home, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    [result] = json.loads(proc.stdout)
    return result


def test_docx_zip_bomb_is_refused(home, tmp_path):
    write_config(home, limits={"max_uncompressed_mb": 5})
    bomb = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(SAMPLES / "会议纪要-付款安排.docx") as src,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("word/media/padding.bin", b"\x00" * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    r = ingest_one(home, bomb)
    assert r["status"] == "failed" and "safety limit" in r["error"]


def test_ofd_with_entity_expansion_is_refused(home, tmp_path):
    ofd = tmp_path / "laugh.ofd"
    lol = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>&b;</ofd:DocRoot>'
        "</ofd:DocBody></ofd:OFD>"
    )
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", lol)
    r = ingest_one(home, ofd)
    assert r["status"] == "failed" and "damaged" in r["error"]


def test_zip_entry_escaping_the_archive_is_refused(home, tmp_path):
    ofd = tmp_path / "evil.ofd"
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<OFD/>")
        z.writestr("../../etc/cron.d/x", "boom")
    r = ingest_one(home, ofd)
    assert r["status"] == "failed" and "unsafe entry" in r["error"]


def test_image_over_the_pixel_limit_is_refused(home):
    write_config(home, limits={"max_image_pixels": 1_000_000})
    r = ingest_one(home, SAMPLES / "扫描-授权委托书.png")
    assert r["status"] == "failed" and "safety limit" in r["error"] and "pixels" in r["error"]


def test_file_over_the_time_limit_times_out_and_leaves_no_tesseract(home, tmp_path):
    write_config(home, ingest={"timeout_seconds": 0.2})
    own_tmp = tmp_path / "ocr-tmp"  # this run's Tesseract inputs live here: other processes' are not ours
    own_tmp.mkdir()
    r = ingest_one(home, SAMPLES / "扫描-验收记录.tiff", env={"TMPDIR": str(own_tmp)})
    assert r["status"] == "failed" and "timed out" in r["error"] and "处理超时" in r["error"]
    leftover = subprocess.run(["pgrep", "-f", f"tesseract {own_tmp}"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_nothing_is_stored_for_a_failed_file(home):
    write_config(home, ingest={"timeout_seconds": 0.2})
    ingest_one(home, SAMPLES / "扫描-验收记录.tiff")
    assert not list((home / "objects").glob("??/??/*"))
    assert not list((home / "objects" / "tmp").iterdir())

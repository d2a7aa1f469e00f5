"""Every file in ../shared/corpus ends archived or failed with a clear reason; nothing crashes or is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")

# What a person should be told, by file (a part of the English reason).
EXPECTED_FAILURES = {
    "pdf_broken/paperless_encrypted.pdf": "password protected",
    "pdf_broken/pdfminer_enc_aes-128.pdf": "password protected",
    "pdf_broken/samplefiles_libreoffice-writer-password.pdf": "password protected",
    "pdf_broken/plumber_empty.pdf": "empty",
    "pdf_broken/derived_truncated-50pct_scotus.pdf": "damaged",
    "odd/empty.docx": "empty",
    "odd/empty.jpg": "empty",
    "odd/empty.png": "empty",
    "odd/paperless_simple.zip": "unsupported file type: ZIP",
    "odd/paperless_tika_sample.doc": "unsupported file type: legacy Word",
    "odd/derived_doc-named-as.docx": "unsupported file type: legacy Word",
    "odd/paperless_tika_sample.odt": "unsupported file type: OpenDocument",
    "odd/derived_truncated-50pct.docx": "damaged",
    "images/paperless_simple.heic": "unsupported file type: HEIC",
    "email/unst_empty.eml": "no text",
}
# Files that open with the empty user password, or whose type differs from their extension.
EXPECTED_ARCHIVED = {
    "pdf_broken/pypdf_r2-owner-password.pdf": ("application/pdf", "pdfencryptiontest"),
    "pdf_broken/pdfjs_empty_protected.pdf": ("application/pdf", None),
    "pdf_text/unst_copy-protected.pdf": ("application/pdf", "LayoutParser"),
    "odd/derived_png-named-as.pdf": ("image/png", None),
    "odd/derived_pdf-named-as.docx": ("application/pdf", "May 5, 2023"),
    "odd/derived_docx-named-as.pdf": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", None),
    "odd/derived_tiff-named-as.jpg": ("image/tiff", "multi page document"),
    "images/tess_phototest-rotated-180.png": ("image/png", "quick brown dog"),
    "images/rapidocr_img_exif_orientation.jpg": ("image/jpeg", "我是中国人"),
    "cjk/pdfjs_XiaoBiaoSong.pdf": ("application/pdf", "关于红军作战的原则"),
    "cjk/plumber_issue-71-duplicate-chars.pdf": ("application/pdf", "项目描述"),
    "pdf_scanned/paperless_rotated.pdf": ("application/pdf", "first page"),
    "pdf_scanned/paperless_multi-page-mixed.pdf": ("application/pdf", "Page 6"),
}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("corpus") / "home"
    run_cli("init", home=home, check=True)
    proc = run_cli("ingest", str(CORPUS), "--json", home=home, timeout=1800)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = some files failed, which is expected here
    assert "Traceback" not in proc.stderr
    results = json.loads(proc.stdout)
    return home, {str(Path(r["path"]).relative_to(CORPUS.resolve())): r for r in results}


def corpus_files() -> list[str]:
    return sorted(
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in ("MANIFEST.tsv", "README.md")
    )


def test_every_input_is_accounted_for(corpus_run):
    _home, results = corpus_run
    inputs = corpus_files()
    assert sorted(k for k in results if k not in ("MANIFEST.tsv", "README.md")) == inputs
    counts = {s: sum(1 for r in results.values() if r["status"] == s) for s in ("archived", "duplicate", "failed")}
    assert sum(counts.values()) == len(results)
    for rel, r in results.items():
        if r["status"] == "failed":
            assert r["id"] is None and r["error"] and " / " in r["error"], (rel, r)  # bilingual reason
        else:
            assert r["id"] and r["error"] is None, (rel, r)


@pytest.mark.parametrize("rel,reason", sorted(EXPECTED_FAILURES.items()))
def test_unreadable_files_fail_with_a_clear_reason(corpus_run, rel, reason):
    _home, results = corpus_run
    r = results[rel]
    assert r["status"] == "failed", r
    assert reason.lower() in r["error"].lower(), r["error"]


@pytest.mark.parametrize("rel,expect", sorted(EXPECTED_ARCHIVED.items()))
def test_odd_but_readable_files_archive_with_their_real_type(corpus_run, rel, expect):
    home, results = corpus_run
    mime, phrase = expect
    r = results[rel]
    assert r["status"] in ("archived", "duplicate"), r
    doc = json.loads(run_cli("show", r["id"], "--text", "--json", home=home, check=True).stdout)
    assert doc["mime"] == mime
    if phrase:
        text = " ".join(p["text"] for p in doc["page_info"])
        assert phrase.lower() in text.lower(), text[:400]


def test_failures_are_listed_with_reasons(corpus_run):
    home, results = corpus_run
    rows = json.loads(run_cli("failures", "--json", "--limit", "1000", home=home, check=True).stdout)
    failed = {r["path"] for r in results.values() if r["status"] == "failed"}
    assert {row["path"] for row in rows} == failed
    assert all(row["reason_zh"] and row["reason_en"] for row in rows)


def test_store_verifies_after_the_corpus(corpus_run):
    home, _ = corpus_run
    proc = run_cli("verify", "--json", home=home)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["ok"], report
    assert report["checked"] > 50

"""Every sample document archives with the expected text on the expected page (OCR: a tolerant match)."""

from __future__ import annotations

import json
import re

import pytest
from rapidfuzz import fuzz

from archiver.textnorm import fold_width
from conftest import SAMPLES, TRUTH, run_cli


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    home = tmp_path_factory.mktemp("samples") / "home"
    run_cli("init", home=home, check=True)
    proc = run_cli("ingest", str(SAMPLES), "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    results = {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(proc.stdout)}
    return home, results


def show(home, doc_id: str) -> dict:
    return json.loads(run_cli("show", doc_id, "--text", "--json", home=home, check=True).stdout)


def test_every_sample_file_is_listed_in_truth_and_archived(ingested):
    _home, results = ingested
    assert sorted(results) == sorted(t["file"] for t in TRUTH)
    assert {r["status"] for r in results.values()} == {"archived"}


@pytest.mark.parametrize("truth", TRUTH, ids=[t["file"] for t in TRUTH])
def test_expected_text_on_expected_page(ingested, truth):
    home, results = ingested
    doc = show(home, results[truth["file"]]["id"])
    assert doc["pages"] == truth["pages"]
    pages = {p["page"]: p for p in doc["page_info"]}
    for page, snippets in truth["snippets"].items():
        text = squash(pages[int(page)]["text"])
        for snippet in snippets:
            want = squash(fold_width(snippet))
            if truth["scanned"] or pages[int(page)]["source"] == "ocr":
                score = fuzz.partial_ratio(want, text)
                assert score >= 80, f"{snippet!r} not read on page {page} (best match {score:.0f}): {text[:300]}"
            else:
                assert want in text, f"{snippet!r} missing on page {page}: {text[:300]}"


def test_scans_are_ocr_with_confidence_and_text_layer_is_not(ingested):
    home, results = ingested
    for truth in TRUTH:
        doc = show(home, results[truth["file"]]["id"])
        sources = {p["page"]: p["source"] for p in doc["page_info"]}
        if truth.get("page_sources"):
            assert {str(k): v for k, v in sources.items()} == truth["page_sources"]
            assert doc["text_source"] == "mixed"
        elif truth["scanned"]:
            assert set(sources.values()) == {"ocr"}
            assert all(p["ocr_confidence"] > 50 for p in doc["page_info"])
        else:
            assert "ocr" not in sources.values()


def test_rotated_scan_reads_upright(ingested):
    home, results = ingested
    doc = show(home, results["扫描-营业执照-横放.png"]["id"])
    assert "华东精密机械有限公司" in squash(doc["page_info"][0]["text"])


def test_ocr_text_is_normalised_but_raw_text_is_kept(ingested):
    home, results = ingested
    doc = show(home, results["扫描-补充协议-HT-2024-0312.pdf"]["id"])
    page = doc["page_info"][0]
    assert re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", page["raw_text"]) or page["raw_text"] != page["text"]
    assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", page["text"]), "CJK spaces survive normalisation"


def test_email_attachment_is_its_own_document_linked_to_the_email(ingested):
    home, results = ingested
    mail = show(home, results["邮件-合同确认.eml"]["id"])
    assert mail["mime"] == "message/rfc822" and mail["text_source"] == "email"
    assert mail["email"]["subject"] == "关于HT-2024-0312合同盖章件的确认"
    truth = next(t for t in TRUTH if t["file"] == "邮件-合同确认.eml")["attachments"][0]
    [att] = mail["attachments"]
    assert att["original_name"] == truth["file"]
    child = show(home, att["id"])
    assert child["parent_id"] == mail["id"]
    assert child["mime"] == "application/pdf"
    assert truth["snippets"]["1"][0].replace("：", ":") in child["page_info"][0]["text"]


def test_gbk_text_file_decodes(ingested):
    home, results = ingested
    doc = show(home, results["通知-档案编号规则-GBK.txt"]["id"])
    assert "客户档案统一采用" in doc["page_info"][0]["text"]
    assert doc["text_source"] == "plain"


def test_docx_table_rows_and_page_break(ingested):
    home, results = ingested
    doc = show(home, results["会议纪要-付款安排.docx"]["id"])
    first = doc["page_info"][0]["text"]
    assert "预付款 | 36,900.00 | 2024年3月15日" in first
    assert first.index("内部资料") < first.index("会议纪要")  # header before body
    assert "第1页" in doc["page_info"][1]["text"]  # footer after the body

"""Search: every phrase that is in the text is found on its page; filters, stems, bad queries, consistency."""

from __future__ import annotations

import json
import re

import pytest

from archiver.textnorm import fold_width, normalise
from conftest import ROOT, SAMPLES, TRUTH, run_cli


def cli_json(home, *args, check=True):
    return json.loads(run_cli(*args, "--json", home=home, check=check).stdout)


@pytest.fixture(scope="module")
def shome(tmp_path_factory):
    home = tmp_path_factory.mktemp("search") / "home"
    run_cli("init", home=home, check=True)
    cli_json(home, "customers", "import", str(ROOT / "sample_docs" / "customers.csv"))
    results = cli_json(home, "ingest", str(SAMPLES))
    return home, {r["path"].rsplit("/", 1)[-1]: r["id"] for r in results}


def pages_found(home, query, **filters) -> dict[str, set[int]]:
    args = ["search", query, "--limit", "100"]
    for k, v in filters.items():
        args += [f"--{k}", v]
    return {r["id"]: {h["page"] for h in r["hits"]} for r in cli_json(home, *args)}


@pytest.mark.parametrize("truth", [t for t in TRUTH if not t["scanned"] and t["snippets"]], ids=lambda t: t["file"])
def test_every_phrase_of_a_text_document_is_found_on_its_page(shome, truth):
    home, ids = shome
    for page, phrases in truth["snippets"].items():
        for phrase in phrases:
            found = pages_found(home, f'"{phrase}"')
            assert int(page) in found.get(ids[truth["file"]], set()), (phrase, found)


def test_what_ocr_read_on_scans_is_found(shome):
    home, ids = shome
    checked = 0
    for truth in (t for t in TRUTH if t["scanned"]):
        doc = cli_json(home, "show", ids[truth["file"]], "--text")
        for p in doc["page_info"]:
            runs = re.findall(r"[\u4e00-\u9fff]{6,}", p["text"])
            if runs:
                found = pages_found(home, f'"{runs[0][:8]}"')
                assert p["page"] in found.get(doc["id"], set()), (truth["file"], runs[0])
                checked += 1
    assert checked >= 30


def test_phrases_across_word_boundaries_and_single_characters(shome):
    home, ids = shome
    doc = ids["合同-华东精密-HT-2024-0312.pdf"]
    clause = "争议提交上海仲裁委员会"
    for i in range(len(clause) - 1):  # every substring, including those jieba would split (议提, 交上, 海仲 …)
        for j in range(i + 1, len(clause) + 1):
            assert 3 in pages_found(home, clause[i:j]).get(doc, set()), clause[i:j]
    assert doc in pages_found(home, "华")  # one character: a surname, part of a name
    assert doc in pages_found(home, "增值税")


def test_full_width_and_spaced_queries(shome):
    home, ids = shome
    doc = ids["合同-华东精密-HT-2024-0312.pdf"]
    assert doc in pages_found(home, "ＨＴ－２０２４－０３１２")
    assert doc in pages_found(home, "争 议 解 决")


def test_english_stems_and_boolean_operators(shome):
    home, ids = shome
    en = ids["service-agreement-pacific-rim.pdf"]
    assert en in pages_found(home, "arbitrations")
    assert en in pages_found(home, "confidential AND disclose")
    assert en not in pages_found(home, "confidential NOT disclose")
    assert en in pages_found(home, "不存在的词 OR Majeure")
    assert en not in pages_found(home, "confidential -Majeure")


def test_filters_type_customer_alias_code_and_dates(shome):
    home, ids = shome
    contract = ids["合同-华东精密-HT-2024-0312.pdf"]
    by_type = pages_found(home, "仲裁", type="contract")
    assert contract in by_type and all(cli_json(home, "show", d)["doc_type"] == "contract" for d in by_type)
    by_alias = pages_found(home, "合同", customer="华东精密")  # an alias from the customer list
    assert contract in by_alias
    assert all(cli_json(home, "show", d)["customer"]["name"] == "华东精密机械有限公司" for d in by_alias)
    assert contract in pages_found(home, "no:HT-2024-0312")
    assert contract in pages_found(home, "uscc:91310000MA1FL4XQ27")
    assert contract in pages_found(home, "仲裁", **{"from": "2024-03-01", "to": "2024-03-31"})
    assert contract not in pages_found(home, "仲裁", **{"from": "2025-01-01"})


def test_a_customers_documents_are_found_by_name_even_when_the_text_never_says_it(shome, tmp_path):
    home, _ = shome
    folder = tmp_path / "drop" / "江南纺织"
    folder.mkdir(parents=True)
    (folder / "memo.txt").write_text("备忘\n电话沟通了下月的交货安排。\n", encoding="utf-8")
    [r] = cli_json(home, "ingest", str(tmp_path / "drop"))
    assert r["id"] in pages_found(home, "江南纺织品进出口有限公司")
    assert r["id"] in pages_found(home, "customer:江南纺织 交货")


def test_line_wrapped_phrase(shome, tmp_path):
    home, _ = shome
    p = tmp_path / "wrap.txt"
    p.write_text("通知\n本条款约定的争议\n解决方式为仲裁。\n", encoding="utf-8")
    [r] = cli_json(home, "ingest", str(p))
    assert r["id"] in pages_found(home, "争议解决方式")


@pytest.mark.parametrize(
    "query,message",
    [
        ('"争议解决', "quotes"),
        ("colour:red", "unknown field"),
        ("   ", "empty"),
        ("type:nonsense 合同", "unknown document type"),
        ("合同 hold:maybe", "yes or no"),
        ("due:yes due:no", "match nothing"),
        ("date:2024-13-01..2024-12-31", "not a date"),
    ],
)
def test_bad_queries_get_a_clear_message(shome, query, message):
    home, _ = shome
    proc = run_cli("search", query, home=home)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_index_crash_gap_is_reported_and_repaired_at_the_next_start(home):
    [r] = cli_json(home, "ingest", str(SAMPLES / "通知-档案编号规则-GBK.txt"))
    from archiver.core import Archive

    with Archive.open(home) as a:
        a.index.index.write([], [r["id"]])  # as if the process died between the catalog commit and the index write
    report = json.loads(run_cli("verify", "--json", home=home).stdout)
    assert not report["ok"] and report["index_missing"] == [r["id"]]
    assert r["id"] not in pages_found(home, "档案编号")
    cli_json(home, "ingest", str(SAMPLES / "电子发票-华东精密.ofd"))  # any start of an ingesting process syncs
    assert cli_json(home, "verify")["ok"]
    assert r["id"] in pages_found(home, "档案编号")
    assert cli_json(home, "reindex")["indexed"] == 2
    assert r["id"] in pages_found(home, "档案编号")


def test_disposal_and_holds_reach_the_index(home, tmp_path):
    p = tmp_path / "old.txt"
    p.write_text("关于交货的函\n云帆函〔2015〕1号\n特此函告。\n2015年1月5日\n", encoding="utf-8")
    [r] = cli_json(home, "ingest", str(p))
    assert r["id"] in pages_found(home, "交货")
    cli_json(home, "hold", "place", "--doc", r["id"], "--matter", "M", "--reason", "r")
    assert cli_json(home, "verify")["ok"]  # the hold changed the index entry and it was rewritten
    hold = cli_json(home, "hold", "list")[0]["id"]
    cli_json(home, "hold", "release", hold, "--reason", "done")
    assert cli_json(home, "retention", "dispose", "--confirm")["disposed"] == [r["id"]]
    assert r["id"] not in pages_found(home, "交货")
    assert cli_json(home, "verify")["ok"]


def test_snippet_marks_the_phrase():
    from archiver.index.query import snippet

    text = normalise("第八条 争议解决\n因本合同引起的争议，争议提交上海仲裁\n委员会仲裁。")
    s = snippet(text, ["上海仲裁委员会"])
    assert "【上海仲裁 委员会】" in s or "【上海仲裁委员会】" in s
    assert fold_width("，") == ","


def test_a_search_stops_at_the_cap_and_says_so(shome):
    from archiver.core import Archive

    home, _ids = shome
    with Archive.open(home) as archive:
        everything = archive.index.match("合同")
        assert everything.complete and everything.estimate == sum(len(g["pages"]) for g in everything.ranked)
        capped = archive.index.match("合同", cap=3)
        assert not capped.complete and sum(len(g["pages"]) for g in capped.ranked) == 3
        assert capped.estimate >= everything.estimate  # an upper bound, never fewer than are there
        assert {g["id"] for g in capped.ranked} <= {g["id"] for g in everything.ranked}
    proc = run_cli("search", "合同", "--limit", "1", home=home, check=True)
    assert "匹配很多" not in proc.stderr  # 500 pages are plenty for 77 documents


@pytest.mark.parametrize(
    "start,end",
    [("2024-03-01", "2024-04-30"), ("2023-06-15", "2024-02-10"), (None, "2023-12-31"), ("2024-01-01", None),
     ("2024-03-05", "2024-03-05"), ("2019-12-31", "2025-01-01")],
)  # fmt: skip
def test_date_ranges_select_exactly_the_documents_dated_inside(shome, start, end):
    from sqlalchemy import select

    from archiver.catalog.models import Document, Field
    from archiver.core import Archive
    from archiver.understand import document_date

    home, _ids = shome
    with Archive.open(home) as archive:
        got = {g["id"] for g in archive.index.match("", date_from=start, date_to=end).ranked}
        with archive.sessions() as s:
            fields: dict[str, dict] = {}
            for doc_id, name, value in s.execute(select(Field.document_id, Field.name, Field.value)):
                fields.setdefault(doc_id, {})[name] = value
            dated = {
                d.id: document_date(fields.get(d.id, {})) or d.ingested_at[:10]
                for d in s.execute(select(Document).where(Document.status == "active")).scalars()
            }
    want = {i for i, d in dated.items() if (start or "0000") <= d <= (end or "9999")}
    assert got == want and want  # each range selects something in the samples


def test_phrases_checked_inside_the_filters_match_the_plain_and(shome):
    from whoosh import query as Q

    from archiver.core import Archive
    from archiver.index.phrase import apply_filters, push_filters
    from archiver.index.query import date_range, parse
    from archiver.index.service import resolve_type

    home, _ids = shome
    filter_sets = [
        [Q.Term("doc_type", "contract")],
        [date_range("doc_date", "2023-01-01", "2024-12-31")],
        [Q.Term("doc_type", "contract"), date_range("doc_date", "2022-03-10", "2024-06-30")],
    ]
    with Archive.open(home) as archive, archive.index.index.ix.searcher() as s:
        for text in ['"争议"', "不可抗力 OR 仲裁", '"合同" -解除', "付款 违约金", "华"]:
            q = parse(text, resolve_type).query
            for filters in filter_sets:
                plain = {h["key"] for h in s.search(Q.And([q, *filters]), limit=None)}
                pushed = {h["key"] for h in s.search(Q.And([push_filters(q, filters), *filters]), limit=None)}
                applied = {h["key"] for h in s.search(apply_filters(q, filters), limit=None)}
                assert pushed == plain == applied, (text, filters)

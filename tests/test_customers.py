"""Customers: registry import, every step of the linking ladder, its traps, order of arrival, the customer file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from stdnum.cn import uscc as stdnum_uscc

from conftest import ROOT, SAMPLES, run_cli

HD = "华东精密机械有限公司"
HD_USCC = "91310000MA1FL4XQ27"
ZZ = "华东精密机械制造有限公司"  # a different company with a confusable name
ZZ_USCC = "91310000MA1FL5AB3" + stdnum_uscc.calc_check_digit("91310000MA1FL5AB3")


def cli_json(home, *args, check=True):
    proc = run_cli(*args, "--json", home=home, check=check)
    return json.loads(proc.stdout)


def ingest_text(home, tmp_path, name: str, text: str, *extra) -> dict:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    [r] = cli_json(home, "ingest", str(p), *extra)
    assert r["status"] == "archived", r
    return cli_json(home, "show", r["id"])


def contract(party: str, extra: str = "") -> str:
    return (
        f"采购合同\n合同编号：CG-{abs(hash(party + extra)) % 10000:04d}\n甲方：{party}\n"
        f"乙方：上海云帆档案科技有限公司\n{extra}\n合同金额为人民币壹万元整。\n签订日期：2024年3月5日\n"
    )


@pytest.fixture
def registry_home(home, tmp_path):
    csv = tmp_path / "客户.csv"
    csv.write_text(
        "客户名称,统一社会信用代码,简称,英文名称\n"
        f'{HD},{HD_USCC},华东精密,"East China Precision Machinery Co., Ltd."\n'
        f"{ZZ},{ZZ_USCC},,\n",
        encoding="utf-8-sig",
    )
    report = cli_json(home, "customers", "import", str(csv))
    assert report["created"] == 2 and not report["errors"]
    return home


# ---------------------------------------------------------------------------- import
def test_import_reports_bad_rows_and_loads_good_ones_gbk_english_headers(home, tmp_path):
    csv = tmp_path / "customers.csv"
    csv.write_bytes(
        (
            "Name,USCC,Short name\n"
            f"{HD},{HD_USCC},华东精密\n"
            "坏代码有限公司,91310000MA1FL4XQ28,\n"
            f"重复代码有限公司,{HD_USCC},\n"
            ",91110108551385082Q,\n"
            "上海云帆档案科技有限公司,,\n"
            "北京好客户有限公司,91110108551385082Q,好客户\n"
        ).encode("gbk")
    )
    proc = run_cli("customers", "import", str(csv), "--json", home=home)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and report["created"] == 2
    errors = {e["row"]: e["error"] for e in report["errors"]}
    assert set(errors) == {3, 4, 5, 6}
    assert "check digit" in errors[3] and "duplicate" in errors[4] and "missing name" in errors[5]
    assert "our own organization" in errors[6]
    # importing again updates instead of duplicating
    report = json.loads(run_cli("customers", "import", str(csv), "--json", home=home).stdout)
    assert report["created"] == 0 and report["updated"] == 2
    assert len(cli_json(home, "customers", "list")) == 2


def test_import_xlsx(home, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["全称", "统一社会信用代码", "法定代表人", "成立日期", "注册资本", "职工人数", "状态", "关系终止日期"])
    ws.append([HD, HD_USCC, "王建国", "2015年6月18日", "人民币500万元", 120, "合作中", None])
    ws.append(["江南纺织品进出口有限公司", None, "李四", "2010-01-01", None, None, "已终止", "2023-12-31"])
    path = tmp_path / "客户名单.xlsx"
    wb.save(path)
    assert cli_json(home, "customers", "import", str(path))["created"] == 2
    rows = {c["name"]: c for c in cli_json(home, "customers", "list")}
    hd = rows[HD]
    assert hd["established_on"] == "2015-06-18" and hd["registered_capital"] == "5000000.00" and hd["employees"] == 120
    assert rows["江南纺织品进出口有限公司"]["status"] == "closed"
    assert rows["江南纺织品进出口有限公司"]["closed_on"] == "2023-12-31"


def test_add_list_show_merge_with_json(home, tmp_path):
    a = cli_json(home, "customers", "add", HD, "--uscc", HD_USCC, "--alias", "华东精密")
    b = cli_json(home, "customers", "add", "华东精密机械（上海）", "--alias", "HD Precision")
    doc = ingest_text(home, tmp_path, "x.txt", contract("华东精密机械（上海）"))
    assert doc["customer"]["id"] == b["id"]
    merged = cli_json(home, "customers", "merge", a["id"], b["id"])
    assert merged["moved_documents"] == 1
    assert {x["alias"] for x in merged["aliases"]} >= {"华东精密", "华东精密机械（上海）", "HD Precision"}
    assert cli_json(home, "show", doc["id"])["customer"]["id"] == a["id"]
    assert [c["id"] for c in cli_json(home, "customers", "list", "--search", "HD Precision")] == [a["id"]]
    proc = run_cli("customers", "add", HD, "--uscc", "91310000MA1FL4XQ28", home=home)
    assert proc.returncode == 2 and "check digit" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------- the ladder
def test_step1_uscc_in_the_document(registry_home, tmp_path):
    doc = ingest_text(
        registry_home,
        tmp_path,
        "letter.txt",
        f"关于对账的函\n致：贵司\n贵司统一社会信用代码{HD_USCC}，请核对。\n特此函告。\n上海云帆档案科技有限公司",
    )
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "uscc" and doc["link"]["confidence"] == 1.0


def test_step1_id_number_of_an_individual_customer(home, tmp_path):
    cli_json(home, "customers", "add", "张伟", "--id-number", "11010519491231002X")
    doc = ingest_text(home, tmp_path, "id.txt", "居民身份证\n姓名 张伟\n公民身份号码 11010519491231002X\n")
    assert doc["customer"]["name"] == "张伟" and doc["link"]["method"] == "id_number"


def test_step2_name_and_alias(registry_home, tmp_path):
    doc = ingest_text(registry_home, tmp_path, "a.txt", contract("华东精密机械有限责任公司"))  # legal-form variant
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "name"
    doc = ingest_text(registry_home, tmp_path, "b.txt", contract("华东精密"))
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "alias"
    doc = ingest_text(
        registry_home,
        tmp_path,
        "c.txt",
        "SUPPLY CONTRACT\nThis Agreement is made by and between "
        'EAST CHINA PRECISION MACHINERY COMPANY LIMITED (the "Buyer") and Yunfan Archive Technology '
        'Co., Ltd. (the "Seller").\nParty A: x\n',
    )
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "alias"


def test_step3_fuzzy_only_for_a_misread_character_never_for_a_longer_name(registry_home, tmp_path):
    doc = ingest_text(registry_home, tmp_path, "ocr.txt", contract("华东精蜜机械有限公司"))  # one misread character
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "fuzzy_name"
    doc = ingest_text(registry_home, tmp_path, "zz.txt", contract(ZZ))
    assert doc["customer"]["name"] == ZZ and doc["link"]["method"] == "name"  # the other company, exactly
    doc = ingest_text(registry_home, tmp_path, "new.txt", contract("华东精密机械设备制造有限公司"))
    assert doc["customer"] is None  # close to both, equal to neither: no guess


def test_step4_folder_under_the_inbox_or_an_ingested_folder_or_customer_flag(registry_home, tmp_path):
    batch = tmp_path / "batch" / "华东精密"
    batch.mkdir(parents=True)
    (batch / "scan.txt").write_text("会议记录\n内容：讨论交货安排。\n", encoding="utf-8")
    [r] = cli_json(registry_home, "ingest", str(tmp_path / "batch"))
    doc = cli_json(registry_home, "show", r["id"])
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "folder"
    doc = ingest_text(registry_home, tmp_path, "memo.txt", "备忘\n内容：电话沟通交货。\n", "--customer", ZZ_USCC)
    assert doc["customer"]["name"] == ZZ and doc["link"]["method"] == "folder"


def test_step5_licence_of_an_unknown_company_creates_it_and_earlier_documents_follow(home, tmp_path):
    early = ingest_text(home, tmp_path, "early.txt", contract(HD))  # arrives before the licence
    assert early["customer"] is None
    licence = SAMPLES / "扫描-营业执照-横放.png"
    [r] = cli_json(home, "ingest", str(licence))
    doc = cli_json(home, "show", r["id"])
    assert doc["customer"]["name"] == HD and doc["link"]["method"] == "created_from_license"
    assert doc["customer"]["uscc"] == HD_USCC
    later = cli_json(home, "show", early["id"])
    assert later["customer"]["name"] == HD and later["link"]["method"] == "name"
    actions = [e["action"] for e in cli_json(home, "audit", "--doc", early["id"])]
    assert "link.auto" in actions


def test_step6_no_evidence_waits_in_review_with_why(registry_home, tmp_path):
    doc = ingest_text(registry_home, tmp_path, "u.txt", contract("西山电子有限公司"))
    assert doc["customer"] is None and doc["link"] is None
    queue = {q["id"]: q for q in cli_json(registry_home, "review")}
    reasons = {r["reason"] for r in queue[doc["id"]]["reasons"]}
    assert "unlinked" in reasons


def test_our_own_organization_is_never_the_customer(registry_home, tmp_path):
    doc = ingest_text(
        registry_home,
        tmp_path,
        "us.txt",
        "采购合同\n甲方：上海云帆档案科技有限公司\n乙方：华东精密机械有限公司\n合同金额为人民币壹万元整。",
    )
    assert doc["customer"]["name"] == HD
    only_us = ingest_text(
        registry_home, tmp_path, "memo.txt", "会议纪要\n参会单位：上海云帆档案科技有限公司\n议题：内部"
    )
    assert only_us["customer"] is None
    proc = run_cli("customers", "add", "上海云帆档案科技有限公司", home=registry_home)
    assert proc.returncode == 2 and "our own organization" in proc.stderr


def test_conflicting_evidence_goes_to_review(registry_home, tmp_path):
    folder = tmp_path / "drop" / ZZ
    folder.mkdir(parents=True)
    (folder / "c.txt").write_text(contract(HD, f"统一社会信用代码：{HD_USCC}"), encoding="utf-8")
    [r] = cli_json(registry_home, "ingest", str(tmp_path / "drop"))
    doc = cli_json(registry_home, "show", r["id"])
    assert doc["customer"] is None and doc["link_review"]["reason"].startswith("conflict")
    assert {c["name"] for c in doc["link_review"]["candidates"]} == {HD, ZZ}


def test_alias_added_later_relinks_waiting_documents(registry_home, tmp_path):
    doc = ingest_text(registry_home, tmp_path, "short.txt", contract("HDJM"))
    assert doc["customer"] is None
    cli_json(registry_home, "customers", "alias", HD, "HDJM", "--kind", "short")
    assert cli_json(registry_home, "show", doc["id"])["customer"]["name"] == HD


def test_manual_link_survives_relink_and_is_audited(registry_home, tmp_path):
    doc = ingest_text(registry_home, tmp_path, "m.txt", contract(HD))
    assert doc["link"]["method"] == "name"
    cli_json(registry_home, "link", doc["id"], ZZ)
    cli_json(registry_home, "relink", "--all")
    after = cli_json(registry_home, "show", doc["id"])
    assert (
        after["customer"]["name"] == ZZ and after["link"]["method"] == "manual" and after["link"]["origin"] == "manual"
    )
    entries = cli_json(registry_home, "audit", "--doc", doc["id"])
    assert any(e["action"] == "link.manual" for e in entries)
    assert json.loads(run_cli("audit", "--verify", "--json", home=registry_home).stdout)["ok"]


# ---------------------------------------------------------------------------- the customer file
def test_customer_file_completeness_and_expiry(registry_home, tmp_path):
    ingest_text(
        registry_home,
        tmp_path,
        "lic.txt",
        f"营业执照\n统一社会信用代码 {HD_USCC}\n名称 {HD}\n营业期限 2005年01月01日至2020年12月31日\n",
    )
    ingest_text(
        registry_home,
        tmp_path,
        "auth.txt",
        f"授权委托书\n委托人：{HD}\n受托人：张伟\n委托期限：自2024年1月1日起至2024年6月30日止\n2024年1月1日",
    )
    ingest_text(registry_home, tmp_path, "c1.txt", contract(HD, "签约代表：张伟"))  # signed 2024-03-05: covered
    late = contract(HD, "补").replace("2024年3月5日", "2024年9月1日")  # signed after the authorization ended
    ingest_text(registry_home, tmp_path, "c2.txt", late)
    f = cli_json(registry_home, "customers", "show", HD)
    assert set(f["documents_by_type"]) >= {"business_license", "authorization", "contract"}
    assert f["missing"] == []
    codes = sorted(w["code"] for w in f["warnings"])
    assert codes == ["agent_not_authorized_on_signing", "authorization_expired", "license_expired"]
    assert not f["complete"]
    bare = cli_json(registry_home, "customers", "show", ZZ)
    assert {m["doc_type"] for m in bare["missing"]} == {"business_license", "authorization", "contract"}


def test_sample_registry_and_samples_link_end_to_end(home):
    report = cli_json(home, "customers", "import", str(ROOT / "sample_docs" / "customers.csv"))
    assert report["created"] >= 10 and not report["errors"]
    inbox = home / "inbox"
    shutil.copy(SAMPLES / "合同-华东精密-HT-2024-0312.pdf", inbox)
    [r] = cli_json(home, "ingest", str(Path(inbox) / "合同-华东精密-HT-2024-0312.pdf"))
    doc = cli_json(home, "show", r["id"])
    assert doc["customer"]["name"] == HD and doc["link"]["method"] in ("uscc", "name")

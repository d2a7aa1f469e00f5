"""The public CLI contract (../shared/spec/interface.md): homes, JSON shapes, exit codes, clear errors."""

from __future__ import annotations

import json
import sqlite3

from conftest import SAMPLES, run_cli


def _head() -> str:
    """The newest migration, read from the migration scripts themselves."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from archiver.catalog.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


SHOW_KEYS = {
    "id",
    "sha256",
    "original_name",
    "mime",
    "pages",
    "ingested_at",
    "doc_type",
    "type_confidence",
    "fields",
    "customer",
    "link",
    "retention",
    "holds",
    "text_source",
}


def test_init_creates_the_home_layout_and_is_idempotent(tmp_path):
    home = tmp_path / "h"
    for _ in range(2):
        proc = run_cli("init", "--json", home=home, check=True)
    info = json.loads(proc.stdout)
    for name in ("archiver.toml", "inbox", "failed", "objects", "index", "catalog.sqlite"):
        assert (home / name).exists(), name
    assert info["home"] == str(home.resolve())
    con = sqlite3.connect(home / "catalog.sqlite")
    assert con.execute("select version_num from alembic_version").fetchone() == (_head(),)
    assert con.execute("pragma journal_mode").fetchone() == ("wal",)


def test_home_from_environment(tmp_path):
    home = tmp_path / "envhome"
    run_cli("init", env={"ARCHIVER_HOME": str(home)}, check=True)
    assert (home / "archiver.toml").exists()


def test_ingest_json_and_show_json_follow_the_spec(home):
    proc = run_cli("ingest", str(SAMPLES / "合同-华东精密-HT-2024-0312.pdf"), "--json", home=home, check=True)
    [r] = json.loads(proc.stdout)
    assert set(r) == {"path", "status", "id", "error"} and r["status"] == "archived" and r["error"] is None
    doc = json.loads(run_cli("show", r["id"], "--json", home=home, check=True).stdout)
    assert SHOW_KEYS <= set(doc)
    assert doc["original_name"] == "合同-华东精密-HT-2024-0312.pdf" and doc["pages"] == 3
    assert doc["text_source"] == "text_layer" and doc["customer"] is None and doc["link"] is None
    assert doc["ingested_at"][:4].isdigit() and doc["ingested_at"][10] == "T"
    # a second ingest of the same bytes is a duplicate of the same document
    [again] = json.loads(run_cli("ingest", str(SAMPLES / "合同-华东精密-HT-2024-0312.pdf"), "--json", home=home).stdout)
    assert again["status"] == "duplicate" and again["id"] == r["id"]
    # a unique prefix of the id is enough for show
    assert json.loads(run_cli("show", r["id"][:8], "--json", home=home, check=True).stdout)["id"] == r["id"]


def test_unknown_document_is_a_clear_error(home):
    proc = run_cli("show", "doesnotexist", "--json", home=home)
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["error"]["code"] == "not_found"
    assert "找不到" in proc.stderr and "no document" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_home_is_a_clear_error(tmp_path):
    proc = run_cli("show", "x", home=tmp_path / "nowhere")
    assert proc.returncode == 4 and "archiver init" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_arguments_and_missing_paths(home, tmp_path):
    proc = run_cli("ingest", str(tmp_path / "no-such.pdf"), home=home)
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("frobnicate", home=home)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_bad_config_is_a_clear_error(home):
    (home / "archiver.toml").write_text("[inbox\nsettle_seconds = ", encoding="utf-8")
    proc = run_cli("show", "x", home=home)
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr and "Traceback" not in proc.stderr


def test_audit_trail_records_ingest_and_detects_tampering(home):
    run_cli("ingest", str(SAMPLES / "通知-档案编号规则-GBK.txt"), home=home, check=True)
    run_cli("ingest", str(SAMPLES / "会议纪要-付款安排.docx"), home=home, check=True)
    entries = json.loads(run_cli("audit", "--json", home=home, check=True).stdout)
    assert [e["action"] for e in entries] == ["ingest", "ingest"] and entries[0]["actor"]
    assert json.loads(run_cli("audit", "--verify", "--json", home=home, check=True).stdout)["ok"]
    con = sqlite3.connect(home / "catalog.sqlite")
    con.execute("update audit_log set details = replace(details, 'GBK', 'XXX') where seq = 1")
    con.commit()
    proc = run_cli("audit", "--verify", "--json", home=home)
    assert proc.returncode == 1 and json.loads(proc.stdout)["first_bad_seq"] == 1


def test_verify_reports_altered_and_missing_originals(home):
    run_cli(
        "ingest",
        str(SAMPLES / "通知-档案编号规则-GBK.txt"),
        str(SAMPLES / "电子发票-华东精密.ofd"),
        home=home,
        check=True,
    )
    assert run_cli("verify", home=home).returncode == 0
    objects = sorted((home / "objects").glob("??/??/*"))
    objects[0].chmod(0o644)
    data = bytearray(objects[0].read_bytes())
    data[10] ^= 0xFF
    objects[0].write_bytes(bytes(data))
    objects[1].chmod(0o644)
    objects[1].unlink()
    proc = run_cli("verify", "--json", home=home)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and len(report["altered"]) == 1 and len(report["missing"]) == 1


def test_show_has_type_fields_and_their_sources(home):
    [r] = json.loads(
        run_cli("ingest", str(SAMPLES / "合同-华东精密-HT-2024-0312.pdf"), "--json", home=home, check=True).stdout
    )
    doc = json.loads(run_cli("show", r["id"], "--json", home=home, check=True).stdout)
    assert doc["doc_type"] == "contract" and doc["type_confidence"] >= 0.55
    assert doc["fields"]["contract_no"] == "HT-2024-0312" and doc["fields"]["amount"] == "123000.00"
    assert doc["fields"]["currency"] == "CNY" and doc["fields"]["signed_on"] == "2024-03-05"
    src = doc["field_sources"]["dispute_resolution"]
    assert src["page"] == 3 and "上海仲裁委员会" in src["text"] and src["origin"] == "extracted"
    entries = json.loads(run_cli("audit", "--json", home=home, check=True).stdout)
    assert entries[-1]["details"]["doc_type"] == "contract"


def test_a_synonym_added_to_the_home_rules_reclassifies(home):
    [r] = json.loads(run_cli("ingest", str(SAMPLES / "培训签到表.png"), "--json", home=home, check=True).stdout)
    assert json.loads(run_cli("show", r["id"], "--json", home=home).stdout)["doc_type"] == "other"
    rules = home / "doctypes.toml"
    text = rules.read_text(encoding="utf-8").replace('"会议记录",', '"会议记录", "签到表",', 1)
    rules.write_text(text, encoding="utf-8")
    changes = json.loads(run_cli("reclassify", "--json", home=home, check=True).stdout)
    assert [c["doc_type"] for c in changes] == [["other", "negotiation_record"]]
    assert json.loads(run_cli("show", r["id"], "--json", home=home).stdout)["doc_type"] == "negotiation_record"
    assert json.loads(run_cli("audit", "--json", home=home).stdout)[-1]["action"] == "reclassify"


def test_review_lists_uncertain_types(home, tmp_path):
    doc = tmp_path / "资料.txt"
    doc.write_text("资料\n请核对本协议中甲方、乙方的付款人与收款人，以及凭证号。\n", encoding="utf-8")
    [r] = json.loads(run_cli("ingest", str(doc), "--json", home=home, check=True).stdout)
    queue = json.loads(run_cli("review", "--json", home=home, check=True).stdout)
    assert [q["id"] for q in queue] == [r["id"]]
    why = {x["reason"]: x for x in queue[0]["reasons"]}
    assert len(why["type_uncertain"]["candidates"]) >= 2 and "unlinked" in why


def test_old_catalog_schema_is_refused_until_init_migrates_it(home):
    from alembic import command

    from archiver.catalog import db

    engine = db.make_engine(f"sqlite:///{home}/catalog.sqlite")
    with engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), "0001")
    engine.dispose()
    proc = run_cli("show", "x", home=home)
    assert proc.returncode == 4 and "archiver init" in proc.stderr
    run_cli("init", home=home, check=True)
    con = sqlite3.connect(home / "catalog.sqlite")
    assert con.execute("select version_num from alembic_version").fetchone() == (_head(),)

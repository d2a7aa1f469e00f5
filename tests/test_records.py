"""Legal holds, disposal with tombstones and the register, verification, the audit chain, evidence export."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import sqlite3
import subprocess
import zipfile

import pytest

from conftest import SAMPLES, run_cli

HD = "华东精密机械有限公司"
ZZ = "江南纺织品进出口有限公司"


def cli_json(home, *args, check=True):
    return json.loads(run_cli(*args, "--json", home=home, check=check).stdout)


def letter(home, tmp_path, name, customer, when="2024年4月15日", body="现就交货事宜函告如下。") -> str:
    p = tmp_path / name
    p.write_text(
        f"关于交货事宜的函\n云帆函〔2024〕{abs(hash(name)) % 90 + 1}号\n致：{customer}\n{body}\n特此函告。\n"
        f"上海云帆档案科技有限公司\n{when}\n",
        encoding="utf-8",
    )
    [r] = cli_json(home, "ingest", str(p))
    return r["id"]


@pytest.fixture
def rhome(home, tmp_path):
    (tmp_path / "c.csv").write_text(f"名称\n{HD}\n{ZZ}\n", encoding="utf-8")
    cli_json(home, "customers", "import", str(tmp_path / "c.csv"))
    policy = (home / "retention.toml").read_text(encoding="utf-8")
    (home / "retention.toml").write_text(
        policy.replace("[policies.correspondence]\nyears = 10", "[policies.correspondence]\nyears = 1"),
        encoding="utf-8",
    )
    return home


def test_hold_blocks_disposal_and_covers_later_documents_until_released(rhome, tmp_path):
    a = letter(rhome, tmp_path, "a.txt", HD)
    b = letter(rhome, tmp_path, "b.txt", ZZ)
    assert cli_json(rhome, "show", a)["retention"]["dispose_after"] == "2025-04-15"
    hold = cli_json(rhome, "hold", "place", "--customer", HD, "--matter", "(2026)沪0115民初123号", "--reason", "诉讼")
    assert hold["documents"] == 1
    dry = cli_json(rhome, "retention", "dispose")
    assert [r["id"] for r in dry["would_dispose"]] == [b] and [r["id"] for r in dry["blocked_by_hold"]] == [a]
    assert cli_json(rhome, "show", b)["status"] == "active"  # a dry run changes nothing
    done = cli_json(rhome, "retention", "dispose", "--confirm")
    assert done["disposed"] == [b]
    tomb = cli_json(rhome, "show", b)
    assert tomb["status"] == "disposed" and tomb["pages"] == 0 and tomb["sha256"] and tomb["original_name"] == "b.txt"
    assert not list((rhome / "objects").glob(f"??/??/{tomb['sha256']}"))
    with open(done["register"], encoding="utf-8-sig") as f:
        register = list(csv.reader(f))
    assert register[1][0] == b and register[1][2] == tomb["sha256"]
    assert cli_json(rhome, "retention", "register")[0]["document_id"] == b
    refused = [e for e in cli_json(rhome, "audit", "--doc", a) if e["action"] == "dispose.refused"]
    assert refused and refused[0]["details"]["held_by"] == [hold["id"]]
    # a document of the held customer that arrives later is held too
    c = letter(rhome, tmp_path, "c.txt", HD, when="2024年5月1日")
    assert [h["id"] for h in cli_json(rhome, "show", c)["holds"]] == [hold["id"]]
    assert cli_json(rhome, "retention", "dispose", "--confirm")["disposed"] == []
    # releasing puts the documents on the disposal report, it does not delete them
    cli_json(rhome, "hold", "release", hold["id"], "--reason", "案件已结")
    due = {r["id"] for r in cli_json(rhome, "retention", "report", "--due")}
    assert due == {a, c}
    assert cli_json(rhome, "show", a)["status"] == "active"
    assert cli_json(rhome, "verify")["ok"]
    assert json.loads(run_cli("audit", "--verify", "--json", home=rhome).stdout)["ok"]


def test_holds_stack_and_need_a_matter_and_reason(rhome, tmp_path):
    a = letter(rhome, tmp_path, "a.txt", HD)
    h1 = cli_json(rhome, "hold", "place", "--doc", a, "--matter", "M1", "--reason", "r1")
    h2 = cli_json(rhome, "hold", "place", "--customer", HD, "--matter", "M2", "--reason", "r2")
    cli_json(rhome, "hold", "release", h1["id"], "--reason", "done")
    assert [h["id"] for h in cli_json(rhome, "show", a)["holds"]] == [h2["id"]]
    assert cli_json(rhome, "retention", "dispose", "--confirm")["disposed"] == []
    listed = cli_json(rhome, "hold", "list")
    assert [h["id"] for h in listed] == [h2["id"]] and listed[0]["age_days"] == 0
    proc = run_cli("hold", "place", "--doc", a, "--matter", " ", "--reason", "x", home=rhome)
    assert proc.returncode == 2 and "matter" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("hold", "release", h2["id"], "--reason", "", home=rhome)
    assert proc.returncode == 2


def test_contract_family_hold(rhome, tmp_path):
    contract = tmp_path / "k.txt"
    contract.write_text(
        f"采购合同\n合同编号：HT-9\n甲方：{HD}\n乙方：上海云帆档案科技有限公司\n签订日期：2024年3月5日\n",
        encoding="utf-8",
    )
    amendment = tmp_path / "m.txt"
    amendment.write_text(f"补充协议\n原合同编号：HT-9\n甲方：{HD}\n乙方：上海云帆档案科技有限公司\n", encoding="utf-8")
    [k] = cli_json(rhome, "ingest", str(contract))
    [m] = cli_json(rhome, "ingest", str(amendment))
    about = letter(rhome, tmp_path, "about.txt", HD, body="关于HT-9合同的交货，现函告如下。")
    other = letter(rhome, tmp_path, "other.txt", HD)
    hold = cli_json(rhome, "hold", "place", "--contract", "HT-9", "--matter", "M", "--reason", "r")
    assert hold["documents"] == 3
    held = {d for d in (k["id"], m["id"], about, other) if cli_json(rhome, "show", d)["holds"]}
    assert held == {k["id"], m["id"], about}


def test_audit_verify_catches_deleted_and_reordered_entries(rhome, tmp_path):
    for n in range(4):
        letter(rhome, tmp_path, f"l{n}.txt", HD, when=f"2024年4月{n + 1}日")
    db = rhome / "catalog.sqlite"
    entries = sqlite3.connect(db).execute("select seq from audit_log order by seq").fetchall()
    assert len(entries) >= 5
    con = sqlite3.connect(db)
    con.execute("delete from audit_log where seq = 3")
    con.commit()
    r = json.loads(run_cli("audit", "--verify", "--json", home=rhome).stdout)
    assert not r["ok"] and r["first_bad_seq"] == 4


def test_audit_verify_catches_reordered_entries(rhome, tmp_path):
    for n in range(3):
        letter(rhome, tmp_path, f"l{n}.txt", HD, when=f"2024年4月{n + 1}日")
    con = sqlite3.connect(rhome / "catalog.sqlite")
    rows = con.execute(
        "select seq, at, actor, action, document_id, details, prev_hash, hash from audit_log "
        "where seq in (3, 4) order by seq"
    ).fetchall()
    for (seq, *_), (_, *rest) in zip(rows, reversed(rows), strict=True):
        con.execute(
            "update audit_log set at=?, actor=?, action=?, document_id=?, details=?, prev_hash=?, hash=? where seq=?",
            (*rest, seq),
        )
    con.commit()
    r = json.loads(run_cli("audit", "--verify", "--json", home=rhome).stdout)
    assert not r["ok"] and r["first_bad_seq"] == 3


def _entry_hash(e: dict) -> str:
    """An independent implementation of the documented chain rule (README.txt of the bundle)."""
    payload = json.dumps(
        [e["prev_hash"], e["at"], e["actor"], e["action"], e["document_id"], e["details"]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_export_bundle_verifies_with_sha256sum(rhome, tmp_path):
    ids = [letter(rhome, tmp_path, "a.txt", HD)]
    [r] = cli_json(rhome, "ingest", str(SAMPLES / "合同-华东精密-HT-2024-0312.pdf"))
    ids.append(r["id"])
    letter(rhome, tmp_path, "z.txt", ZZ)  # another customer's: not in the bundle
    out = tmp_path / "证据包.zip"
    result = cli_json(rhome, "export", "--customer", HD, str(out))
    assert result["documents"] == 2
    unpacked = tmp_path / "bundle"
    zipfile.ZipFile(out).extractall(unpacked)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len((unpacked / "SHA256SUMS").read_text().splitlines())
    manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in manifest["documents"]) == sorted(ids)
    pdf = next(d for d in manifest["documents"] if d["id"] == r["id"])
    original = unpacked / pdf["files"]["original"]
    assert original.name == "合同-华东精密-HT-2024-0312.pdf"
    assert original.read_bytes() == (SAMPLES / "合同-华东精密-HT-2024-0312.pdf").read_bytes()
    assert pdf["sha256"] == hashlib.sha256(original.read_bytes()).hexdigest() and pdf["customer"]["name"] == HD
    assert "不可抗力" in (unpacked / pdf["files"]["text"]).read_text(encoding="utf-8")
    entries = [json.loads(line) for line in (unpacked / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {e["document_id"] for e in entries} == set(ids)
    assert all(_entry_hash(e) == e["hash"] for e in entries)
    chain = [json.loads(line) for line in (unpacked / "audit_chain.jsonl").read_text().splitlines()]
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(chain))
    assert {e["seq"] for e in entries} <= {c["seq"] for c in chain}
    readme = (unpacked / "README.txt").read_text(encoding="utf-8")
    assert "sha256sum -c SHA256SUMS" in readme and "校验" in readme and "Check" in readme
    assert any(e["action"] == "export" for e in cli_json(rhome, "audit"))


def test_export_by_hold_and_bad_selection(rhome, tmp_path):
    a = letter(rhome, tmp_path, "a.txt", HD)
    h = cli_json(rhome, "hold", "place", "--doc", a, "--matter", "M", "--reason", "r")
    result = cli_json(rhome, "export", "--hold", h["id"], str(tmp_path / "h.zip"))
    assert result["documents"] == 1
    proc = run_cli("export", str(tmp_path / "x.zip"), home=rhome)
    assert proc.returncode == 2 and "choose one" in proc.stderr


def test_verify_resumes_an_interrupted_run(rhome, tmp_path):
    ids = sorted(letter(rhome, tmp_path, f"r{n}.txt", HD, when=f"2024年4月{n + 1}日") for n in range(3))
    first = cli_json(rhome, "show", ids[0])
    finding = {
        "id": ids[0],
        "original_name": first["original_name"],
        "sha256": first["sha256"],
        "actual_sha256": "0" * 64,
    }
    (rhome / "verify-state.json").write_text(
        json.dumps({"last_id": ids[0], "checked": 1, "missing": [], "altered": [finding]}), encoding="utf-8"
    )
    proc = run_cli("verify", "--resume", "--json", home=rhome)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and report["checked"] == 3 and report["altered"] == [finding]
    assert not (rhome / "verify-state.json").exists()
    assert cli_json(rhome, "verify")["ok"]  # a fresh run starts over

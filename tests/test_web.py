"""The web interface through its HTTP surface (FastAPI's test client, real archive home and samples):
accounts and roles on every route, CSRF, sessions, downloads, uploads, edits — all audited."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from archiver.accounts import ROLES
from archiver.core import Archive
from archiver.web.app import create_app, web_routes
from archiver.web.auth import route_role
from conftest import ROOT, SAMPLES, run_cli, sample_home

FILES = [
    "合同-华东精密-HT-2024-0312.pdf",  # text layer, 3 pages
    "营业执照-深圳市前海智联物流有限公司.pdf",
    "合同-产品购销合同-YF-2023-5459.docx",
    "变更-合同变更协议-HT-2023-9082.png",  # a scan: page image previews
    "纪要-商务洽谈记录-售后服务条款.png",  # no customer: waits in review
]
PASSWORD = "correct horse battery"
OPEN_ROUTES = {("GET", "/login"), ("POST", "/login"), ("GET", "/lang/{lang}"), ("POST", "/api/login")}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    home = sample_home(tmp_path_factory.mktemp("web"), FILES)
    archive = Archive.open(home)
    for role in ROLES:
        archive.accounts.add(role + "1", PASSWORD, role)
    app = create_app(archive, "k" * 64)
    yield app, archive
    archive.close()


def login(app, username: str, password: str = PASSWORD) -> TestClient:
    c = TestClient(app)
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"username": username, "password": password, "csrf": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient) -> str:
    return c.get("/api/me").json()["csrf"]


def doc_id(archive: Archive, name: str) -> str:
    from sqlalchemy import select

    from archiver.catalog.models import Document

    with archive.sessions() as s:
        return s.execute(select(Document.id).where(Document.original_name == name)).scalar_one()


def routes(app) -> list:
    return list(web_routes(app))


def fill(path: str, archive: Archive) -> str:
    values = {
        "doc_id": doc_id(archive, FILES[0]),
        "number": "1",
        "ref": "华东精密",
        "hold_id": "Hnothere",
        "failure_id": "999999",
        "username": "viewer1",
        "lang": "en",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_every_route_declares_a_role_or_is_one_of_the_open_ones(web):
    app, _ = web
    undeclared = {(m, p) for m, p, r in routes(app) if route_role(r) is None}
    assert undeclared == OPEN_ROUTES
    assert len(routes(app)) > 40


def test_anonymous_requests_get_nothing(web):
    app, archive = web
    c = TestClient(app)
    for method, path, _route in routes(app):
        if (method, path) in OPEN_ROUTES:
            continue
        r = c.request(method, fill(path, archive), follow_redirects=False)
        if path.startswith("/api/"):
            assert r.status_code in (401, 403), (method, path, r.status_code)
        else:
            assert r.status_code in (303, 403), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login?next=")
        assert b"%PDF" not in r.content and "华东精密" not in r.text, (method, path)


def test_each_role_is_refused_every_route_above_it(web):
    app, archive = web
    for role in ROLES:
        c = login(app, role + "1")
        token = csrf_of(c)
        for method, path, route in routes(app):
            needed = route_role(route)
            if needed is None or ROLES.index(role) >= ROLES.index(needed):
                continue
            kwargs = {"headers": {"X-CSRF-Token": token}}
            if method == "POST" and path.startswith("/api/"):
                kwargs["json"] = {}
            r = c.request(method, fill(path, archive), follow_redirects=False, **kwargs)
            assert r.status_code == 403 and r.headers.get("X-Archiver-Error") == "forbidden", (role, method, path)


def test_each_role_reads_what_it_may(web):
    app, archive = web
    for role in ROLES:
        c = login(app, role + "1")
        for method, path, route in routes(app):
            needed = route_role(route)
            if method != "GET" or needed is None or ROLES.index(role) < ROLES.index(needed):
                continue
            if "uploads/status" in path or path.endswith("/original") or path == "/api/search":
                continue  # need parameters; covered below
            r = c.get(fill(path, archive), follow_redirects=False)
            assert r.status_code == 200, (role, path, r.status_code, r.text[:300])


def test_viewer_cannot_hold_release_dispose_edit_or_export(web):
    app, archive = web
    c = login(app, "viewer1")
    h = {"X-CSRF-Token": csrf_of(c)}
    did = doc_id(archive, FILES[0])
    attempts = [
        ("/api/holds", {"matter": "M", "reason": "R", "doc_ids": [did]}),
        ("/api/holds/Hx/release", {"reason": "R"}),
        ("/api/disposal", {"confirm": True}),
        (f"/api/documents/{did}/field", {"name": "contract_no", "value": "X"}),
        (f"/api/documents/{did}/type", {"doc_type": "other"}),
        (f"/api/documents/{did}/link", {"customer": "华东精密"}),
        ("/api/export", {"doc_ids": [did]}),
        ("/api/users", {"username": "x1", "password": "p" * 12, "role": "admin"}),
    ]
    for url, body in attempts:
        assert c.post(url, json=body, headers=h).status_code == 403, url
    assert archive.records.list_holds() == []
    assert archive.show(did)["fields"]["contract_no"] == "HT-2024-0312"


def test_forms_without_the_csrf_token_are_refused(web):
    app, archive = web
    c = login(app, "admin1")
    did = doc_id(archive, FILES[0])
    r = c.post(f"/documents/{did}/field", data={"name": "contract_no", "value": "EVIL"})
    assert r.status_code == 403 and r.headers["X-Archiver-Error"] == "csrf"
    r = c.post(f"/documents/{did}/field", data={"name": "contract_no", "value": "EVIL", "csrf": "forged"})
    assert r.status_code == 403
    r = c.post("/api/holds", json={"matter": "M", "reason": "R", "doc_ids": [did]})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    assert archive.show(did)["fields"]["contract_no"] == "HT-2024-0312"


def test_session_cookie_is_httponly_samesite_and_new_at_login(web):
    app, _ = web
    c = TestClient(app)
    c.get("/login")
    before = c.cookies.get("archiver_session")
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert c.cookies.get("archiver_session") != before
    assert c.post("/logout", data={"csrf": csrf_of(c)}, follow_redirects=False).status_code == 303
    assert c.get("/api/me").status_code == 401


def test_failed_logins_slow_down_and_are_audited(web):
    app, archive = web
    archive.accounts.add("slow1", PASSWORD, "viewer")
    c = TestClient(app)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    codes = [
        c.post("/login", data={"username": "slow1", "password": "wrong password!", "csrf": token}).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 401]
    r = c.post("/login", data={"username": "slow1", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    assert r.status_code == 429  # even the right password waits out the delay
    assert "秒后再试" in r.text
    trail = run_cli("audit", "--json", home=archive.cfg.home, check=True).stdout
    assert trail.count('"user.login_failed"') >= 3


def test_password_change_ends_other_sessions(web):
    app, archive = web
    archive.accounts.add("moving1", PASSWORD, "viewer")
    c = login(app, "moving1")
    assert c.get("/api/me").status_code == 200
    archive.accounts.update("moving1", password="another long password")
    assert c.get("/api/me").status_code == 401


def test_download_is_byte_identical_with_the_chinese_name_and_audited(web):
    app, archive = web
    c = login(app, "viewer1")
    did = doc_id(archive, FILES[0])
    r = c.get(f"/documents/{did}/original")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256((SAMPLES / FILES[0]).read_bytes()).hexdigest()
    disposition = r.headers["content-disposition"]
    assert unquote(disposition.split("filename*=utf-8''")[1]) == FILES[0]
    trail = archive.document_audit(did)
    assert any(e["action"] == "document.download" and e["actor"] == "viewer1" for e in trail)
    # the API serves the same bytes
    assert c.get(f"/api/documents/{did}/original").content == r.content


def test_document_page_shows_fields_pages_highlights_and_audits_the_view(web):
    app, archive = web
    c = login(app, "viewer1")
    did = doc_id(archive, FILES[0])
    r = c.get(f"/documents/{did}", params={"q": "争议"})
    assert r.status_code == 200
    assert "HT-2024-0312" in r.text and 'id="page-3"' in r.text
    assert re.search(r"<mark>争\s*议</mark>", r.text)
    assert any(e["action"] == "document.view" and e["actor"] == "viewer1" for e in archive.document_audit(did))
    png = c.get(f"/documents/{did}/pages/2.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    scan = doc_id(archive, "变更-合同变更协议-HT-2023-9082.png")
    assert c.get(f"/documents/{scan}/pages/1.png").content.startswith(b"\x89PNG")
    assert c.get(f"/documents/{scan}/pages/9.png").status_code == 404
    docx = doc_id(archive, FILES[2])
    assert c.get(f"/documents/{docx}/pages/1.png").status_code == 404  # Word has no page images; text is shown


def test_search_page_has_facets_pages_and_paging(web):
    app, _ = web
    c = login(app, "viewer1")
    r = c.get("/search", params={"q": "合同"})
    assert r.status_code == 200 and "#page-" in r.text
    assert re.search(r"共找到 \d+ 份文档", r.text)
    assert "华东精密机械有限公司" in r.text  # customer facet
    api = c.get("/api/search", params={"q": "不可抗力"}).json()
    assert api["total"] >= 1 and api["results"][0]["hits"][0]["snippet"].count("【") == 1
    assert {"doc_type", "customer", "year"} <= set(api["facets"])
    by_customer = c.get("/api/search", params={"q": "", "customer": "华东精密"}).json()
    assert by_customer["total"] >= 1  # a filter alone lists the customer's documents
    bad = c.get("/search", params={"q": '"unbalanced'})
    assert bad.status_code == 400 and "引号" in bad.text and "Traceback" not in bad.text


def test_records_staff_correct_a_field_and_the_type_with_old_and_new_audited(web):
    app, archive = web
    c = login(app, "records1")
    token = csrf_of(c)
    did = doc_id(archive, FILES[2])
    before = archive.show(did)["fields"].get("amount")
    r = c.post(f"/documents/{did}/field", data={"name": "amount", "value": "130000.00", "csrf": token})
    assert r.status_code == 200
    assert archive.show(did)["fields"]["amount"] == "130000.00"
    entry = [e for e in archive.document_audit(did) if e["action"] == "field.manual"][-1]
    assert entry["actor"] == "records1" and entry["details"] == {"field": "amount", "old": before, "new": "130000.00"}
    bad = c.post(f"/documents/{did}/field", data={"name": "signed_on", "value": "not a date", "csrf": token})
    assert bad.status_code == 400 and "日期" in bad.text
    # manual values survive reclassification
    archive.reclassify([did])
    assert archive.show(did)["fields"]["amount"] == "130000.00"
    review = doc_id(archive, "纪要-商务洽谈记录-售后服务条款.png")
    r = c.post(f"/api/documents/{review}/type", json={"doc_type": "谈判记录"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and archive.show(review)["doc_type"] == "negotiation_record"


def test_review_queue_links_with_one_click(web):
    app, archive = web
    c = login(app, "records1")
    page = c.get("/review")
    review = doc_id(archive, "纪要-商务洽谈记录-售后服务条款.png")
    assert review in page.text
    r = c.post(
        f"/documents/{review}/link",
        data={"customer": "华东精密", "next": "/review", "csrf": csrf_of(c)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/review")
    shown = archive.show(review)
    assert shown["customer"]["name"] == "华东精密机械有限公司" and shown["link"]["method"] == "manual"
    assert [e for e in archive.document_audit(review) if e["action"] == "link.manual"][-1]["actor"] == "records1"


def test_upload_lands_in_the_inbox_and_reports_its_outcome(web):
    app, archive = web
    c = login(app, "records1")
    h = {"X-CSRF-Token": csrf_of(c)}
    sample = SAMPLES / "扫描-延期交货函.jpg"
    broken = b"%PDF-1.7\n garbage with no objects"
    r = c.post(
        "/api/uploads",
        files=[
            ("files", ("../../逃逸-延期交货函.jpg", sample.read_bytes(), "image/jpeg")),
            ("files", ("坏文件.pdf", broken, "application/pdf")),
            ("files", ("合同-华东精密-HT-2024-0312.pdf", (SAMPLES / FILES[0]).read_bytes(), "application/pdf")),
        ],
        headers=h,
    )
    assert r.status_code == 200
    items = r.json()
    paths = [Path(i["path"]) for i in items]
    assert all(p.parent == archive.cfg.inbox for p in paths)  # the "../../" went nowhere
    assert paths[0].name == "逃逸-延期交货函.jpg" and paths[0].read_bytes() == sample.read_bytes()
    status = c.get("/api/uploads/status", params={"path": items[0]["path"], "since": items[0]["since"]}).json()
    assert status["status"] == "waiting"
    run_cli("watch", "--until-idle", "2", home=archive.cfg.home, check=True, timeout=300)
    got = [c.get("/api/uploads/status", params={"path": i["path"], "since": i["since"]}).json() for i in items]
    assert [g["status"] for g in got] == ["archived", "failed", "duplicate"]
    assert got[1]["reason_zh"] and got[1]["reason_en"]
    assert got[2]["id"] == doc_id(archive, FILES[0])
    outside = c.get("/api/uploads/status", params={"path": "/etc/passwd", "since": items[0]["since"]})
    assert outside.status_code == 400
    # the failure can be retried from the failures page after a fix
    fid = next(f["id"] for f in archive.failures() if f["name"] == "坏文件.pdf")
    assert c.post(f"/api/failures/{fid}/retry", headers=h).json()["inbox_path"].endswith("坏文件.pdf")
    assert (archive.cfg.inbox / "坏文件.pdf").read_bytes() == broken


def test_hold_blocks_disposal_through_the_web_and_legal_exports(web, tmp_path):
    app, archive = web
    closed = tmp_path / "closed.csv"
    closed.write_text(
        "客户名称,统一社会信用代码,状态,关系终止日期\n深圳市前海智联物流有限公司,,终止,2001-01-31\n", "utf-8"
    )
    run_cli("customers", "import", str(closed), home=archive.cfg.home, check=True)
    licence = doc_id(archive, "营业执照-深圳市前海智联物流有限公司.pdf")
    legal = login(app, "legal1")
    lh = {"X-CSRF-Token": csrf_of(legal)}
    r = legal.post(
        "/holds",
        data={
            "matter": "（2026）沪01民初1号",
            "reason": "诉讼",
            "scope": "documents",
            "target": licence,
            "csrf": lh["X-CSRF-Token"],
        },
    )
    assert r.status_code == 200 and "（2026）沪01民初1号" in r.text

    def found(q):
        return {r["id"] for r in legal.get("/api/search", params={"q": q}).json()["results"]}

    assert licence in found("due:yes") and licence not in found("due:no")  # from the catalog, current
    assert licence in found("营业执照 hold:yes") and licence not in found("hold:no")  # from the index
    assert licence not in found("合同 due:yes")
    admin = login(app, "admin1")
    ah = {"X-CSRF-Token": csrf_of(admin)}
    page = admin.get("/disposal").text
    blocked = page.split('id="blocked"')[1].split("</table>")[0]
    assert licence in blocked
    result = admin.post("/api/disposal", json={"confirm": True}, headers=ah).json()
    assert licence not in result["disposed"] and licence in [b["id"] for b in result["blocked_by_hold"]]
    assert archive.show(licence)["status"] == "active" and archive.object_path(licence).is_file()
    bundle = legal.post("/api/export", json={"doc_ids": [licence]}, headers=lh)
    assert bundle.status_code == 200 and bundle.content[:2] == b"PK"
    assert bundle.headers["content-disposition"].startswith("attachment")
    hold_id = archive.records.list_holds()[0]["id"]
    assert legal.post(f"/api/holds/{hold_id}/release", json={"reason": "结案"}, headers=lh).status_code == 200


def test_admin_manages_users_and_the_cli_adds_them(web):
    app, archive = web
    admin = login(app, "admin1")
    token = csrf_of(admin)
    r = admin.post("/users", data={"username": "clerk1", "password": "short", "role": "records", "csrf": token})
    assert r.status_code == 400 and "10" in r.text
    admin.post("/users", data={"username": "clerk1", "password": PASSWORD, "role": "records", "csrf": token})
    assert login(app, "clerk1").get("/api/me").json()["role"] == "records"
    admin.post("/users/clerk1", data={"disabled": "yes", "csrf": token})
    c = TestClient(app)
    tok = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    assert c.post("/login", data={"username": "clerk1", "password": PASSWORD, "csrf": tok}).status_code == 401
    cmd = [
        sys.executable,
        "-m",
        "archiver",
        "users",
        "add",
        "cliuser",
        "--role",
        "legal",
        "--home",
        str(archive.cfg.home),
    ]
    empty = subprocess.run(cmd, input="", capture_output=True, text=True, cwd=ROOT)
    assert empty.returncode == 2 and "10" in empty.stderr  # no password given: refused, never an empty one
    done = subprocess.run(cmd, input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert login(app, "cliuser").get("/api/me").json()["role"] == "legal"


def test_api_login_json_and_openapi(web):
    app, _ = web
    c = TestClient(app)
    assert c.post("/api/login", json={"username": "legal1", "password": "nope nope nope"}).status_code == 401
    r = c.post("/api/login", json={"username": "legal1", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["role"] == "legal" and r.json()["csrf"]
    spec = c.get("/api/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/holds" in spec["paths"]


def test_english_interface(web):
    app, _ = web
    c = login(app, "viewer1")
    assert "概览" in c.get("/").text
    c.get("/lang/en")
    assert "Dashboard" in c.get("/").text and "概览" not in c.get("/").text

"""End to end in a real browser: Debian's chromium driven by Playwright against `archiver serve` and
`archiver watch` processes on a real archive home. Screenshots of every page go to test-artifacts/."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, TRUTH, run_cli, sample_home
from watchproc import WatchProcess, wait_for

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"
SCAN = "扫描-补充协议-HT-2024-0312.pdf"  # two scanned pages, no text layer
LICENCE = "营业执照-深圳市前海智联物流有限公司.pdf"
PRELOADED = ["合同-华东精密-HT-2024-0312.pdf", LICENCE, "纪要-商务洽谈记录-售后服务条款.png"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),  # in CI a missing browser is a failure, not a skip
    reason="Debian's chromium is installed by scripts/test.sh",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/login", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = sample_home(tmp_path_factory.mktemp("e2e"), PRELOADED)
    closed = home.parent / "closed.csv"  # the relationship ended long ago: the licence is past retention
    closed.write_text("客户名称,状态,关系终止日期\n深圳市前海智联物流有限公司,终止,2001-01-31\n", "utf-8")
    run_cli("customers", "import", str(closed), home=home, check=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(home.parent / "serve.log", "w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "archiver", "serve", "--home", str(home), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    watcher = WatchProcess(home)
    try:
        watcher.wait_ready()
        wait_for(lambda: up(url), timeout=60, what="web server")
        printed = (home.parent / "serve.log").read_text(encoding="utf-8")
        m = re.search(r"user (\S+)\s+password (\S+)", printed)
        assert m, printed  # the first admin login is printed once
        assert f"http://127.0.0.1:{port}/" in printed
        yield {"url": url, "home": home, "user": m.group(1), "password": m.group(2)}
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        log.close()
        watcher.stop()


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_records_and_legal_in_the_browser(site, page):
    url = site["url"]
    page.goto(url + "/")
    assert "/login" in page.url  # nothing without logging in
    shot(page, "01-login")
    page.fill("input[name=username]", site["user"])
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("#error")
    page.fill("input[name=username]", site["user"])
    page.fill("input[name=password]", site["password"])
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")
    assert "概览" in page.inner_text("h1")
    shot(page, "02-dashboard")

    # upload a scan and wait until the watcher has archived it
    page.goto(url + "/upload")
    page.set_input_files("#files", str(SAMPLES / SCAN))
    page.wait_for_selector('td.status[data-status="archived"]', timeout=240_000)
    shot(page, "03-upload")
    doc_id = page.get_attribute("a.open-doc", "href").rsplit("/", 1)[1]

    # search a clause OCR read on a later page; the hit opens the document on that page
    text = json.loads(run_cli("show", doc_id, "--text", "--json", home=site["home"], check=True).stdout)
    truth = next(t for t in TRUTH if t["file"] == SCAN)
    flat = {p["page"]: re.sub(r"\s+", "", p["text"]) for p in text["page_info"]}
    page_no, phrase = next(
        (int(n), re.sub(r"[:：\s]", " ", s).split()[0])
        for n, snippets in sorted(truth["snippets"].items(), reverse=True)
        for s in snippets
        if re.sub(r"[:：\s]", " ", s).split()[0] in flat[int(n)]
        and not any(re.sub(r"[:：\s]", " ", s).split()[0] in t for k, t in flat.items() if k != int(n))
    )
    page.goto(url + "/search")
    page.fill("input[name=q]", f'"{phrase}"')
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".result")
    shot(page, "04-search")
    link = page.locator(f'a.page-link[href^="/documents/{doc_id}"]').first
    assert link.get_attribute("href").endswith(f"#page-{page_no}")
    link.click()
    page.wait_for_url(re.compile(rf"/documents/{doc_id}.*#page-{page_no}$"))
    target = page.locator(f"#page-{page_no}")
    assert phrase in re.sub(r"\s+", "", target.locator("mark").first.inner_text())
    image = target.locator("img")
    image.scroll_into_view_if_needed()
    wait_for(lambda: image.evaluate("img => img.complete && img.naturalWidth > 0"), timeout=60, what="page image")
    shot(page, "05-document")

    # the original comes back byte for byte, under its Chinese name
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == SCAN
    got = hashlib.sha256(Path(download.path()).read_bytes()).hexdigest()
    assert got == hashlib.sha256((SAMPLES / SCAN).read_bytes()).hexdigest() == page.inner_text("#sha256")

    # legal places a hold on the licence that is past retention; disposal refuses it
    page.goto(url + "/search?q=" + "营业执照")
    licence_href = page.locator(".result a.doc-link", has_text=LICENCE).first.get_attribute("href")
    licence_id = licence_href.split("/documents/")[1].split("?")[0]
    page.goto(url + "/holds")
    page.fill("#hold-form input[name=matter]", "（2026）沪0115民初1234号")
    page.fill("#hold-form input[name=reason]", "合同纠纷诉讼，保全客户资料")
    page.select_option("#hold-form select[name=scope]", "documents")
    page.fill("#hold-form input[name=target]", licence_id)
    page.click("#hold-form button")
    page.wait_for_selector("#holds .tag.hold")
    assert "（2026）沪0115民初1234号" in page.inner_text("#holds")
    shot(page, "06-holds")
    page.goto(url + "/disposal")
    assert LICENCE in page.inner_text("#blocked")
    assert LICENCE not in page.inner_text("#due")
    shot(page, "07-disposal")
    page.goto(url + f"/documents/{licence_id}")
    assert "保全期间不得销毁" in page.inner_text("body")

    # the remaining pages render (and are looked at in the screenshots)
    for name, path in [
        ("08-customers", "/customers"),
        ("09-customer-file", "/customers/华东精密"),
        ("10-review", "/review"),
        ("11-retention", "/retention"),
        ("12-failures", "/failures"),
        ("13-users", "/users"),
        ("14-export", "/export"),
    ]:
        response = page.goto(url + path)
        assert response.status == 200, path
        shot(page, name)
    page.goto(url + "/lang/en?next=/")
    assert "Dashboard" in page.inner_text("h1")
    shot(page, "15-dashboard-en")
    page.goto(url + "/lang/zh?next=/")

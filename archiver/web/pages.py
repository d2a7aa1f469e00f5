"""The HTML pages. Each handler checks the role, calls the core, and renders a template — no rules here."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from .. import audit
from ..accounts import ROLES, LoginRefused, LoginThrottled
from ..errors import UsageError
from ..index.query import highlight, parse
from ..index.service import resolve_type
from ..overview import dashboard
from ..understand.classify import DOC_TYPES
from ..uploads import arrival_status, save_upload
from .app import render, texts
from .auth import WebUser, check_csrf, require, start_session

router = APIRouter(dependencies=[Depends(check_csrf)])
Viewer = Annotated[WebUser, Depends(require("viewer"))]
Records = Annotated[WebUser, Depends(require("records"))]
Legal = Annotated[WebUser, Depends(require("legal"))]
Admin = Annotated[WebUser, Depends(require("admin"))]
PER_PAGE = 20
STATUS_FILTERS = {"held": "hold:yes", "due": "due:yes"}


def archive_of(request: Request):
    return request.app.state.archive


def back(url: str, **params) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(url + (("&" if "?" in url else "?") + query if query else ""), status_code=303)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


# ---------------------------------------------------------------------- session
@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
):
    try:
        start_session(request, username, password)
    except (LoginRefused, LoginThrottled) as e:
        status = 429 if isinstance(e, LoginThrottled) else 401
        error = texts(request)(e.zh, e.en)
        return render(request, "login.html", next=_safe_next(next), error=error, status_code=status)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, user: Viewer):
    lang = request.session.get("lang", "zh")
    request.session.clear()
    request.session["lang"] = lang
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{lang}")
def set_lang(request: Request, lang: str, next: str = "/"):
    request.session["lang"] = "en" if lang == "en" else "zh"
    return RedirectResponse(_safe_next(next), status_code=303)


# ---------------------------------------------------------------------- reading
@router.get("/")
def home(request: Request, user: Viewer):
    a = archive_of(request)
    return render(request, "dashboard.html", user, d=dashboard(a), can_review=user.can("records"))


@router.get("/search")
def search(
    request: Request,
    user: Viewer,
    q: str = "",
    customer: str = "",
    type: str = "",
    date_from: str = "",
    date_to: str = "",
    status: str = "",
    page: int = 1,
):
    a = archive_of(request)
    form = {"q": q, "customer": customer, "type": type, "date_from": date_from, "date_to": date_to, "status": status}
    if not any(v.strip() for v in form.values()):
        return render(request, "search.html", user, form=form, results=None, types=DOC_TYPES)
    m = a.index.match(
        f"{q} {STATUS_FILTERS.get(status, '')}".strip(),
        customer=customer.strip() or None,
        doc_type=type or None,
        date_from=date_from or None,
        date_to=date_to or None,
    )
    page = max(1, page)
    shown = m.ranked[(page - 1) * PER_PAGE : page * PER_PAGE]
    results = a.index.describe(shown, m.literals, parts=True)
    pages_total = max(1, -(-len(m.ranked) // PER_PAGE))
    return render(
        request,
        "search.html",
        user,
        form=form,
        results=results,
        total=len(m.ranked),
        complete=m.complete,
        estimate=m.estimate,
        facets=a.index.facets([g["id"] for g in m.ranked]),
        page=page,
        pages_total=pages_total,
        types=DOC_TYPES,
        query_string=lambda **kw: urlencode({**form, **kw}),
    )


@router.get("/documents/{doc_id}")
def document(request: Request, user: Viewer, doc_id: str, q: str = ""):
    a = archive_of(request)
    doc = a.show(doc_id, with_text=True)
    literals = parse(q, resolve_type).literals if q.strip() else []
    pages = []
    for p in doc["page_info"]:
        parts = highlight(p["text"], literals)
        pages.append(
            {
                "number": p["page"],
                "source": p["source"],
                "ocr_confidence": p["ocr_confidence"],
                "parts": parts,
                "hit": any(is_hit for _text, is_hit in parts),
            }
        )
    previews = doc["mime"] == "application/pdf" or doc["mime"].startswith("image/")
    with audit.acting_as(user.username):
        a.record_access(doc["id"], "document.view", via="web")
    return render(
        request,
        "document.html",
        user,
        doc=doc,
        pages=pages,
        previews=previews,
        q=q,
        trail=a.document_audit(doc["id"]),
        types=DOC_TYPES,
        field_names=sorted({*doc["fields"], *_type_fields(a, doc["doc_type"])}),
    )


def _type_fields(a, doc_type: str | None) -> list[str]:
    return [f.name for f in a.rules.fields.by_type.get(doc_type or "", ())]


@router.get("/documents/{doc_id}/pages/{number}.png")
def page_image(request: Request, user: Viewer, doc_id: str, number: int):
    o = archive_of(request).original(doc_id)
    png = request.app.state.previews.page(o.path, o.sha256, o.mime, number)
    if png is None:
        return Response(status_code=404)
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/documents/{doc_id}/original")
def original(request: Request, user: Viewer, doc_id: str):
    a = archive_of(request)
    o = a.original(doc_id)  # not show(): a download needs no retention computed over the whole archive
    with audit.acting_as(user.username):
        a.record_access(o.id, "document.download", via="web", sha256=o.sha256)
    return FileResponse(o.path, media_type=o.mime, filename=o.name)


@router.get("/customers")
def customers(request: Request, user: Viewer, q: str = ""):
    return render(request, "customers.html", user, rows=archive_of(request).customers_list(q or None), q=q)


@router.get("/customers/{ref}")
def customer(request: Request, user: Viewer, ref: str):
    return render(request, "customer.html", user, c=archive_of(request).customer_show(ref))


# ---------------------------------------------------------------------- records staff
@router.get("/review")
def review(request: Request, user: Records):
    return render(request, "review.html", user, rows=archive_of(request).review_queue(), types=DOC_TYPES)


@router.post("/documents/{doc_id}/link")
def link(
    request: Request, user: Records, doc_id: str, customer: Annotated[str, Form()], next: Annotated[str, Form()] = ""
):
    with audit.acting_as(user.username):
        out = archive_of(request).link(doc_id, customer)
    return back(_safe_next(next or f"/documents/{out['id']}"), done="link")


@router.post("/documents/{doc_id}/field")
def set_field(
    request: Request, user: Records, doc_id: str, name: Annotated[str, Form()], value: Annotated[str, Form()] = ""
):
    with audit.acting_as(user.username):
        out = archive_of(request).set_field(doc_id, name, value)
    return back(f"/documents/{out['id']}", done="field")


@router.post("/documents/{doc_id}/type")
def set_type(
    request: Request, user: Records, doc_id: str, doc_type: Annotated[str, Form()], next: Annotated[str, Form()] = ""
):
    with audit.acting_as(user.username):
        out = archive_of(request).set_type(doc_id, doc_type)  # checks the type before anything changes
    return back(_safe_next(next or f"/documents/{out['id']}"), done="type")


@router.get("/upload")
def upload_form(request: Request, user: Records):
    return render(request, "upload.html", user, results=None)


@router.post("/upload")
def upload(request: Request, user: Records, files: list[UploadFile]):
    """Without JavaScript: the files go into the inbox and the page lists them (refresh for progress)."""
    results = [accept_upload(archive_of(request), user, f) for f in files]
    return render(request, "upload.html", user, results=results)


def accept_upload(a, user: WebUser, f: UploadFile) -> dict:
    since = audit.now_iso()
    try:
        path = save_upload(a.cfg.inbox, f.filename or "", f.file, a.cfg.web.max_upload_bytes)
    except UsageError as e:
        return {"name": f.filename, "path": None, "since": since, "error_zh": e.zh, "error_en": e.en}
    with a.sessions.begin() as s, audit.acting_as(user.username):
        audit.append(s, "upload", None, {"name": f.filename, "inbox_path": str(path)})
    return {"name": path.name, "path": str(path), "since": since, "error_zh": None, "error_en": None}


@router.get("/uploads/status")
def upload_status(request: Request, user: Records, path: str, since: str):
    a = archive_of(request)
    p = Path(path)
    if not p.is_absolute() or a.cfg.inbox.resolve() not in p.resolve().parents:
        raise UsageError("not a file of the inbox", "不是收件箱中的文件")
    return arrival_status(a, p, since)


@router.get("/failures")
def failures(request: Request, user: Records):
    return render(request, "failures.html", user, rows=archive_of(request).failures(200))


@router.post("/failures/{failure_id}/retry")
def retry(request: Request, user: Records, failure_id: int):
    with audit.acting_as(user.username):
        archive_of(request).retry_failure(failure_id)
    return back("/failures", done="retry")


# ---------------------------------------------------------------------- legal
@router.get("/holds")
def holds(request: Request, user: Legal):
    return render(request, "holds.html", user, rows=archive_of(request).records.list_holds())


@router.post("/holds")
def place_hold(
    request: Request,
    user: Legal,
    matter: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "documents",
    target: Annotated[str, Form()] = "",
):
    target = target.strip()
    if not target:
        raise UsageError("say what the hold covers", "请填写保全范围（文档编号、客户或合同编号）")
    kwargs = {
        "documents": {"doc_ids": target.replace(",", " ").split()},
        "customer": {"customer": target},
        "contract": {"contract_no": target},
    }.get(scope)
    if kwargs is None:
        raise UsageError(f"unknown hold scope {scope!r}", f"未知的保全范围 {scope!r}")
    with audit.acting_as(user.username):
        archive_of(request).records.place_hold(matter, reason, **kwargs)
    return back("/holds", done="hold")


@router.post("/holds/{hold_id}/release")
def release_hold(request: Request, user: Legal, hold_id: str, reason: Annotated[str, Form()] = ""):
    with audit.acting_as(user.username):
        archive_of(request).records.release_hold(hold_id, reason)
    return back("/holds", done="release")


@router.get("/retention")
def retention(request: Request, user: Legal, due: int = 0):
    rows = archive_of(request).records.report(due_only=bool(due))
    return render(request, "retention.html", user, rows=rows, due=due)


@router.get("/export")
def export_form(request: Request, user: Legal):
    return render(request, "export.html", user)


@router.post("/export")
def export(
    request: Request, user: Legal, scope: Annotated[str, Form()] = "customer", target: Annotated[str, Form()] = ""
):
    a = archive_of(request)
    target = target.strip()
    kwargs = {
        "customer": {"customer": target},
        "hold": {"hold": target},
        "documents": {"doc_ids": target.replace(",", " ").split()},
    }.get(scope, {})
    tmp = Path(tempfile.mkdtemp(prefix="export-", dir=a.cfg.home / "cache"))
    out = tmp / f"evidence-{datetime.now():%Y%m%d-%H%M%S}.zip"
    with audit.acting_as(user.username):
        a.records.export(out, **kwargs)
    return FileResponse(
        out, media_type="application/zip", filename=out.name, background=BackgroundTask(_remove_tree, tmp)
    )


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------- admin
@router.get("/disposal")
def disposal_plan(request: Request, user: Admin):
    return render(request, "disposal.html", user, plan=archive_of(request).records.dispose(confirm=False), done=None)


@router.post("/disposal")
def dispose(request: Request, user: Admin, confirm: Annotated[str, Form()] = ""):
    a = archive_of(request)
    if confirm.strip() not in ("销毁", "DISPOSE"):
        raise UsageError("type DISPOSE (or 销毁) to confirm", "请输入“销毁”（或 DISPOSE）以确认")
    with audit.acting_as(user.username):
        done = a.records.dispose(confirm=True)
    return render(request, "disposal.html", user, plan=a.records.dispose(confirm=False), done=done)


@router.get("/users")
def users(request: Request, user: Admin):
    return render(request, "users.html", user, rows=archive_of(request).accounts.list(), roles=ROLES)


@router.post("/users")
def add_user(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "viewer",
):
    with audit.acting_as(user.username):
        archive_of(request).accounts.add(username.strip(), password, role)
    return back("/users", done="add")


@router.post("/users/{username}")
def update_user(
    request: Request,
    user: Admin,
    username: str,
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    disabled: Annotated[str, Form()] = "",
):
    with audit.acting_as(user.username):
        archive_of(request).accounts.update(
            username,
            role=role or None,
            password=password or None,
            disabled={"yes": True, "no": False}.get(disabled),
        )
    return back("/users", done="update")

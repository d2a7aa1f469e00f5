"""The JSON API under /api for the CRM and scripts: same accounts, roles, CSRF and core as the pages.

Log in with ``POST /api/login`` (JSON), keep the session cookie, and send the returned ``csrf`` token as the
``X-CSRF-Token`` header on every POST. The schema is at ``GET /api/openapi.json`` (after login).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from .. import audit
from .auth import check_csrf, csrf_token, start_session
from .pages import Admin, Legal, Records, Viewer, accept_upload, archive_of, export, original, upload_status

router = APIRouter(dependencies=[Depends(check_csrf)], tags=["api"])
login_router = APIRouter(tags=["api"])  # JSON credentials, no session yet: nothing for CSRF to protect


class Login(BaseModel):
    username: str
    password: str


class LinkBody(BaseModel):
    customer: str


class FieldBody(BaseModel):
    name: str
    value: str | None = None


class TypeBody(BaseModel):
    doc_type: str


class HoldBody(BaseModel):
    matter: str
    reason: str
    doc_ids: list[str] | None = None
    customer: str | None = None
    contract_no: str | None = None


class ReleaseBody(BaseModel):
    reason: str


class DisposeBody(BaseModel):
    confirm: bool = False


class ExportBody(BaseModel):
    customer: str | None = None
    hold: str | None = None
    doc_ids: list[str] | None = None


class UserBody(BaseModel):
    username: str
    password: str
    role: str


@login_router.post("/login")
def login(request: Request, body: Login):
    """Start a session; answers the CSRF token to send as X-CSRF-Token."""
    row = start_session(request, body.username, body.password)
    return {"username": row["username"], "role": row["role"], "csrf": csrf_token(request)}


@router.post("/logout")
def logout(request: Request, user: Viewer):
    request.session.clear()
    return {"logged_out": user.username}


@router.get("/me")
def me(request: Request, user: Viewer):
    return {"username": user.username, "role": user.role, "csrf": csrf_token(request)}


@router.get("/openapi.json")
def openapi(request: Request, user: Viewer):
    return request.app.openapi()


@router.get("/search")
def search(
    request: Request,
    user: Viewer,
    q: str,
    customer: str | None = None,
    type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """Results as `archiver search --json` gives them, with the total and facets."""
    a = archive_of(request)
    m = a.index.match(q, customer, type, date_from, date_to)
    return {
        "total": len(m.ranked),  # documents found; with "complete": false, at least this many
        "complete": m.complete,
        "estimated_pages": m.estimate,
        "results": a.index.describe(m.ranked[offset : offset + limit], m.literals),
        "facets": a.index.facets([g["id"] for g in m.ranked]),
    }


@router.get("/documents/{doc_id}")
def document(request: Request, user: Viewer, doc_id: str, text: bool = False):
    """As `archiver show --json`; reading it is audited."""
    a = archive_of(request)
    doc = a.show(doc_id, with_text=text)
    with audit.acting_as(user.username):
        a.record_access(doc["id"], "document.view", via="api")
    return doc


@router.get("/documents/{doc_id}/original")
def document_original(request: Request, user: Viewer, doc_id: str) -> FileResponse:
    return original(request, user, doc_id)


@router.get("/documents/{doc_id}/audit")
def document_audit(request: Request, user: Viewer, doc_id: str):
    return archive_of(request).document_audit(doc_id)


@router.post("/documents/{doc_id}/link")
def link(request: Request, user: Records, doc_id: str, body: LinkBody):
    with audit.acting_as(user.username):
        return archive_of(request).link(doc_id, body.customer)


@router.post("/documents/{doc_id}/field")
def set_field(request: Request, user: Records, doc_id: str, body: FieldBody):
    with audit.acting_as(user.username):
        return archive_of(request).set_field(doc_id, body.name, body.value)


@router.post("/documents/{doc_id}/type")
def set_type(request: Request, user: Records, doc_id: str, body: TypeBody):
    with audit.acting_as(user.username):
        return archive_of(request).set_type(doc_id, body.doc_type)


@router.get("/customers")
def customers(request: Request, user: Viewer, q: str | None = None):
    return archive_of(request).customers_list(q)


@router.get("/customers/{ref}")
def customer(request: Request, user: Viewer, ref: str):
    return archive_of(request).customer_show(ref)


@router.get("/review")
def review(request: Request, user: Records):
    return archive_of(request).review_queue()


@router.post("/uploads")
def uploads(request: Request, user: Records, files: list[UploadFile]):
    """Put files into the inbox; poll /api/uploads/status with each answer's path and since."""
    a = archive_of(request)
    return [accept_upload(a, user, f) for f in files]


@router.get("/uploads/status")
def uploads_status(request: Request, user: Records, path: str, since: str):
    return upload_status(request, user, path, since)


@router.get("/failures")
def failures(request: Request, user: Records, limit: Annotated[int, Query(ge=1, le=1000)] = 100):
    return archive_of(request).failures(limit)


@router.post("/failures/{failure_id}/retry")
def retry(request: Request, user: Records, failure_id: int):
    with audit.acting_as(user.username):
        return archive_of(request).retry_failure(failure_id)


@router.get("/holds")
def holds(request: Request, user: Legal, include_released: bool = False):
    return archive_of(request).records.list_holds(include_released)


@router.post("/holds")
def place_hold(request: Request, user: Legal, body: HoldBody):
    with audit.acting_as(user.username):
        return archive_of(request).records.place_hold(
            body.matter, body.reason, doc_ids=body.doc_ids, customer=body.customer, contract_no=body.contract_no
        )


@router.post("/holds/{hold_id}/release")
def release_hold(request: Request, user: Legal, hold_id: str, body: ReleaseBody):
    with audit.acting_as(user.username):
        return archive_of(request).records.release_hold(hold_id, body.reason)


@router.get("/retention")
def retention(request: Request, user: Legal, due: bool = False):
    return archive_of(request).records.report(due_only=due)


@router.post("/export")
def export_bundle(request: Request, user: Legal, body: ExportBody) -> FileResponse:
    scope, target = (
        ("customer", body.customer)
        if body.customer
        else ("hold", body.hold)
        if body.hold
        else ("documents", " ".join(body.doc_ids or []))
    )
    return export(request, user, scope, target or "")


@router.post("/disposal")
def dispose(request: Request, user: Admin, body: DisposeBody):
    """Without confirm: what would be disposed and what a hold blocks. With confirm: dispose."""
    with audit.acting_as(user.username):
        return archive_of(request).records.dispose(confirm=body.confirm)


@router.get("/users")
def users(request: Request, user: Admin):
    return archive_of(request).accounts.list()


@router.post("/users")
def add_user(request: Request, user: Admin, body: UserBody):
    with audit.acting_as(user.username):
        return archive_of(request).accounts.add(body.username.strip(), body.password, body.role)

"""The FastAPI application: sessions, security headers, error pages, and the page and API routers."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from ..errors import ArchiverError, NotFound
from ..previews import Previews
from .auth import CsrfFailed, Forbidden, IpThrottle, LoginRequired, csrf_token
from .i18n import Texts

log = logging.getLogger(__name__)
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
TEMPLATES.env.filters["readable_json"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
COOKIE = "archiver_session"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def texts(request: Request) -> Texts:
    return Texts(request.session.get("lang", "zh"))


def render(request: Request, name: str, user=None, status_code: int = 200, **context) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"user": user, "T": texts(request), "csrf": csrf_token(request), **context},
        status_code=status_code,
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, code: str, en: str, zh: str) -> Response:
    if _is_api(request):
        response = JSONResponse({"error": {"code": code, "message": en, "message_zh": zh}}, status_code=status)
    else:
        response = render(
            request,
            "error.html",
            getattr(request.state, "user", None),
            status_code=status,
            message=texts(request)(zh, en),
            status=status,
        )
    response.headers["X-Archiver-Error"] = code
    return response


def create_app(archive, secret_key: str) -> FastAPI:
    from . import api, pages

    app = FastAPI(
        title="archiver",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served at /api/openapi.json, behind login
        # no request telemetry, whatever the environment says: URLs carry document ids and search terms
        telemetry={
            "tracing": False,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "auto_configure": False,
        },
    )
    app.state.archive = archive
    app.state.previews = Previews(archive.cfg.home / "cache" / "previews", archive.cfg.limits.max_image_pixels)
    app.state.ip_throttle = IpThrottle()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        session_cookie=COOKIE,
        max_age=archive.cfg.web.session_seconds,
        same_site="lax",
        https_only=False,  # served on 127.0.0.1 by default; put TLS in front before opening it up
    )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired):
        if _is_api(request):
            return _error(request, 401, "login_required", "log in first", "请先登录")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        t = texts(request)
        return _error(
            request,
            403,
            "forbidden",
            f"this needs the {exc.needed} role",
            f"此操作需要“{t.role_name(exc.needed) if t.lang == 'zh' else exc.needed}”角色",
        )

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed):
        return _error(
            request,
            403,
            "csrf",
            "the form has expired or did not come from this site; reload the page and try again",
            "表单已过期或来源不明，请刷新页面后重试",
        )

    @app.exception_handler(ArchiverError)
    async def archiver_error(request: Request, exc: ArchiverError):
        status = {"login_throttled": 429, "login_refused": 401}.get(exc.code, 404 if isinstance(exc, NotFound) else 400)
        return _error(request, status, exc.code, exc.en, exc.zh)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return _error(
            request,
            500,
            "internal",
            "internal error; the details are in the archive log",
            "内部错误，详情已写入档案库日志，请联系管理员",
        )

    app.state.routers = [("", pages.router), ("/api", api.login_router), ("/api", api.router)]
    for prefix, router in app.state.routers:
        app.include_router(router, prefix=prefix)
    return app


def web_routes(app: FastAPI):
    """(method, path, route) for every route of the app, as mounted."""
    from fastapi.routing import APIRoute

    for prefix, router in app.state.routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods - {"HEAD"}):
                    yield method, prefix + route.path, route

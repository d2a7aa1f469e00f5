"""Configuration: the home's ``archiver.toml`` (seeded from ``config/``) loaded once into frozen dataclasses."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import HomeError, UsageError

DEFAULTS_DIR = Path(os.environ.get("ARCHIVER_CONFIG_DIR") or Path(__file__).resolve().parent.parent / "config")
CONFIG_NAME = "archiver.toml"


@dataclass(frozen=True)
class InboxConfig:
    after_ingest: str
    settle_seconds: float
    rescan_seconds: float
    polling: bool
    poll_interval_seconds: float


@dataclass(frozen=True)
class OcrConfig:
    languages: str
    fallback_languages: str
    dpi: int
    page_timeout_seconds: float
    min_confidence_for_upright: float


@dataclass(frozen=True)
class Limits:
    max_image_pixels: int
    max_zip_entries: int
    max_uncompressed_bytes: int
    max_pdf_pages: int


@dataclass(frozen=True)
class WebConfig:
    host: str
    port: int
    max_upload_bytes: int
    session_seconds: int


@dataclass(frozen=True)
class Config:
    home: Path
    catalog_url: str
    store: Path
    index: Path
    inbox: Path
    failed: Path
    processed: Path
    log: Path
    organization_names: tuple[str, ...]
    inbox_cfg: InboxConfig
    jobs: int
    timeout_seconds: float
    max_file_bytes: int
    ocr: OcrConfig
    limits: Limits
    web: WebConfig


def default_toml() -> str:
    return (DEFAULTS_DIR / CONFIG_NAME).read_text(encoding="utf-8")


def _merged(defaults: dict, overrides: dict) -> dict:
    out = dict(defaults)
    for key, value in overrides.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load(home: Path) -> Config:
    """Read ``home/archiver.toml`` over the shipped defaults (so a new key never breaks an old home)."""
    home = home.resolve()
    path = home / CONFIG_NAME
    if not path.is_file():
        raise HomeError(
            f"{home} is not an archive home (no {CONFIG_NAME}); run `archiver init --home {home}` first.",
            f"{home} 不是档案库目录（缺少 {CONFIG_NAME}），请先运行 `archiver init --home {home}`。",
        )
    try:
        data = _merged(tomllib.loads(default_toml()), tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: invalid TOML: {e}", f"{path}：TOML 格式错误：{e}") from e
    return from_dict(home, data)


def from_dict(home: Path, data: dict) -> Config:
    def under(rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else home / p

    try:
        paths, inbox, ingest, ocr, limits, web = (data[k] for k in ("paths", "inbox", "ingest", "ocr", "limits", "web"))
        if inbox["after_ingest"] not in ("delete", "move"):
            raise UsageError('[inbox] after_ingest must be "delete" or "move"')
        return Config(
            home=home,
            catalog_url=str(data["catalog"]["url"]).replace("{home}", str(home)),
            store=under(paths["store"]),
            index=under(paths["index"]),
            inbox=under(paths["inbox"]),
            failed=under(paths["failed"]),
            processed=under(paths["processed"]),
            log=under(paths["log"]),
            organization_names=tuple(data.get("organization", {}).get("names", ())),
            inbox_cfg=InboxConfig(
                after_ingest=inbox["after_ingest"],
                settle_seconds=float(inbox["settle_seconds"]),
                rescan_seconds=float(inbox["rescan_seconds"]),
                polling=bool(inbox["polling"]),
                poll_interval_seconds=float(inbox["poll_interval_seconds"]),
            ),
            jobs=int(ingest["jobs"]) or (os.cpu_count() or 1),
            timeout_seconds=float(ingest["timeout_seconds"]),
            max_file_bytes=int(ingest["max_file_mb"]) * 1024 * 1024,
            ocr=OcrConfig(
                languages=str(ocr["languages"]),
                fallback_languages=str(ocr.get("fallback_languages", "")),
                dpi=int(ocr["dpi"]),
                page_timeout_seconds=float(ocr["page_timeout_seconds"]),
                min_confidence_for_upright=float(ocr["min_confidence_for_upright"]),
            ),
            limits=Limits(
                max_image_pixels=int(limits["max_image_pixels"]),
                max_zip_entries=int(limits["max_zip_entries"]),
                max_uncompressed_bytes=int(limits["max_uncompressed_mb"]) * 1024 * 1024,
                max_pdf_pages=int(limits["max_pdf_pages"]),
            ),
            web=WebConfig(
                host=str(web["host"]),
                port=int(web["port"]),
                max_upload_bytes=int(web["max_upload_mb"]) * 1024 * 1024,
                session_seconds=int(float(web["session_hours"]) * 3600),
            ),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise UsageError(f"archiver.toml: missing or invalid setting {e}", f"archiver.toml 配置缺失或无效：{e}") from e

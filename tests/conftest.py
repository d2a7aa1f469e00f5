"""Shared fixtures: real archive homes on disk, the generated samples and ../shared/corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs" / "files"
TRUTH = json.loads((ROOT / "sample_docs" / "truth.json").read_text(encoding="utf-8"))["documents"]
CORPUS = Path(os.environ.get("ARCHIVER_CORPUS", ROOT.parent / "shared" / "corpus"))


def run_cli(
    *args: str, home: Path | None = None, check: bool = False, timeout: float = 600, env: dict | None = None
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "archiver", *args]
    if home is not None:
        cmd += ["--home", str(home)]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})}
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def write_config(home: Path, **sections: dict) -> None:
    """Append overrides to the home's archiver.toml (later keys win in our loader's merge)."""
    import tomllib

    path = home / "archiver.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        for k, v in values.items():
            lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def sample_home(parent: Path, files: list[str]) -> Path:
    """A home with the sample customer list and the given sample files ingested (as one folder)."""
    import shutil

    home = parent / "home"
    run_cli("init", home=home, check=True)
    run_cli("customers", "import", str(SAMPLES.parent / "customers.csv"), home=home, check=True)
    staged = parent / "staged"
    staged.mkdir()
    for name in files:
        shutil.copy(SAMPLES / name, staged / name)
    run_cli("ingest", str(staged), home=home, check=True)
    return home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    run_cli("init", home=h, check=True)
    return h


@pytest.fixture
def archive(home: Path):
    from archiver.core import Archive

    a = Archive.open(home)
    yield a
    a.close()

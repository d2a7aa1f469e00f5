"""Shared helpers for the benchmarks: generated inputs (cached in bench/out/) and a process-tree RSS sampler."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "scripts"))

CLAUSES = [
    "第{n}条 甲乙双方应严格履行本合同约定的各项义务，任何一方不得擅自变更或解除合同。",
    "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，争议提交上海仲裁委员会仲裁。",
    "乙方应于收到甲方书面通知后十五个工作日内完成整改，并承担由此产生的全部费用及增值税。",
    "因不可抗力致使不能实现合同目的的，当事人可以解除合同，但应当及时通知对方以减轻可能给对方造成的损失。",
    "The Supplier shall deliver the goods in accordance with Schedule {n} and bear all risks until acceptance.",
    "本合同项下款项以人民币结算，付款前乙方应开具合法有效的增值税专用发票，金额为人民币壹拾贰万叁仟元整。",
]


def dense_text_pdf(pages: int) -> Path:
    """A born-digital CJK contract of ``pages`` dense pages (about 1,500 characters each)."""
    path = OUT / f"text-{pages}p.pdf"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    from make_samples import BODY, text_pdf

    body = []
    for p in range(pages):
        lines = [CLAUSES[(p + i) % len(CLAUSES)].format(n=p * 12 + i + 1) for i in range(24)]
        body.append(lines)
    text_pdf(path, body, BODY)
    return path


def scanned_pages(count: int) -> list[Path]:
    """``count`` scanned A4 pages (200 dpi PNG) of contract clauses."""
    folder = OUT / f"scans-{count}"
    if folder.is_dir() and len(list(folder.glob("*.png"))) == count:
        return sorted(folder.glob("*.png"))
    folder.mkdir(parents=True, exist_ok=True)
    from make_samples import scan_page

    paths = []
    for i in range(count):
        lines = [f"合同条款（第{i + 1}页）"] + [CLAUSES[(i + k) % 4].format(n=i * 20 + k)[:24] for k in range(18)]
        p = folder / f"page-{i + 1:03d}.png"
        scan_page(lines, 1000 + i).save(p, dpi=(200, 200))
        paths.append(p)
    return paths


def scanned_pdf(pages: int) -> Path:
    path = OUT / f"scan-{pages}p.pdf"
    if path.exists():
        return path
    from PIL import Image

    images = [Image.open(p) for p in scanned_pages(pages)]
    images[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return path


def _tree_rss_kb(root_pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            # PSS: shared pages (fork server, copy-on-write children) are split, not counted twice
            with open(f"/proc/{d}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        rss[int(d)] = int(line.split()[1])
                        break
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class TreeRss:
    """Samples the summed PSS of a process and all its descendants every 50 ms; ``peak_mb`` after stop."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            time.sleep(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def fresh_home(name: str) -> Path:
    import shutil

    from archiver.core import Archive

    home = OUT / "homes" / name
    shutil.rmtree(home, ignore_errors=True)
    Archive.init(home).close()
    return home

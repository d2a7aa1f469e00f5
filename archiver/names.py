"""Which file names in an inbox or ingested folder are never documents (temp, partial, lock, hidden)."""

from __future__ import annotations

import re
from pathlib import Path

_IGNORED = re.compile(
    r"""^(
        \..*                       # dot files: .DS_Store, .~lock.x.docx#, rsync's .x.pdf.AbC123
      | ~\$.*                      # Office owner files
      | .*\.(part|partial|crdownload|download|tmp|temp|swp|filepart|!ut|error\.txt)
      | .*~                        # editor backups
      | thumbs\.db | desktop\.ini
    )$""",
    re.I | re.X,
)


def is_ignored_name(name: str) -> bool:
    return bool(_IGNORED.match(name))


def free_name(dest: Path) -> Path:
    """``dest``, or ``name (2).ext``, ``name (3).ext`` … when that name is taken in its folder."""
    if not dest.exists():
        return dest
    for i in range(2, 10_000):
        candidate = dest.with_name(f"{dest.stem} ({i}){dest.suffix}")
        if not candidate.exists():
            return candidate
    raise OSError(f"too many files named {dest.name} in {dest.parent}")

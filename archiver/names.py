"""Which file names in an inbox or ingested folder are never documents (temp, partial, lock, hidden)."""

from __future__ import annotations

import re

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

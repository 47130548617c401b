"""Hand-label files: JSONL whose '#' lines carry the labelling guide (bench/labels/).

Shared by the commitment labels (ledger.labels) and the analysis judgements (analysis.judged): each reads the
file here and checks its own record shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def read(path: Path, check: Callable[[dict], dict], error: type[ValueError], what: str) -> list[dict]:
    """Every record of the file as `check` returns it; comments and blank lines skipped.

    A line that is not JSON, or that `check` rejects (ValueError, KeyError, TypeError, AttributeError), raises
    `error` naming the file, the line number and what is wrong.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rows.append(check(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise error(f"{path}:{number}: not a {what} line ({exc})") from None
    return rows

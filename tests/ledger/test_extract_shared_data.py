"""The extractor over the real official replies in ../shared/data (no labels here: sane rates only).

Hand-labelled precision and recall are measured outside the repository (labels are not project data);
this test guards against a change that makes the extractor find promises everywhere or nowhere.
"""

from __future__ import annotations

import csv
import re
from datetime import date

from responder.ledger.extract import extract


def _day(text: str) -> date | None:
    found = re.match(r"(\d{4})/(\d{1,2})/(\d{1,2})", text or "")
    return date(*map(int, found.groups())) if found else None


def test_rates_on_the_real_replies_are_sane(shared_data):
    with open(shared_data / "messages_with_replies.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::3]  # every third reply keeps the test quick
    assert len(rows) > 900
    replies_with, found, dated = 0, [], 0
    for row in rows:
        replied = _day(row["reply_time"])
        candidates = extract(row["reply"], replied)
        replies_with += bool(candidates)
        found.extend(candidates)
        for c in candidates:
            assert 0 < len(c.text) <= 500
            assert c.due_date is None or replied is None or c.due_date >= replied, (row["id"], c)
            assert "感谢" not in c.text and not c.text.startswith(("现将", "特此")), (row["id"], c.text)
            dated += c.due_date is not None
    share = replies_with / len(rows)
    assert 0.25 <= share <= 0.65, share  # by hand, 63 of 160 sampled replies (39%) promise something
    assert 0.05 <= dated / len(found) <= 0.40, dated / len(found)  # most promises name no date
    assert len(found) / max(replies_with, 1) < 3

"""Hostile text: control characters, emoji, HTML, GBK-only and BOM-prefixed text, odd newlines, invalid dates."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\x00", "\x07", "\u202e", "\ufeff", "😀👨‍👩‍👧", "\r", "\r\n",
         "\n\r", "\t", "'; DROP TABLE messages; --", "%s%s%n", "{{7*7}}", "../../etc/passwd", "𠀀",
         "13812345678", "110101199003071234", "", " ", "\u3000", "０１２", "NaN", "null"]
DATES = ["2026-11-20T09:30:00+08:00", "2026-02-30T09:30:00+08:00", "2026-11-20T25:61:00+08:00", "0001-01-01T00:00:00Z",
         "9999-12-31T23:59:59+14:00", "2026-11-20", "昨天", "2026/11/20 9:30", "", "1e400", "2026-11-20T09:30:00+99:00",
         "2026-13-01T00:00:00+08:00", "2026-11-20T09:30:00.123456789+08:00"]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(NASTY), max_size=6).map("".join),
    st.tuples(st.text(max_size=20), st.sampled_from(NASTY), st.text(max_size=20)).map("".join),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner,
                                                                                                   max_size=4),
                           max_leaves=12)

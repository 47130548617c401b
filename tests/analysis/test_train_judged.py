"""`train_judged`: both models learnt from hand judgements, cross-validated, written, carded, reproducible."""

from __future__ import annotations

from pathlib import Path

from responder.analysis import linear, request_types, sentiment, train_judged
from tests.conftest import SHARED_DATA, need

LABELS = Path(__file__).resolve().parents[2] / "bench" / "labels"


def test_the_trainer_writes_both_models_that_load_and_a_card(tmp_path, capsys, monkeypatch):
    need(SHARED_DATA.is_dir(), f"the shared data folder {SHARED_DATA} is absent")
    monkeypatch.setattr(train_judged, "CANDIDATES", (3.0, 30.0))  # two are enough to show the choice
    files = [LABELS / "analysis-2026-11-a.jsonl", LABELS / "analysis-2026-11-b.jsonl"]
    meta = train_judged.train(files, SHARED_DATA, tmp_path)
    assert meta["messages"] == 200
    request, register = meta["request_type"], meta["sentiment_register"]
    assert set(request["candidates"]) == {3.0, 30.0} and request["C"] in (3.0, 30.0)
    assert all(0.4 < r["score"] <= 1.0 for r in request["candidates"].values())
    assert all(0.5 < r["score"] <= 1.0 for r in register["candidates"].values())
    assert 0.5 < register["candidates"][register["C"]]["government_text"] <= 1.0
    types = linear.load(tmp_path / request_types.MODEL_PATH.name)
    assert types.version == request_types.REQUEST_TYPE_MODEL_VERSION and "complaint" in types.classes
    tone = linear.load(tmp_path / sentiment.REGISTER_PATH.name)
    assert tone.version == sentiment.REGISTER_VERSION and tone.classes == ("negative", "neutral")
    card = (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.count(train_judged.CARD_START) == 1 and "analysis-2026-11-a.jsonl" in card
    first = (tmp_path / sentiment.REGISTER_PATH.name).read_bytes()
    train_judged.train(files, SHARED_DATA, tmp_path)
    assert (tmp_path / sentiment.REGISTER_PATH.name).read_bytes() == first  # deterministic
    assert card == (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")  # the section is replaced, not added
    out = capsys.readouterr().out
    assert "request_type:" in out and "sentiment_register:" in out


def test_the_trainer_names_a_bad_file_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert train_judged.main([str(bad), "--data", str(tmp_path), "--out-dir", str(tmp_path)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err

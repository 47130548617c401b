"""Phone and ID numbers are masked in every log record, tracebacks included; tracking numbers stay readable."""

from __future__ import annotations

import logging

from responder.app import create_app
from responder.auth.logmask import mask_text
from responder.extensions import db
from tests.conftest import base_config

PHONE, ID_NUMBER, TRACKING = "13812345678", "11010519491231002X", "20261120000042"


def test_mask_text_masks_phones_and_ids_but_not_tracking_numbers():
    text = f"电话 {PHONE}，+86 139-1234-5678，身份证 {ID_NUMBER}，受理编号 {TRACKING}，金额 1234567"
    masked = mask_text(text)
    assert PHONE not in masked and "139-1234-5678" not in masked and ID_NUMBER not in masked
    assert "138****5678" in masked and "110***********002X" in masked
    assert TRACKING in masked and "1234567" in masked


def test_log_records_and_tracebacks_are_masked(app, caplog):
    log = logging.getLogger("responder.test")
    with caplog.at_level(logging.INFO):
        log.info("citizen %s with id %s", PHONE, ID_NUMBER)
        try:
            raise ValueError(f"bad row: phone={PHONE}")
        except ValueError:
            log.exception("import failed")
    text = caplog.text
    assert PHONE not in text and ID_NUMBER not in text
    assert "138****5678" in text and "ValueError" in text


def test_an_unhandled_error_in_a_request_logs_no_personal_data(tmp_path, caplog, monkeypatch):
    # Alembic's logging setup in an earlier test may have disabled existing loggers: this one must speak.
    monkeypatch.setattr(logging.getLogger("responder.errors"), "disabled", False)
    app = create_app(base_config(f"sqlite:///{tmp_path / 'x.db'}"))

    @app.get("/boom")
    def boom():
        raise RuntimeError(f"cannot call citizen {PHONE} ({ID_NUMBER})")

    with app.app_context():
        db.create_all()
        with caplog.at_level(logging.ERROR):
            assert app.test_client().get("/boom").status_code == 500
        db.engine.dispose()
    assert "RuntimeError" in caplog.text and PHONE not in caplog.text and ID_NUMBER not in caplog.text

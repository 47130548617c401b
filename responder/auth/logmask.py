"""Personal data never reaches the logs: phone and ID numbers in any log record are masked at creation.

Done in the record factory rather than in one handler's filter, so it holds for every logger and handler
(gunicorn, Celery, SQLAlchemy errors quoting their parameters, tracebacks) without configuring each one.
"""

from __future__ import annotations

import logging
import re

from responder.auth.masking import mask_id_number, mask_phone

# A mainland mobile number or an 18-character ID number, not part of a longer digit run (tracking numbers
# are 14 digits and stay readable).
_PHONE = re.compile(r"(?<![\dA-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def mask_text(text: str) -> str:
    """Every phone and ID number in `text`, masked as the pages mask them."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group())[-11:]), text)


def install() -> None:
    """Wrap the log record factory once per process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_personal_data", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  a malformed record stays as it was; logging must not fail
            return record
        record.msg, record.args = mask_text(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return record

    factory.masks_personal_data = True
    logging.setLogRecordFactory(factory)

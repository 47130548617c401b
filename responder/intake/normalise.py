"""Pure normalisation of personal data and text before storage."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str | None) -> str | None:
    """NFC, without control characters (they break exports and terminals), newlines unified."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def normalise_phone(phone: str | None) -> str | None:
    """Keep digits (and a leading +); drop the +86/0086 prefix of mainland mobile numbers."""
    if not phone:
        return None
    digits = re.sub(r"[^\d+]", "", phone)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix):]
    return digits or None


def normalise_id_number(id_number: str | None) -> str | None:
    """Resident ID numbers in upper case without spaces (the check letter is X)."""
    if not id_number:
        return None
    return re.sub(r"\s", "", id_number).upper() or None

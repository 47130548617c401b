"""Personal data masking: which role sees which personal field in clear (one table, one place)."""

from __future__ import annotations

# Operators take the call and call back; a unit handler may need to reach the citizen to solve
# the problem; everyone else (supervisors auditing, admins, integrations, the public) sees masks.
CLEAR_FIELDS: dict[str, frozenset[str]] = {
    "operator": frozenset({"name", "phone"}),
    "unit": frozenset({"name", "phone"}),
    "supervisor": frozenset(),
    "admin": frozenset(),
    "integration": frozenset(),
    "public": frozenset(),
}


def mask_phone(phone: str | None) -> str | None:
    """138****5678: enough to recognise, not enough to call."""
    if not phone:
        return phone
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * len(phone)


def mask_id_number(id_number: str | None) -> str | None:
    """110***********123X: region and check digits only."""
    if not id_number:
        return id_number
    if len(id_number) > 7:
        return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]
    return "*" * len(id_number)


def mask_name(name: str | None) -> str | None:
    """张*, 欧阳** : the family name stays."""
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)


MASKS = {"name": mask_name, "phone": mask_phone, "id_number": mask_id_number}


def citizen_view(role: str, name: str | None, phone: str | None, id_number: str | None) -> dict | None:
    """The citizen block as `role` may see it; None when there is nothing to show."""
    values = {"name": name, "phone": phone, "id_number": id_number}
    if not any(values.values()):
        return None
    clear = CLEAR_FIELDS.get(role, frozenset())
    return {key: (value if key in clear else MASKS[key](value)) for key, value in values.items()}

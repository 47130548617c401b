"""Principal: whoever acts — a signed-in user, an API token, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """The acting party, with the role and unit every permission check reads."""

    role: str  # operator | unit | supervisor | admin | integration | system
    name: str
    kind: str = "user"  # user | token | system | cli
    unit_id: int | None = None
    ref_id: int | None = None  # the user's or token's row id

    @property
    def actor(self) -> str:
        """How audit events name this principal."""
        return f"{self.kind}:{self.name}"


SYSTEM = Principal(role="system", name="system", kind="system")

"""The ledger tests reuse the supervision tests' organisation and API flow (both databases)."""

from tests.notify.conftest import app, flow, people  # noqa: F401  fixtures

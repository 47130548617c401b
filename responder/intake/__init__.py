"""Intake: channel payloads are validated, normalised, de-duplicated and persisted first."""

"""Who is acting: tokens, permissions (unit scoping) and masking of personal data."""

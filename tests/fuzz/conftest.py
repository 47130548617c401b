"""Hypothesis settings for the fuzz tests: bounded so the whole folder runs in well under a minute."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow, HealthCheck.data_too_large])

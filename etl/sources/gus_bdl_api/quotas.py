"""The BDL API's quotas per client (API-NOTES §1.2, from the official GUS documentation as quoted by AN0DA/pyBDL
docs/rate_limiting.md): without a key and with one (`BDL_API_KEY`). Plain data, so the fetch plan that names them
imports no network code."""

from __future__ import annotations

from pyrate_limiter import Duration, Rate

BDL_ANONYMOUS_RATES: tuple[Rate, ...] = (
    Rate(5, Duration.SECOND),
    Rate(100, 15 * Duration.MINUTE),
    Rate(1_000, 12 * Duration.HOUR),
    Rate(10_000, 7 * Duration.DAY),
)
BDL_KEYED_RATES: tuple[Rate, ...] = (
    Rate(10, Duration.SECOND),
    Rate(500, 15 * Duration.MINUTE),
    Rate(5_000, 12 * Duration.HOUR),
    Rate(50_000, 7 * Duration.DAY),
)

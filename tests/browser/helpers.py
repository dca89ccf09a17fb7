"""Helpers shared by the browser tests."""
from __future__ import annotations


def console_errors(dash_duo) -> list[dict]:
    """SEVERE entries of the browser console (errors, failed requests, CSP violations)."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]

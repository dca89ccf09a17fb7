"""Colours and type: high contrast (WCAG AA on white) and colour-blind-safe (Okabe–Ito palette)."""
from __future__ import annotations

COLORS = {
    "ink": "#1a1a1a",
    "muted": "#4d4d4d",
    "programme": "#56B4E9",
    # Okabe–Ito hues, darkened where needed so text in them reaches WCAG AA (4.5:1) on white.
    "improved": "#0072B2",
    "maintained": "#00785A",
    "worsened": "#B34700",
    "inconclusive": "#5C5C5C",
    "no_data": "#6B6B6B",
    "accent": "#CC79A7",
}

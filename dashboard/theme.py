"""Colours and type: high contrast (WCAG AA on white) and colour-blind-safe (Okabe–Ito palette)."""
from __future__ import annotations

COLORS = {
    "ink": "#1a1a1a",
    "muted": "#4d4d4d",
    "programme": "#56B4E9",
    "improved": "#0072B2",
    "maintained": "#009E73",
    "worsened": "#D55E00",
    "inconclusive": "#6b6b6b",
    "no_data": "#8c8c8c",
    "accent": "#CC79A7",
}

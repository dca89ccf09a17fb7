"""Reusable layout pieces (plain functions returning Dash components)."""

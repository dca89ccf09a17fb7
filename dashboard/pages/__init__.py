"""Pages: layout only. Each module has `PATH`, `TITLE_KEY` and `layout(lang, **query) -> component`; a page with
callbacks also has `register_callbacks(app)` (the callbacks themselves live in dashboard/callbacks/)."""
from __future__ import annotations

from dashboard.pages import comparisons, committee, methods, objective_subjective, overview, trends

PAGES = [overview, trends, objective_subjective, comparisons, committee, methods]

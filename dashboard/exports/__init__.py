"""Export of the committee slides to PDF and PPTX: the same deck as the /rada page (bezpieczny.views.deck), for any
area, charts rendered to PNG by one headless browser per export (kaleido), slide by slide so the page can show the
progress. The page runs exports as Dash background callbacks, at most a few at once (`slots.export_slot`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bezpieczny import read
from bezpieczny.charts.theme import use_dashboard_template
from bezpieczny.i18n import language
from bezpieczny.views.deck import build_deck, deck_area
from etl.definitions import HOME_AREA

FORMATS = ("pdf", "pptx")
log = logging.getLogger(__name__)


def export_filename(period: str, lang: str, fmt: str, area: str | None = None) -> str:
    """'bezpieczny-rada-1261000-2022-2024-pl.pdf': built from checked ids only (an unknown one raises), never from
    text a visitor sent."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")
    period, area_code = read.known_period(period), deck_area(area) or HOME_AREA
    return f"bezpieczny-rada-{area_code}-{period.replace('–', '-')}-{language(lang)}.{fmt}"


def export_deck(
    period: str, lang: str, fmt: str, *, area: str | None = None, progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, str]:
    """(file bytes, file name) of the committee deck for `period` and `area` (None: Kraków) in `lang` as 'pdf' or
    'pptx'. `progress(done, total)` is called after each slide's chart is rendered and after each slide is written
    to the file (total = 2 × slides)."""
    filename = export_filename(period, lang, fmt, area)
    from dashboard.exports.images import slide_images

    use_dashboard_template()
    started = time.perf_counter()
    slides = build_deck(period, lang, area)
    total = 2 * len(slides)

    def report(done: int, offset: int = 0) -> None:
        if progress is not None:
            progress(offset + done, total)

    images = slide_images(slides, lambda done, _: report(done))
    if fmt == "pptx":
        from dashboard.exports.pptx_export import deck_to_pptx as write
    else:
        from dashboard.exports.pdf_export import deck_to_pdf as write
    content = write(slides, images, lang, lambda done: report(done, len(slides)))
    log.info(
        "committee export %s: %d slides, %d charts, %.1f s",
        filename,
        len(slides),
        len(images),
        time.perf_counter() - started,
    )
    return content, filename

"""Export of the committee slides to PDF and PPTX: the same deck as the /rada page (bezpieczny.views.deck),
charts rendered to PNG once per export with kaleido (one browser session for all charts)."""
from __future__ import annotations

import logging
import time

from bezpieczny.charts.theme import use_dashboard_template
from bezpieczny.views.deck import build_deck

FORMATS = ("pdf", "pptx")
log = logging.getLogger(__name__)


def export_deck(period: str, lang: str, fmt: str) -> tuple[bytes, str]:
    """(file bytes, file name) of the committee deck for `period` in `lang` as 'pdf' or 'pptx'."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")
    from dashboard.exports.images import slide_images

    use_dashboard_template()
    started = time.perf_counter()
    slides = build_deck(period, lang)
    images = slide_images(slides)
    if fmt == "pptx":
        from dashboard.exports.pptx_export import deck_to_pptx

        content = deck_to_pptx(slides, images, lang)
    else:
        from dashboard.exports.pdf_export import deck_to_pdf

        content = deck_to_pdf(slides, images, lang)
    log.info("committee export %s (%s, %s): %d slides, %d charts, %.1f s", fmt, period, lang, len(slides),
             len(images), time.perf_counter() - started)
    return content, f"bezpieczny-krakow-rada-{period.replace('–', '-')}-{lang}.{fmt}"

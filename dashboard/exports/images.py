"""Slide charts to PNG with kaleido: every chart of one export rendered by one headless browser (a kaleido sync
server kept open for the export), not one browser per chart (starting Chromium costs about two seconds); charts
are rendered one at a time so an export can report its progress slide by slide."""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import plotly.graph_objects as go
import plotly.io as pio

from bezpieczny.views.deck import Slide

# No MathJax: the charts have no formulas, and kaleido would otherwise try to load it.
pio.defaults.mathjax = None

# Pixel size of an exported chart (16:9 slides leave about 10.4 × 4.3 inches for it, so 20 px type prints at
# about 12 pt); scale 2.5 for print.
CHART_WIDTH, CHART_HEIGHT, CHART_SCALE = 1200, 500, 2.5
log = logging.getLogger(__name__)
last_timing: dict[str, float] = {}


_session_lock = threading.Lock()  # kaleido's sync server is one per process: one export session at a time


@contextmanager
def chart_session() -> Iterator[Callable[[go.Figure], bytes]]:
    """A function that renders one slide chart to PNG, all calls served by one browser kept open meanwhile."""
    import kaleido

    with _session_lock:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            yield _render
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def _render(figure: go.Figure) -> bytes:
    with warnings.catch_warnings():  # plotly passes browser options that a running kaleido server ignores
        warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
        return pio.to_image(
            print_version(figure), format="png", width=CHART_WIDTH, height=CHART_HEIGHT, scale=CHART_SCALE
        )


def slide_images(slides: list[Slide], progress: Callable[[int, int], None] | None = None) -> dict[int, bytes]:
    """{slide index: PNG} for every slide with a chart; `progress(done, total)` is called after each slide."""
    started, images = time.perf_counter(), {}
    with chart_session() as render:
        for index, slide in enumerate(slides):
            if slide.figure is not None:
                images[index] = render(slide.figure)
            if progress is not None:
                progress(index + 1, len(slides))
    last_timing.update(charts=len(images), seconds=time.perf_counter() - started)
    log.info("kaleido: %d charts in %.2f s", len(images), last_timing["seconds"])
    return images


def print_version(figure: go.Figure) -> go.Figure:
    """The chart as printed: no interactive toolbar, white paper, the export's own size."""
    printed = go.Figure(figure)
    printed.update_layout(paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", height=CHART_HEIGHT, width=CHART_WIDTH)
    return printed

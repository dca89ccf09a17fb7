"""Slide charts to PNG with kaleido: every chart of one export in a single batch, so one headless browser is
started per export, not one per chart (starting Chromium costs about two seconds)."""
from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

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


def figures_to_png(figures: list[go.Figure], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT,
                   scale: float = CHART_SCALE) -> list[bytes]:
    """PNG bytes of each figure, rendered in one kaleido batch (one browser session)."""
    if not figures:
        return []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bezpieczny-export-") as folder:
        paths = [Path(folder) / f"chart-{index}.png" for index in range(len(figures))]
        pio.write_images(figures, paths, format="png", width=width, height=height, scale=scale)
        images = [path.read_bytes() for path in paths]
    elapsed = time.perf_counter() - started
    last_timing.update(charts=len(figures), seconds=elapsed)
    log.info("kaleido: %d charts in %.2f s", len(figures), elapsed)
    return images


def slide_images(slides: list[Slide]) -> dict[int, bytes]:
    """{slide index: PNG} for every slide with a chart."""
    indexed = [(index, slide.figure) for index, slide in enumerate(slides) if slide.figure is not None]
    images = figures_to_png([print_version(figure) for _, figure in indexed])
    return {index: image for (index, _), image in zip(indexed, images)}


def print_version(figure: go.Figure) -> go.Figure:
    """The chart as printed: no interactive toolbar, white paper, the export's own size."""
    printed = go.Figure(figure)
    printed.update_layout(paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", height=CHART_HEIGHT, width=CHART_WIDTH)
    return printed

"""The committee deck as PowerPoint (python-pptx): text as real, editable text; each chart as a PNG; the sources
in every slide's footer. 16:9 slides, large type."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import language, t
from bezpieczny.views.deck import ScoreRow, Slide
from dashboard.components.verdict_badge import VERDICT_SYMBOLS
from dashboard.exports.images import CHART_HEIGHT, CHART_WIDTH

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
FONT = "DejaVu Sans"


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


INK, MUTED = rgb(COLORS["ink"]), rgb(COLORS["muted"])


@dataclass(frozen=True)
class Box:
    """Where a text box goes on the slide (EMU)."""

    left: int
    top: int
    width: int
    height: int


def add_text(slide, box: Box, paragraphs: list[list[tuple]], *, space_after: int = 6):
    """A text box; each paragraph is a list of runs (text, size in pt, bold, RGBColor)."""
    shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    frame = shape.text_frame
    frame.word_wrap = True
    for index, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(space_after)
        for text, size, bold, colour in runs:
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
            run.font.color.rgb = colour
    return shape


def verdict_runs(reading: str, lang: str, size: int) -> list[tuple]:
    """Icon in the reading's colour, then letter and word in ink (colour is never the only signal)."""
    icon, letter, word = VERDICT_SYMBOLS[language(lang)][reading]
    return [(icon + " ", size, True, rgb(COLORS[reading])), (f"{letter} {word}", size, True, INK)]


def score_paragraph(row: ScoreRow, lang: str, size: int) -> list[tuple]:
    return [
        *verdict_runs(row.reading, lang, size),
        ("  " + row.name, size, True, INK),
        (f"  {row.change}" if row.change and row.change != "—" else "", size - 2, False, MUTED),
    ]


def add_footer(slide, model: Slide, number: int, total: int, lang: str) -> None:
    """Sources and slide number at the bottom; a long source list starts higher (python-pptx cannot measure
    text, so the height is estimated from the length: about 190 characters per 9 pt line over the width)."""
    prefix = "" if model.kind == "title" else t("committee_source_prefix", lang)
    text = prefix + " · ".join(model.sources)
    lines = max(1, -(-len(text) // 190))
    height = Inches(0.17) * lines + Inches(0.1)
    top = SLIDE_HEIGHT - Inches(0.2) - height
    add_text(slide, Box(MARGIN, top, CONTENT_WIDTH - Inches(1.6), height), [[(text, 9, False, MUTED)]])
    add_text(
        slide,
        Box(SLIDE_WIDTH - MARGIN - Inches(1.5), top, Inches(1.5), Inches(0.4)),
        [[(t("committee_slide_of", lang, number=number, total=total), 10, True, MUTED)]],
    )


def add_title(slide, text: str, size: int = 32, top=Inches(0.4)):
    add_text(slide, Box(MARGIN, top, CONTENT_WIDTH, Inches(1.0)), [[(text, size, True, INK)]])


def text_box(top, height) -> Box:
    """A box across the content width."""
    return Box(MARGIN, top, CONTENT_WIDTH, height)


def fill_title(slide, model: Slide) -> None:
    add_title(slide, model.title, 40, top=Inches(1.3))
    add_text(slide, text_box(Inches(2.7), Inches(0.6)), [[(model.subtitle, 24, False, MUTED)]])
    add_text(
        slide,
        text_box(Inches(3.5), Inches(3.0)),
        [[(line, 22 if i < 2 else 18, i < 2, INK)] for i, line in enumerate(model.lines)],
        space_after=12,
    )


def fill_scorecard(slide, model: Slide, lang: str) -> None:
    add_title(slide, model.title, 30)
    add_text(slide, text_box(Inches(1.1), Inches(0.4)), [[(model.lines[0], 15, True, INK)]])
    half = (len(model.rows) + 1) // 2
    column_width = (CONTENT_WIDTH - Inches(0.4)) // 2
    for column, rows in enumerate((model.rows[:half], model.rows[half:])):
        add_text(
            slide,
            Box(MARGIN + column * (column_width + Inches(0.4)), Inches(1.6), column_width, Inches(5.1)),
            [score_paragraph(row, lang, 12) for row in rows],
            space_after=3,
        )


def fill_chart_slide(slide, model: Slide, image: bytes | None, lang: str) -> None:
    """An indicator's or an XmR chart's slide: title, verdict, its sentences (the first larger), the chart."""
    add_title(slide, model.title, 28, top=Inches(0.3))
    add_text(slide, text_box(Inches(0.95), Inches(0.5)), [verdict_runs(model.reading, lang, 22)])
    add_text(
        slide,
        text_box(Inches(1.5), Inches(1.3)),
        [
            [(line, 14 if index == 0 else 12, False, INK if index == 0 else MUTED)]
            for index, line in enumerate(model.lines)
        ],
        space_after=4,
    )
    if image is not None:
        height = Inches(3.9)
        width = Emu(int(height * CHART_WIDTH / CHART_HEIGHT))
        slide.shapes.add_picture(io.BytesIO(image), int((SLIDE_WIDTH - width) / 2), Inches(2.85), width, height)


def fill_slide(slide, model: Slide, image: bytes | None, lang: str) -> None:
    if model.kind == "title":
        fill_title(slide, model)
    elif model.kind == "scorecard":
        fill_scorecard(slide, model, lang)
    elif model.kind in ("indicator", "spc"):
        fill_chart_slide(slide, model, image, lang)
    elif model.kind == "subjective":
        add_title(slide, model.title, 30)
        add_text(
            slide,
            text_box(Inches(1.4), Inches(5.0)),
            [score_paragraph(row, lang, 20) for row in model.rows] + [[(line, 20, False, INK)] for line in model.lines],
            space_after=14,
        )
    else:
        add_title(slide, model.title, 30)
        add_text(
            slide,
            text_box(Inches(1.3), Inches(5.3)),
            [[(model.lines[0], 16, False, INK)]] + [[("• " + line, 12, False, INK)] for line in model.lines[1:]],
            space_after=6,
        )


def deck_to_pptx(
    slides: list[Slide], images: dict[int, bytes], lang: str, progress: Callable[[int], None] | None = None
) -> bytes:
    """The deck as a .pptx file (bytes); `progress(slides filled)` after each slide."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = presentation.slide_layouts[6]
    for index, model in enumerate(slides):
        slide = presentation.slides.add_slide(blank)
        fill_slide(slide, model, images.get(index), lang)
        add_footer(slide, model, index + 1, len(slides), lang)
        if progress is not None:
            progress(index + 1)
    presentation.core_properties.title = slides[0].title if slides else ""
    presentation.core_properties.language = "pl-PL" if language(lang) == "pl" else "en-GB"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()

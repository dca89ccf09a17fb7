"""The committee deck as PDF (reportlab): one 16:9 page per slide, the same text and chart PNGs as the PPTX, text
kept as text (searchable, readable by screen readers), sources in every page's footer.

reportlab's built-in fonts cannot write Polish letters (ą, ę, ł, ś, ż …) or the verdict icons, so the pages use
DejaVu Sans (Debian package fonts-dejavu-core), embedded in the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from html import escape
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import language, t
from bezpieczny.views.deck import ScoreRow, Slide
from dashboard.components.verdict_badge import VERDICT_SYMBOLS
from dashboard.exports.images import CHART_HEIGHT, CHART_WIDTH

PAGE_WIDTH, PAGE_HEIGHT = 13.333 * inch, 7.5 * inch
MARGIN = 0.6 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_BOTTOM = 0.25 * inch
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# Chart images as binary streams, not ASCII85 text: a quarter smaller, and reportlab's pure-Python ASCII85 encoder
# was most of an export's PDF time.
rl_config.useA85 = 0


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab once per process."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
            return
    raise FileNotFoundError(
        "DejaVu Sans not found (install the Debian package fonts-dejavu-core); "
        f"looked in {', '.join(map(str, FONT_DIRS))}"
    )


def style(
    size: float, *, bold: bool = False, colour: str = COLORS["ink"], leading: float | None = None, **extra
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}{colour}",
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=HexColor(colour),
        **extra,
    )


def draw(
    canvas: Canvas,
    markup: str,
    paragraph_style: ParagraphStyle,
    *,
    top: float,
    x: float = MARGIN,
    width: float = CONTENT_WIDTH,
) -> float:
    """Draw a wrapped paragraph whose top edge is at `top` (from the page bottom), from `x` over `width`; return its
    height."""
    paragraph = Paragraph(markup, paragraph_style)
    _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
    paragraph.drawOn(canvas, x, top - height)
    return height


def verdict_markup(reading: str, lang: str) -> str:
    icon, letter, word = VERDICT_SYMBOLS[language(lang)][reading]
    return f'<font color="{COLORS[reading]}">{icon}</font> <b>{escape(letter)} {escape(word)}</b>'


def score_markup(row: ScoreRow, lang: str, small: float) -> str:
    change = (
        f' <font size="{small}" color="{COLORS["muted"]}">{escape(row.change)}</font>'
        if row.change and row.change != "—"
        else ""
    )
    return f"{verdict_markup(row.reading, lang)}  <b>{escape(row.name)}</b>{change}"


def draw_footer(canvas: Canvas, model: Slide, number: int, total: int, lang: str) -> float:
    """Sources and slide number at the page bottom; a long source list grows upwards. Returns the footer's top."""
    prefix = "" if model.kind == "title" else t("committee_source_prefix", lang)
    sources = Paragraph(escape(prefix + " · ".join(model.sources)), style(8, colour=COLORS["muted"]))
    _, height = sources.wrapOn(canvas, CONTENT_WIDTH - 1.8 * inch, PAGE_HEIGHT)
    sources.drawOn(canvas, MARGIN, FOOTER_BOTTOM)
    top = FOOTER_BOTTOM + max(height, 12)
    draw(
        canvas,
        escape(t("committee_slide_of", lang, number=number, total=total)),
        style(10, bold=True, colour=COLORS["muted"], alignment=TA_RIGHT),
        top=top,
        x=PAGE_WIDTH - MARGIN - 1.6 * inch,
        width=1.6 * inch,
    )
    canvas.setStrokeColor(HexColor("#d0d0d0"))
    canvas.line(MARGIN, top + 4, PAGE_WIDTH - MARGIN, top + 4)
    return top + 8


def draw_title_page(canvas: Canvas, model: Slide, top: float) -> None:
    top -= 0.9 * inch
    top -= draw(canvas, escape(model.title), style(38, bold=True), top=top) + 8
    top -= draw(canvas, escape(model.subtitle), style(22, colour=COLORS["muted"]), top=top) + 30
    for index, line in enumerate(model.lines):
        top -= draw(canvas, escape(line), style(22 if index < 2 else 17, bold=index < 2), top=top) + 14


def draw_chart_page(canvas: Canvas, model: Slide, image: bytes | None, lang: str, span: tuple[float, float]) -> None:
    """An indicator's or an XmR chart's page: title, verdict, its sentences (the first larger), the chart between
    them and the footer (`span` = (top, bottom))."""
    top, bottom = span
    top -= draw(canvas, escape(model.title), style(28, bold=True), top=top) + 6
    top -= draw(canvas, verdict_markup(model.reading, lang), style(20), top=top) + 8
    for index, line in enumerate(model.lines):
        paragraph_style = style(14) if index == 0 else style(12, colour=COLORS["muted"])
        top -= draw(canvas, escape(line), paragraph_style, top=top) + (6 if index < len(model.lines) - 1 else 10)
    if image is not None:
        height = min(top - bottom - 6, 4.3 * inch)
        width = height * CHART_WIDTH / CHART_HEIGHT
        canvas.drawImage(ImageReader(io.BytesIO(image)), (PAGE_WIDTH - width) / 2, top - height, width, height)


def draw_scorecard_page(canvas: Canvas, model: Slide, lang: str, top: float) -> None:
    top -= draw(canvas, escape(model.lines[0]), style(14, bold=True), top=top) + 10
    half = (len(model.rows) + 1) // 2
    column_width = (CONTENT_WIDTH - 0.4 * inch) / 2
    for column, rows in enumerate((model.rows[:half], model.rows[half:])):
        y = top
        for row in rows:
            y -= (
                draw(
                    canvas,
                    score_markup(row, lang, 9),
                    style(11),
                    top=y,
                    x=MARGIN + column * (column_width + 0.4 * inch),
                    width=column_width,
                )
                + 4
            )


def draw_slide(canvas: Canvas, model: Slide, image: bytes | None, lang: str, bottom: float) -> None:
    """Draw the slide's content between the page top and `bottom` (the footer's top)."""
    top = PAGE_HEIGHT - 0.45 * inch
    if model.kind == "title":
        draw_title_page(canvas, model, top)
        return
    if model.kind in ("indicator", "spc"):
        draw_chart_page(canvas, model, image, lang, (top, bottom))
        return
    top -= draw(canvas, escape(model.title), style(28, bold=True), top=top) + 10
    if model.kind == "scorecard":
        draw_scorecard_page(canvas, model, lang, top)
    elif model.kind == "subjective":
        for row in model.rows:
            top -= draw(canvas, score_markup(row, lang, 16), style(19), top=top) + 14
        for line in model.lines:
            top -= draw(canvas, escape(line), style(19), top=top) + 10
    else:
        top -= draw(canvas, escape(model.lines[0]), style(15), top=top) + 10
        for line in model.lines[1:]:
            top -= draw(canvas, "• " + escape(line), style(11), top=top) + 4


def deck_to_pdf(
    slides: list[Slide], images: dict[int, bytes], lang: str, progress: Callable[[int], None] | None = None
) -> bytes:
    """The deck as a PDF file (bytes), one page per slide; `progress(pages drawn)` after each page."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(slides[0].title if slides else "")
    canvas.setAuthor("Bezpieczny Kraków monitor")
    canvas.setSubject(t("committee_heading", lang))
    for index, model in enumerate(slides):
        footer_top = draw_footer(canvas, model, index + 1, len(slides), lang)
        draw_slide(canvas, model, images.get(index), lang, footer_top)
        canvas.showPage()
        if progress is not None:
            progress(index + 1)
    canvas.save()
    return buffer.getvalue()

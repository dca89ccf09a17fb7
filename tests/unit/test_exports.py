"""PDF and PPTX export of the committee slides: files read back with pypdf / python-pptx, one page or slide per
deck slide, text kept as text, charts as images. Charts are rendered once (kaleido starts a browser)."""
from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from bezpieczny.views.deck import build_deck
from dashboard.exports import export_deck
from dashboard.exports.images import slide_images
from dashboard.exports.pdf_export import deck_to_pdf
from dashboard.exports.pptx_export import deck_to_pptx


@pytest.fixture(scope="module")
def deck(dashboard_warehouse):
    slides = build_deck("2022–2024", "pl")
    return slides, slide_images(slides)


def test_chart_images_are_pngs_for_every_indicator_slide(deck):
    slides, images = deck
    assert sorted(images) == [i for i, s in enumerate(slides) if s.figure is not None]
    assert all(image[:8] == b"\x89PNG\r\n\x1a\n" for image in images.values())


def test_pptx_reads_back_with_one_slide_per_deck_slide(deck):
    slides, images = deck
    presentation = Presentation(io.BytesIO(deck_to_pptx(slides, images, "pl")))
    assert len(presentation.slides) == len(slides)
    texts = ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
             for slide in presentation.slides]
    assert "Przestępstwa przeciwko mieniu" in texts[1] and "▼ G pogorszenie" in texts[1]  # real text, not pictures
    pictures = [sum(shape.shape_type == 13 for shape in slide.shapes) for slide in presentation.slides]  # 13 = picture
    assert pictures == [1 if s.figure is not None else 0 for s in slides]
    assert all(f"Slajd {n} z {len(slides)}" in text for n, text in enumerate(texts, start=1))  # footer on each


def test_pdf_is_valid_with_one_page_per_slide(deck):
    slides, images = deck
    content = deck_to_pdf(slides, images, "pl")
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(slides)
    scorecard = reader.pages[1].extract_text()
    assert "pogorszenie" in scorecard and "Przestępstwa stwierdzone ogółem" in scorecard  # Polish letters survive
    assert "GUS" in reader.pages[2].extract_text()  # sources in the footer


def test_export_rejects_unknown_format(dashboard_warehouse):
    with pytest.raises(ValueError):
        export_deck("2022–2024", "pl", "docx")


def test_pptx_shapes_stay_on_the_slide(deck):
    slides, images = deck
    presentation = Presentation(io.BytesIO(deck_to_pptx(slides, images, "pl")))
    width, height = presentation.slide_width, presentation.slide_height
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= width and shape.top + shape.height <= height

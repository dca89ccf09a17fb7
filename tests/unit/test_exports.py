"""PDF and PPTX export of the committee slides: files read back with pypdf / python-pptx, one page or slide per
deck slide, text kept as text, charts as images; Warszawa's whole deck exported with its progress; the export
slots that queue exports. Charts are rendered once per fixture (kaleido starts a browser)."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
import time

import pytest
from pptx import Presentation
from pypdf import PdfReader

from bezpieczny import read
from bezpieczny.views.deck import build_deck
from dashboard.exports import export_deck, export_filename
from dashboard.exports.images import slide_images
from dashboard.exports.pdf_export import deck_to_pdf
from dashboard.exports.pptx_export import deck_to_pptx
from dashboard.exports.slots import export_slot


@pytest.fixture(scope="module")
def deck(dashboard_warehouse):
    """Kraków's deck with one slide of each kind (title, the answer, the summary table, an indicator, what the data
    can tell, subjective, gaps, sources): every layout, a fraction of the rendering time."""
    every = build_deck("2022–2024", "pl")
    kinds = ("title", "answer", "scorecard", "indicator", "limits", "subjective", "gaps", "sources")
    slides = [next(s for s in every if s.kind == kind) for kind in kinds]
    return slides, slide_images(slides)


def test_chart_images_are_pngs_for_every_indicator_slide(deck):
    slides, images = deck
    assert sorted(images) == [i for i, s in enumerate(slides) if s.figure is not None]
    assert all(image[:8] == b"\x89PNG\r\n\x1a\n" for image in images.values())


def test_pptx_reads_back_with_one_slide_per_deck_slide(deck):
    slides, images = deck
    presentation = Presentation(io.BytesIO(deck_to_pptx(slides, images, "pl")))
    assert len(presentation.slides) == len(slides)
    texts = [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in presentation.slides
    ]
    assert texts[1].startswith("Odpowiedź: 2022–2024") and "Wyraźnie gorzej:" in texts[1]  # real text, not pictures
    assert "Przestępstwa przeciwko mieniu" in texts[2] and "◇ B bez wyraźnej zmiany" in texts[2]
    assert "▼ WG wyraźne pogorszenie" in texts[3]  # the indicator slide's reading
    pictures = [sum(shape.shape_type == 13 for shape in slide.shapes) for slide in presentation.slides]  # 13 = picture
    assert pictures == [1 if s.figure is not None else 0 for s in slides]
    assert all(f"Slajd {n} z {len(slides)}" in text for n, text in enumerate(texts, start=1))  # footer on each


def test_pdf_is_valid_with_one_page_per_slide(deck):
    slides, images = deck
    content = deck_to_pdf(slides, images, "pl")
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(slides)
    scorecard = reader.pages[2].extract_text()
    assert "pogorszenie" in scorecard and "Przestępstwa stwierdzone ogółem" in scorecard  # Polish letters survive
    assert "GUS" in reader.pages[3].extract_text()  # sources in the footer


def test_export_rejects_unknown_format_period_or_area(dashboard_warehouse):
    with pytest.raises(ValueError):
        export_deck("2022–2024", "pl", "docx")
    with pytest.raises(read.UnknownIdError):
        export_filename("2019", "pl", "pdf")
    with pytest.raises(read.UnknownIdError):
        export_filename("2024", "pl", "pdf", "../../etc")


def test_file_names_are_built_from_known_ids_only(dashboard_warehouse):
    assert export_filename("2022–2024", "pl", "pdf") == "bezpieczny-rada-1261000-2022-2024-pl.pdf"
    assert export_filename("latest", "<script>", "pptx", "1465000") == "bezpieczny-rada-1465000-latest-pl.pptx"


def test_warsaw_deck_exports_to_pdf_and_pptx_with_progress_for_every_slide(dashboard_warehouse):
    steps = []
    content, filename = export_deck(
        "2022–2024", "pl", "pdf", area="1465000", progress=lambda done, total: steps.append((done, total))
    )
    slides = build_deck("2022–2024", "pl", "1465000")
    assert filename == "bezpieczny-rada-1465000-2022-2024-pl.pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(slides)
    assert "Obszar: Powiat m. st. Warszawa" in reader.pages[0].extract_text().replace("\n", " ")
    # one step per slide rendered, then one per slide written: 1, 2, … 2n
    assert steps == [(done, 2 * len(slides)) for done in range(1, 2 * len(slides) + 1)]
    # the PPTX of the same deck (charts left out here; the browser test downloads the whole file)
    presentation = Presentation(io.BytesIO(deck_to_pptx(slides, {}, "pl")))
    assert len(presentation.slides) == len(slides)
    title = "\n".join(shape.text_frame.text for shape in presentation.slides[0].shapes if shape.has_text_frame)
    assert "Obszar: Powiat m. st. Warszawa" in title


def hold_slot(folder, ready):
    with export_slot(slots=1, folder=folder):
        ready.set()
        time.sleep(60)


def test_exports_beyond_the_slots_wait_and_a_killed_export_frees_its_slot(tmp_path):
    running, most, lock = [0], [0], threading.Lock()
    waited = threading.Event()

    def export():
        with export_slot(slots=2, folder=tmp_path, poll_s=0.02, waiting=waited.set):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.2)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=export) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert most[0] == 2 and waited.is_set()  # never more than two at once; the others were queued, none lost
    assert not any(thread.is_alive() for thread in threads)
    # a cancelled export is a killed process: the kernel releases its lock, the next export gets the slot
    ready = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(target=hold_slot, args=(tmp_path / "one", ready))
    holder.start()
    assert ready.wait(20)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    with export_slot(slots=1, folder=tmp_path / "one", poll_s=0.02) as number:
        assert number == 0


def test_pptx_shapes_stay_on_the_slide(deck):
    slides, images = deck
    presentation = Presentation(io.BytesIO(deck_to_pptx(slides, images, "pl")))
    width, height = presentation.slide_width, presentation.slide_height
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= width and shape.top + shape.height <= height

"""Fuzzing the file readers: every damaged input parses to the same cells as the clean file or raises the reader's own
error — no other exception escapes (hypothesis: random truncations, bit flips, duplicated and shuffled lines).

The clean files are SYNTHETIC, generated here in each format's exact layout. A cut exactly after a line end leaves a
shorter but well-formed file that no reader can tell from a real one; there the cells must be those of the lines
kept. A flipped top bit always breaks UTF-8 (it turns a one-byte character into a lone lead or continuation byte,
or the reverse), so a flip must always be refused; other byte changes can make another valid number and are
not a property any reader can have.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import random

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.sources.curated.reader import COLUMNS, CuratedDataError, read_curated
from etl.sources.eurostat.bulk import BulkFormatError, read_bulk_tsv
from etl.sources.eurostat.jsonstat import JsonStatError, read_dataset

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- Eurostat bulk TSV -----------------------------------------------------------------------------------------------
def tsv_file(rng: random.Random) -> tuple[str, list[tuple[str, str, str]]]:
    """A file in Eurostat's layout (keys item,unit,city; years with trailing spaces; flags; ':' gaps) and its keys."""
    years = ["2019 ", "2015 ", "2012 "]
    keys = [(f"PS35{i:02d}V", "PC", f"{c}00{n}C") for i in range(2) for c in ("PL", "DE") for n in range(1, 3)]
    lines = ["indic_ur,unit,cities\\time\t" + "\t".join(years)]
    for key in keys:
        cells = [
            rng.choice([f"{rng.randint(0, 999) / 10:.1f} ", ": ", f"{rng.randint(0, 99)}.5 u", ": z"]) for _ in years
        ]
        lines.append(",".join(key) + "\t" + "\t".join(cells))
    return "\n".join(lines) + "\n", keys


def read_tsv(tmp_path, text: bytes) -> pd.DataFrame:
    path = tmp_path / "urb_percep.tsv"
    path.write_bytes(text)
    return read_bulk_tsv(path)


def sorted_cells(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple("<NA>" if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False))


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_a_cut_tsv_is_refused_or_holds_exactly_the_lines_kept_whole(tmp_path, rng, data):
    text, keys = tsv_file(rng)
    raw = text.encode()
    clean = read_tsv(tmp_path, raw)
    cut = data.draw(st.integers(0, len(raw)))
    try:
        cells = read_tsv(tmp_path, raw[:cut])
    except BulkFormatError:
        return
    assert raw[:cut].endswith(b"\n")  # only a cut after a line end can read
    kept = {key[2] + key[0] for key in keys[: raw[:cut].count(b"\n") - 1]}
    expected = clean[(clean["city_code"] + clean["indic_ur"]).isin(kept)]
    assert sorted_cells(cells) == sorted_cells(expected)


def test_a_file_cut_inside_its_last_number_is_refused_naming_file_line_and_column(tmp_path):
    text = "indic_ur,unit,cities\\time\t2019 \nPS3514V,PC,PL003C\t48.0 \n"
    path = tmp_path / "urb_percep.tsv"
    path.write_text(text[: text.index("48.0") + 1], encoding="utf-8")  # "48.0 \n" cut to "4"
    try:
        read_bulk_tsv(path)
    except BulkFormatError as error:
        assert (error.file, error.line) == ("urb_percep.tsv", 2) and "truncated" in str(error)
        assert "\n" not in str(error)
    else:
        raise AssertionError("a cut-off file was read")


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_a_flipped_top_bit_anywhere_in_a_tsv_is_refused(tmp_path, rng, data):
    raw = bytearray(tsv_file(rng)[0].encode())
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= 0x80
    try:
        read_tsv(tmp_path, bytes(raw))
    except BulkFormatError as error:
        assert "UTF-8" in error.detail
    else:
        raise AssertionError("a damaged byte was read")


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_shuffled_tsv_lines_read_the_same_cells_and_a_duplicated_line_is_refused(tmp_path, rng, data):
    text, _ = tsv_file(rng)
    header, *body = text.splitlines(keepends=True)
    clean = read_tsv(tmp_path, text.encode())
    shuffled = data.draw(st.permutations(body))
    assert sorted_cells(read_tsv(tmp_path, (header + "".join(shuffled)).encode())) == sorted_cells(clean)
    twice = data.draw(st.sampled_from(body))
    try:
        read_tsv(tmp_path, (header + "".join(shuffled) + twice).encode())
    except BulkFormatError as error:
        assert "repeats line" in error.detail
    else:
        raise AssertionError("a repeated key was read")


def test_a_repeated_key_with_a_different_value_is_refused_naming_both_lines(tmp_path):
    text = "indic_ur,unit,cities\\time\t2019 \nPS3514V,PC,PL003C\t48.0 \nPS3514V,PC,PL003C\t47.0 \n"
    try:
        read_tsv(tmp_path, text.encode())
    except BulkFormatError as error:
        assert error.line == 3 and "repeats line 2 with different values" in error.detail
    else:
        raise AssertionError("a conflicting repeated key was read")


def test_extra_and_missing_fields_and_an_empty_file_are_refused_with_their_place(tmp_path):
    header = "indic_ur,unit,cities\\time\t2019 \t2015 \n"
    cases = {
        header + "PS3514V,PC,PL003C\t48.0 \t: \t1.0 \n": (2, "field 4"),
        header + "PS3514V,PC,PL003C\t48.0 \n": (2, "2015 "),
        "": (1, "(file)"),
    }
    for text, (line, column) in cases.items():
        try:
            read_tsv(tmp_path, text.encode())
        except BulkFormatError as error:
            assert (error.line, error.column) == (line, column), text
        else:
            raise AssertionError(f"read {text!r}")


def test_a_file_with_only_its_header_reads_as_no_cells(tmp_path):
    assert read_tsv(tmp_path, b"indic_ur,unit,cities\\time\t2019 \n").empty


# --- JSON-stat ---------------------------------------------------------------------------------------------------
def jsonstat_body(rng: random.Random) -> dict:
    cities, years = ["PL003C", "DE001C", "FR001C"], ["2015", "2019"]
    values = [rng.choice([None, rng.randint(0, 1000) / 10]) for _ in range(len(cities) * len(years))]
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["indic_ur", "cities", "time"],
        "size": [1, 3, 2],
        "dimension": {
            "indic_ur": {"category": {"label": {"PS3514V": "safe at night"}}},
            "cities": {"category": {"index": {c: i for i, c in enumerate(cities)}}},
            "time": {"category": {"index": years}},
        },
        "value": values,
        "status": {"1": "u"},
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10) | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=8,
)


def members(document: object, path: tuple = ()) -> list[tuple]:
    """Every path into a JSON document (object keys and list positions)."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += members(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += members(value, (*path, index))
    return found


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False), st.data(), json_values)
def test_a_jsonstat_body_with_any_member_replaced_reads_or_raises_the_readers_error(rng, data, replacement):
    document = jsonstat_body(rng)
    path = data.draw(st.sampled_from(members(document)[1:]))
    damaged = copy.deepcopy(document)
    parent = damaged
    for step in path[:-1]:
        parent = parent[step]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    with contextlib.suppress(JsonStatError):  # any other exception fails the test
        read_dataset(damaged)


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_a_damaged_landed_jsonstat_file_is_refused_naming_the_file(tmp_path, rng, data):
    from etl.loaders.errors import SchemaDriftError
    from etl.sources.eurostat.transform import cells_from_raw

    raw = bytearray(json.dumps(jsonstat_body(rng), ensure_ascii=False).encode())
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    else:
        raw[data.draw(st.integers(0, len(raw) - 1))] ^= 0x80
    landed = tmp_path / "eurostat_urb_percep" / "2026-12-01"
    landed.mkdir(parents=True, exist_ok=True)
    (landed / "urb_percep.json").write_bytes(bytes(raw))
    (landed / "urb_percep.json.meta.json").write_text(json.dumps({"retrieved_at": "2026-12-01T00:00:00Z"}))
    try:
        cells_from_raw(tmp_path / "eurostat_urb_percep")
    except SchemaDriftError as error:
        assert "urb_percep.json" in str(error) and "\n" not in str(error)
    else:
        raise AssertionError("a damaged body was read")


# --- curated CSV -------------------------------------------------------------------------------------------------
def curated_text(rng: random.Random) -> str:
    rows = []
    for n in range(rng.randint(1, 4)):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            figure_id=f"CR-{10 + n}",
            series_id=f"city_report_crimes_count__s{n}",
            value=f"{rng.randint(0, 99999)}",
            value_qualifier="exact",
            unit="count",
            period=str(2010 + n),
            area_code="1261000",
            area_name="Kraków",
            publisher="Urząd Miasta Krakowa",
            url="https://www.bip.krakow.pl/plik.php?zid=193069",
            url_status="composed",
            quote=rng.choice(["przestępstwa stwierdzone", "wiersz pierwszy\nwiersz drugi, z przecinkiem"]),
            quote_verbatim="false",
            retrieved="2026-10-03",
            is_derived="false",
        )
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def read_curated_text(folder, raw: bytes) -> pd.DataFrame:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "city_reports.csv").write_bytes(raw)
    return read_curated(folder)


def figures(frame: pd.DataFrame) -> list[tuple]:
    """The cells of every figure, without the line it was read from (shuffling moves lines)."""
    return sorted_cells(frame.drop(columns=["source_line"]))


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_a_cut_curated_file_is_refused_or_holds_exactly_the_figures_kept_whole(tmp_path, rng, data):
    text = curated_text(rng)
    raw = text.encode()
    clean = read_curated_text(tmp_path / "clean", raw)
    cut = data.draw(st.integers(0, len(raw)))
    try:
        cells = read_curated_text(tmp_path / "cut", raw[:cut])
    except CuratedDataError:
        return
    assert raw[:cut].endswith(b"\n")
    kept = set(cells["figure_id"])
    assert figures(cells) == figures(clean[clean["figure_id"].isin(kept)])
    assert kept == set(clean["figure_id"].iloc[: len(kept)])  # a prefix: only whole figures from the top


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_a_flipped_top_bit_anywhere_in_a_curated_file_is_refused(tmp_path, rng, data):
    raw = bytearray(curated_text(rng).encode())
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= 0x80
    try:
        read_curated_text(tmp_path / "flip", bytes(raw))
    except CuratedDataError as error:
        assert "not UTF-8" in error.message
    else:
        raise AssertionError("a damaged byte was read")


@FUZZ
@given(st.randoms(use_true_random=False), st.data())
def test_shuffled_curated_records_read_the_same_and_a_duplicated_record_is_refused(tmp_path, rng, data):
    text = curated_text(rng)
    header, rest = text.split("\n", 1)
    records = ["\n".join(c) + "\n" for c in _records(rest)]
    clean = read_curated_text(tmp_path / "clean", text.encode())
    shuffled = data.draw(st.permutations(records))
    again = read_curated_text(tmp_path / "shuffled", (header + "\n" + "".join(shuffled)).encode())
    assert figures(again) == figures(clean)
    twice = data.draw(st.sampled_from(records))
    try:
        read_curated_text(tmp_path / "twice", (header + "\n" + "".join(shuffled) + twice).encode())
    except CuratedDataError as error:
        assert "duplicate figure_id" in error.message
    else:
        raise AssertionError("a repeated figure was read")


def _records(body: str) -> list[list[str]]:
    """Physical lines grouped by record (a quoted field may span lines)."""
    records, current = [], []
    for line in body.splitlines():
        current.append(line)
        if "\n".join(current).count('"') % 2 == 0:
            records.append(current)
            current = []
    return records

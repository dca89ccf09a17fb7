"""Kraków's gaps become actions: for a curated indicator whose holder is a public body and which has no value in
the programme years, the missing years and a ready request for public information (wniosek o udostępnienie
informacji publicznej) addressed to the holder, naming the series, the years missing and the legal basis. The
holders and what to ask for are in `etl/sources/city_imports/requests.yaml`; the years are read from the warehouse
(`mart__trend_points`). The request is in Polish: it goes to a Polish public body.
"""

from __future__ import annotations

from dataclasses import dataclass

from bezpieczny import read
from etl.catalogue import get_indicator
from etl.sources.city_imports.requests import holders

PROGRAMME_YEARS = (2022, 2023, 2024)
LEGAL_BASIS = "art. 2 ust. 1 i art. 10 ust. 1 ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej"


@dataclass(frozen=True)
class Gap:
    """A curated series without a value in the programme years, and who holds it."""

    indicator_id: str
    name_pl: str
    name_en: str
    area_code: str
    holder: str
    scope: str
    register: bool
    years_with_values: tuple[int, ...]
    missing_years: tuple[int, ...]


def requestable() -> tuple[str, ...]:
    """Indicators a request can be prepared for (their holder is a public body)."""
    return tuple(holders())


@read.per_snapshot
def gap(snap: read.Snapshot, indicator_id: str) -> Gap | None:
    """The indicator's gap, or None when it has a value in a programme year (or no holder to ask)."""
    spec = holders().get(indicator_id)
    if spec is None:
        return None
    indicator = get_indicator(indicator_id)
    points = read.trend_points(indicator.area_code, (indicator_id,))
    years = tuple(sorted(int(y) for y, v in zip(points["year"], points["value"], strict=True) if v == v))
    if set(years) & set(PROGRAMME_YEARS):
        return None
    expected = range(min(indicator.baseline.years), PROGRAMME_YEARS[-1] + 1)
    return Gap(
        indicator_id=indicator_id,
        name_pl=indicator.name_pl,
        name_en=indicator.name_en,
        area_code=indicator.area_code,
        holder=spec["holder"],
        scope=spec["scope"],
        register=bool(spec.get("register")),
        years_with_values=years,
        missing_years=tuple(y for y in expected if y not in years),
    )


def years_text(years: tuple[int, ...]) -> str:
    """(2017, 2018, 2019, 2022) → '2017–2019, 2022' (runs of consecutive years joined)."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def request_document(found: Gap) -> str:
    """The request as plain text (UTF-8), with the requester's details and the holder's address left to fill in."""
    missing = years_text(found.missing_years)
    items = [f"{found.scope} — za lata {missing}, w podziale na poszczególne lata (a jeśli to możliwe, na miesiące);"]
    if found.register:
        items.append(
            "rejestru zgłoszeń (interwencji) Straży Miejskiej za lata "
            f"{missing}: data i godzina zgłoszenia, numer, typ (rodzaj) zgłoszenia, miejsce, sposób załatwienia, "
            "kwota mandatu i data zakończenia — po jednym wierszu na zgłoszenie, bez danych osobowych;"
        )
    have = years_text(found.years_with_values) if found.years_with_values else "brak"
    lines = [
        "[miejscowość], dnia [data]",
        "",
        "[imię i nazwisko albo nazwa wnioskodawcy]",
        "[adres do korespondencji lub adres e-mail]",
        "",
        found.holder,
        "[adres instytucji — uzupełnij]",
        "",
        "WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ",
        "",
        f"Na podstawie {LEGAL_BASIS} wnoszę o udostępnienie informacji publicznej w zakresie:",
        "",
        *[f"{n}. {item}" for n, item in enumerate(items[:-1], start=1)],
        f"{len(items)}. {items[-1].removesuffix(';')}.",
        "",
        "Zgodnie z art. 14 ust. 1 ustawy proszę o udostępnienie informacji w postaci elektronicznej — w pliku CSV lub "
        "XLSX (arkusz kalkulacyjny) — na adres e-mail: [adres e-mail]. Jeżeli część informacji jest już "
        "opublikowana w Biuletynie Informacji Publicznej, proszę o wskazanie adresu, pod którym się znajduje.",
        "",
        "[podpis]",
        "",
        "— — —",
        f"Seria: {found.name_pl} (identyfikator {found.indicator_id}).",
        f"Lata z wartością w monitorze „Bezpieczny Kraków”: {have}; brakujące lata: {missing}.",
        "Otrzymane dane można wprowadzić według szablonu tabeli raportu (/szablony/szablon-tabeli-raportu.csv)"
        + (" lub rejestru zgłoszeń (/szablony/szablon-rejestru.csv)" if found.register else "")
        + " poleceniem „bezpieczny import”.",
    ]
    return "\r\n".join(lines) + "\r\n"

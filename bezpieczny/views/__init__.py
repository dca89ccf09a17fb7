"""View models: what each view shows, as dataclasses and tidy frames (never html), read through `bezpieczny.read`.

- `scorecard` — the overview's verdict tiles (page Przegląd);
- `trends` — indicators over time with intervals and baselines from the build-time marts (page Trendy);
- `comparisons` — peer lines and bars, the funnel plot and the map (page Porównania);
- `objective_subjective` — recorded crime and detection against surveys (page Obiektywne vs subiektywne);
- `methods` — sources, breaks, disagreements and curated figures (page Dane i metody);
- `deck` — the committee slides (page Rada, PDF and PPTX exports).
"""

"""One source registry for fetch and build (issue 25 item 8): `etl.sources.registry.FETCHED` names what `bezpieczny
fetch` downloads; each plan is plain data (quotas, secret headers) from which the fetch step builds its client."""

from __future__ import annotations

import pytest

from etl.config import settings
from etl.fetch import _client, known_sources
from etl.loaders.http import Timing
from etl.sources.gus_bdl_api.quotas import BDL_ANONYMOUS_RATES, BDL_KEYED_RATES
from etl.sources.registry import FETCHED


@pytest.fixture
def config(monkeypatch):
    def with_key(key: str | None):
        settings.cache_clear()
        if key is None:
            monkeypatch.delenv("BDL_API_KEY", raising=False)
        else:
            monkeypatch.setenv("BDL_API_KEY", key)
        return settings()

    yield with_key
    settings.cache_clear()


def test_fetch_accepts_exactly_the_registered_sources():
    assert known_sources() == list(FETCHED) == ["gus_bdl", "eurostat_urb_percep"]


@pytest.mark.parametrize("source_id", sorted(FETCHED))
def test_each_source_lands_in_the_folder_the_build_reads(config, source_id):
    """The build reads `data/raw/<registry id>/`; the fetch lands in `data/raw/<plan's source id>/`."""
    assert FETCHED[source_id](config(None)).source_id == source_id


def test_with_a_key_the_bdl_plan_asks_for_the_keyed_quota_and_never_prints_the_key(config):
    plan = FETCHED["gus_bdl"](config("secret-key-123"))
    assert plan.rates == BDL_KEYED_RATES and dict(plan.secret_headers) == {"X-ClientId": "secret-key-123"}
    assert "secret-key-123" not in repr(plan)
    client = _client(plan, 7.5, Timing())
    assert (client.secret_headers, client.timeout_s, tuple(client.rates)) == (
        {"X-ClientId": "secret-key-123"},
        7.5,
        BDL_KEYED_RATES,
    )
    assert "secret-key-123" not in repr(client)


def test_without_a_key_the_bdl_plan_sends_no_key_and_keeps_the_anonymous_quota(config):
    plan = FETCHED["gus_bdl"](config(None))
    assert plan.rates == BDL_ANONYMOUS_RATES and plan.secret_headers == ()


def test_eurostat_has_no_quota_and_no_secret(config):
    plan = FETCHED["eurostat_urb_percep"](config(None))
    assert (plan.rates, plan.secret_headers) == ((), ())

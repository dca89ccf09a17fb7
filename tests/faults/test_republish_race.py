"""Readers never notice a rebuild: while the published file is replaced again and again (atomically, as a build
publishes it), queries running in several threads all succeed."""

from __future__ import annotations

import os
import shutil
import threading
import time

import duckdb

from bezpieczny.read import Warehouse

READERS = 4
REPLACEMENTS = 12
SECONDS_BETWEEN = 0.4


def marked_copy(source, target, mark: int):
    """A copy of the warehouse with a one-row table `test_mark` (synthetic, test only) telling the copies apart."""
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"CREATE TABLE test_mark AS SELECT {mark} AS mark")
    return target


def publish_copy(source, published, number: int) -> None:
    """A fresh copy renamed over the published file (a new inode, like `etl.build`'s publish)."""
    staging = published.with_name(f".staging-{number}.duckdb")
    shutil.copyfile(source, staging)
    os.replace(staging, published)


def test_queries_during_repeated_republishing_all_succeed(warehouse_path, tmp_path):
    copies = [marked_copy(warehouse_path, tmp_path / f"copy-{mark}.duckdb", mark) for mark in (0, 1)]
    published = tmp_path / "bezpieczny.duckdb"
    shutil.copyfile(copies[0], published)
    reader = Warehouse(published)
    stop = threading.Event()
    done, failures, identities, marks = [0] * READERS, [], set(), set()

    def read_until_stopped(slot: int) -> None:
        while not stop.is_set():
            try:
                frame = reader.sql("SELECT area_code, count(*) AS n FROM mart__verdicts GROUP BY area_code")
                assert len(frame) > 300
                assert len(reader.query("area_codes")) > 300
                marks.add(int(reader.sql("SELECT mark FROM test_mark")["mark"].iloc[0]))
                done[slot] += 1
            except Exception as err:  # noqa: BLE001 — every failure is what this test counts
                failures.append(repr(err))

    threads = [threading.Thread(target=read_until_stopped, args=(slot,), daemon=True) for slot in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        for number in range(REPLACEMENTS):
            time.sleep(SECONDS_BETWEEN)
            publish_copy(copies[(number + 1) % 2], published, number)
            identities.add(reader.identity)
    finally:
        time.sleep(SECONDS_BETWEEN)
        stop.set()
        last = int(reader.sql("SELECT mark FROM test_mark")["mark"].iloc[0])
        for thread in threads:
            thread.join(timeout=30)
        reader.close()
    assert not any(thread.is_alive() for thread in threads), "a reader hung"
    assert failures == [], f"{len(failures)} failed queries, e.g. {failures[:3]}"
    assert len(identities) == REPLACEMENTS, "every replacement published a new file"
    assert all(count > 0 for count in done), f"every reader ran queries: {done}"
    assert marks == {0, 1} and last == REPLACEMENTS % 2, "readers saw each newly published file"

"""Test helper: put a file into the raw layout (`<source>/<date>/<file>` + sidecar) as `fetch` would."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_json(relative: str) -> dict:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def land(
    source_dir: Path,
    day: str,
    name: str,
    document: dict | bytes,
    *,
    url: str = "http://127.0.0.1/test",
    with_sidecar: bool = True,
) -> Path:
    body = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode("utf-8")
    folder = Path(source_dir) / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(body)
    if with_sidecar:
        meta = {
            "url": url,
            "retrieved_at": f"{day}T10:00:00Z",
            "sha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
            "publisher": "test",
            "licence": "test",
            "etag": None,
            "http_status": 200,
        }
        (folder / (name + ".meta.json")).write_text(json.dumps(meta), encoding="utf-8")
    return path

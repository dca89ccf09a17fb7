"""BDL paging links, network-free (used by `fetch`, by `bdl variables/attributes` and by the offline transform)."""

from __future__ import annotations

from urllib.parse import urlsplit

from etl.config import BDL_API_URL


def next_page_url(document: object) -> str | None:
    """BDL paging: follow `links.next` until it is absent (API-NOTES §1.1)."""
    if isinstance(document, dict):
        links = document.get("links") or {}
        if isinstance(links, dict) and links.get("next"):
            return str(links["next"])
    return None


def rebase(link: str | None, base_url: str, public_base: str = BDL_API_URL) -> str | None:
    """`link` moved onto the configured API base URL (a mirror or proxy), keeping its path below the API root.

    BDL writes absolute `links.next` on its public host; followed verbatim they would leave the configured base.
    """
    if link is None or link.startswith(base_url.rstrip("/") + "/") or link == base_url:
        return link
    parts = urlsplit(link)
    root = urlsplit(public_base).path.rstrip("/")
    path = parts.path[len(root) :] if root and parts.path.startswith(root + "/") else parts.path
    return base_url.rstrip("/") + path + (f"?{parts.query}" if parts.query else "")

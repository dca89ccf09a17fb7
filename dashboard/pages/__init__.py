"""Pages: layout only. Each module has `PATH`, `TITLE_KEY` and `layout(lang, **query) -> component`."""

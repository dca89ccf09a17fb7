"""Readers of file formats and the HTTP client. Loaders know formats, not sources."""

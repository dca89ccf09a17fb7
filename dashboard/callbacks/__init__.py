"""Callback bodies as plain, testable functions; pages register them (see each page's `register_callbacks`)."""

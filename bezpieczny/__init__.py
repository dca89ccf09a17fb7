"""bezpieczny — the public Python API for analysts (see bezpieczny.api)."""

"""Permission-matrix rows per app (see tests/matrix_kit.py)."""

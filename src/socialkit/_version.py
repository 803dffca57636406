"""The installed version of socialkit."""

__version__ = "0.1.0"
"""socialkit's version, as on PyPI."""

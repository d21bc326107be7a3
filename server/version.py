"""The version string reported by the health routes."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("lamina")
except PackageNotFoundError:  # running from a source tree that is not installed
    VERSION = "0.0.0+source"

"""large-image is configured explicitly: python cache, no ICC correction."""

from __future__ import annotations

import large_image

from tiling.config import cache_items, configure


def test_configure_selects_the_python_cache_and_disables_icc() -> None:
    configure()
    assert large_image.config.getConfig("cache_backend") == "python"
    assert large_image.config.getConfig("icc_correction") is False


def test_configure_is_idempotent() -> None:
    configure()
    before = large_image.config.getConfig("cache_python_memory_portion")
    configure(cache_mb=1)
    assert large_image.config.getConfig("cache_python_memory_portion") == before


def test_the_cache_holds_a_useful_number_of_tiles() -> None:
    configure()
    assert cache_items() > 100

"""Small synthetic slides written once per session for the tiling tests (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiling import synthetic

FIXTURES = Path(__file__).parent.parent / "fixtures"
WIDTH, HEIGHT = 3000, 2000


@pytest.fixture(scope="session")
def slides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 3000x2000 slide per synthetic format."""
    root = tmp_path_factory.mktemp("slides")
    names = {"tiff": "slide.tiff", "svs": "slide.svs", "ometiff": "slide.ome.tif"}
    out = {}
    for fmt, name in names.items():
        synthetic.write(root / name, WIDTH, HEIGHT, fmt, seed=3)
        out[fmt] = root / name
    return out


@pytest.fixture(scope="session")
def slide(slides: dict[str, Path]) -> Path:
    """The plain pyramidal TIFF."""
    return slides["tiff"]


@pytest.fixture(scope="session")
def grid() -> Path:
    """The IIIF validator's 1000x1000 image of 10x10 coloured squares."""
    return FIXTURES / "iiif" / "67352ccc-d1b0-11e1-89ae-279075081939.png"

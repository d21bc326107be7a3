"""Upload a synthetic slide for the viewer profile and print the variables that name it.

    python -m loadtests.setup_viewer --host http://127.0.0.1:8000 [--width 20000 --height 15000]

Needs LOADTEST_PUBLIC_KEY / LOADTEST_PRIVATE_KEY (e.g. the admin keys printed by the first
``lamina serve``). Writes the slide with ``python -m tiling.synthetic``, creates a storage and
a project through the API, uploads the slide with ``POST /upload`` and prints
``export LOADTEST_IMAGE=<image instance id>``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import requests

from loadtests.cytomine_auth import keys_from_env, signed_headers


def _post(host: str, path: str, keys: tuple[str, str], **kwargs: Any) -> Any:
    headers = signed_headers(*keys, method="POST")
    r = requests.post(f"{host}{path}", headers=headers, timeout=600, **kwargs)
    if r.status_code != 200:
        raise SystemExit(f"POST {path} answered {r.status_code}: {r.text[:300]}")
    return r.json()


def upload(host: str, slide: Path, keys: tuple[str, str]) -> int:
    """Storage, project and upload through the API; returns the image instance id."""
    name = f"viewer load test {slide.stem}"
    storage = _post(host, "/api/storage.json", keys, json={"name": name})["storage"]["id"]
    project = _post(host, "/api/project.json", keys, json={"name": name})["project"]["id"]
    params = {"idStorage": storage, "idProject": project, "sync": "true"}
    with slide.open("rb") as handle:
        files = {"files[]": (slide.name, handle, "image/tiff")}
        made = _post(host, "/upload", keys, params=params, files=files)
    return int(made[0]["images"][0]["imageInstances"][0]["id"])


def write_slide(slide: Path, width: int, height: int) -> None:
    """A synthetic pyramidal TIFF of that size (``python -m tiling.synthetic``)."""
    cmd = [sys.executable, "-m", "tiling.synthetic", str(slide)]
    subprocess.run([*cmd, "--width", str(width), "--height", str(height)], check=True)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--width", type=int, default=20000)
    parser.add_argument("--height", type=int, default=15000)
    args = parser.parse_args()
    keys = keys_from_env()
    with tempfile.TemporaryDirectory() as tmp:
        slide = Path(tmp) / f"viewer-{args.width}x{args.height}.tiff"
        write_slide(slide, args.width, args.height)
        instance = upload(args.host.rstrip("/"), slide, keys)
    print(f"export LOADTEST_IMAGE={instance}")


if __name__ == "__main__":
    main()

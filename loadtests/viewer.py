"""Viewer load profile: people panning and zooming over one slide, as a web viewer does.

    locust -f loadtests/viewer.py --headless --host http://127.0.0.1:8000 \\
        --users 20 --spawn-rate 5 --run-time 20s --csv results/viewer

Environment: LOADTEST_IMAGE (image instance id; default: the first image of the first
project the account sees, e.g. the demo project), LOADTEST_PUBLIC_KEY and
LOADTEST_PRIVATE_KEY (API keys of an account that may read it), LOADTEST_AUTH=signed
(default: tile URLs signed once with ``tileurl``, like a viewer given a URL template) or
``apikey`` (every request signed with the API key, like the Python client).

Each simulated viewer opens the image (metadata, thumbnail), then pans (a 4x3 viewport of
256-px tiles around a moving centre), zooms in and out, and comes back to places it has
seen: those tiles are asked again with If-None-Match, and a 304 counts as a success.
Requests are named by kind ("tile z5", "tile 304", "thumb") in the statistics.
"""

from __future__ import annotations

import math
import os
import random
from typing import Any

from locust import HttpUser, between, task

from loadtests.cytomine_auth import keys_from_env, signed_headers

TILE = 256
VIEWPORT = (4, 3)  # tiles across and down on a small screen


def zoom_count(width: int, height: int) -> int:
    """Tiers of the normalized pyramid (zoom 0 = the whole image in one tile)."""
    return max(1, math.ceil(math.log2(max(width, height) / TILE)) + 1)


class Viewer(HttpUser):
    """One person looking at one slide."""

    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        """Open the image: metadata, reference slice, signed URL query, thumbnail."""
        self.public_key, self.private_key = keys_from_env()
        self.signed = os.environ.get("LOADTEST_AUTH", "signed") != "apikey"
        image = self._image()
        self.width, self.height = int(image["width"]), int(image["height"])
        self.zooms = zoom_count(self.width, self.height)
        ref = self._api(f"/api/imageinstance/{image['id']}/sliceinstance/reference.json")
        self.slice_id = int(ref["id"])
        self.image_id = int(image["id"])
        self.slice_query = self._signed_query("sliceinstance", self.slice_id)
        self.image_query = self._signed_query("imageinstance", self.image_id)
        self.etags: dict[str, str] = {}
        self.zoom = max(0, self.zooms - 3)
        # Not cryptographic: a load pattern, seeded by locust's user number for reruns.
        self.rng = random.Random(id(self))  # noqa: S311
        self.cx, self.cy = self.rng.random(), self.rng.random()
        self.thumb()

    def _api(self, path: str) -> dict[str, Any]:
        """A JSON GET signed with the API key (set-up calls, not measured as tiles)."""
        headers = signed_headers(self.public_key, self.private_key)
        with self.client.get(path, headers=headers, name="setup", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{path}: {r.status_code}")
                raise RuntimeError(f"{path} answered {r.status_code}: {r.text[:200]}")
            found: dict[str, Any] = r.json()
        return found

    def _signed_query(self, kind: str, object_id: int) -> str:
        """The signed URL query of an object (empty with API-key authentication)."""
        if not self.signed:
            return ""
        return str(self._api(f"/api/{kind}/{object_id}/tileurl.json")["query"])

    def _image(self) -> dict[str, Any]:
        """The image named by LOADTEST_IMAGE, else the first image of the first project."""
        named = os.environ.get("LOADTEST_IMAGE")
        if named:
            return self._api(f"/api/imageinstance/{int(named)}.json")
        projects = self._api("/api/project.json?max=1")["collection"]
        if not projects:
            raise RuntimeError("no project visible: set LOADTEST_IMAGE")
        images = self._api(f"/api/project/{projects[0]['id']}/imageinstance.json?max=1")
        if not images["collection"]:
            raise RuntimeError("the first project has no image: set LOADTEST_IMAGE")
        found: dict[str, Any] = images["collection"][0]
        return found

    def _get(self, path: str, name: str, query: str) -> None:
        """A picture GET, conditional when its ETag is known; 200 and 304 succeed."""
        url = f"{path}{'&' if '?' in path else '?'}{query}" if query else path
        headers = {} if self.signed else signed_headers(self.public_key, self.private_key)
        tag = self.etags.get(url)
        if tag is not None:
            headers["If-None-Match"] = tag
            name = f"{name.split()[0]} 304"
        with self.client.get(url, headers=headers, name=name, catch_response=True) as r:
            if r.status_code == 200 and "etag" in r.headers:
                self.etags[url] = r.headers["etag"]
            elif r.status_code != 304 or tag is None:
                r.failure(f"status {r.status_code}")

    def _viewport(self) -> None:
        """Every tile of the viewport around the centre at the current zoom."""
        scale = 2 ** (self.zooms - 1 - self.zoom)
        across = math.ceil(self.width / scale / TILE)
        down = math.ceil(self.height / scale / TILE)
        x0 = int(self.cx * across) - VIEWPORT[0] // 2
        y0 = int(self.cy * down) - VIEWPORT[1] // 2
        for ty in range(max(0, y0), min(down, y0 + VIEWPORT[1])):
            for tx in range(max(0, x0), min(across, x0 + VIEWPORT[0])):
                path = f"/api/sliceinstance/{self.slice_id}/normalized-tile/zoom/{self.zoom}"
                self._get(f"{path}/tx/{tx}/ty/{ty}.jpg", f"tile z{self.zoom}", self.slice_query)

    @task(10)
    def pan(self) -> None:
        """Drag the view by up to a viewport in any direction."""
        step = 1 / max(1, 2 ** (self.zoom - 1))
        self.cx = min(1.0, max(0.0, self.cx + self.rng.uniform(-step, step)))
        self.cy = min(1.0, max(0.0, self.cy + self.rng.uniform(-step, step)))
        self._viewport()

    @task(4)
    def zoom_in_or_out(self) -> None:
        """Zoom one level in or out around the centre."""
        self.zoom = min(self.zooms - 1, max(0, self.zoom + self.rng.choice((-1, 1))))
        self._viewport()

    @task(1)
    def thumb(self) -> None:
        """The overview thumbnail (the viewer's minimap)."""
        path = f"/api/imageinstance/{self.image_id}/thumb.jpg?maxSize=256"
        self._get(path, "thumb", self.image_query)

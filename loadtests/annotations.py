"""Locust profiles for annotations: viewers browsing an image, and bulk imports.

    locust -f loadtests/annotations.py --headless -u 20 -r 5 -t 2m --csv results/annotations \\
        --host http://127.0.0.1:8000 ViewerUser BulkImportUser

Configuration comes from the environment (see loadtests/README.md): ``LOADTEST_PUBLIC_KEY``
and ``LOADTEST_PRIVATE_KEY`` (API keys of an account that reads and writes the project),
``LOADTEST_IMAGE`` (an image instance id) and optionally ``LOADTEST_LAYERS`` (comma-separated
user ids whose layers a viewer shows; default: the account's own layer).

- ViewerUser: one bbox search per visible layer on every pan and zoom and every 10 s (the web
  UI's refresh), and a position update every 5 s when the server has the position route.
- BulkImportUser: array POSTs of 15 annotations (the Python client's chunk) and of 1000.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from typing import Any

from locust import HttpUser, between, task

from loadtests.cytomine_auth import keys_from_env, signed_headers

SEARCH = "/api/annotation/search.json"
VIEWER_GROUPS = {"showDefault": True, "showWKT": True, "showGIS": True, "showTerm": True}
REFRESH_SECONDS = 10
# Load shapes, not secrets: a plain generator is right here.
_RNG = random.Random()  # noqa: S311
POSITION_SECONDS = 5
VIEWPORT = (1600, 900)  # screen pixels


def _headers(method: str, content_type: str = "") -> dict[str, str]:
    """CYTOMINE API-key headers (method and date signed), plus the content type."""
    headers = signed_headers(*keys_from_env(), method)
    if content_type:
        headers["content-type"] = content_type
    return headers


def cell(x: float, y: float) -> str:
    """A star-shaped cell polygon (8-32 vertices, 10-60 px across) centred on (x, y)."""
    k = _RNG.randint(8, 32)
    radius = _RNG.uniform(5, 30)
    points = []
    for j in range(k):
        theta = 2 * math.pi * (j + _RNG.uniform(-0.35, 0.35)) / k
        r = radius * _RNG.uniform(0.75, 1.0)
        points.append(f"{x + r * math.cos(theta):.2f} {y + r * math.sin(theta):.2f}")
    return f"POLYGON (({', '.join([*points, points[0]])}))"


def detection_tile(image: int, width: int, height: int, n: int) -> list[dict[str, Any]]:
    """``n`` cells in a 2000-px square (a detection tile) somewhere inside the image."""
    side = min(2000, width - 120, height - 120)
    x0 = _RNG.uniform(60, width - side - 60)
    y0 = _RNG.uniform(60, height - side - 60)
    spots = [(x0 + _RNG.uniform(0, side), y0 + _RNG.uniform(0, side)) for _ in range(n)]
    return [{"image": image, "location": cell(x, y)} for x, y in spots]


class _Signed(HttpUser):
    """A user signing its API calls, with the image it works on."""

    abstract = True
    image: int
    width: int
    height: int
    me: int

    def _get(self, path: str, name: str | None = None) -> Any:
        with self.client.get(path, headers=_headers("GET"), name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return None
            return r.json()

    def _post(self, path: str, body: Any, name: str, *, probe: bool = False) -> int:
        """POST JSON; a probe's 404 (route absent) is not counted as a failure."""
        headers = _headers("POST", "application/json")
        with self.client.post(
            path, data=json.dumps(body), headers=headers, name=name, catch_response=True
        ) as r:
            if probe and r.status_code == 404:
                r.success()
            elif r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif isinstance(body, list) and r.json().get("status") != 200:
                r.failure(f"bulk status {r.json().get('status')}")  # all or nothing
            return int(r.status_code)

    def on_start(self) -> None:
        """Find the account and the image size."""
        self.image = int(os.environ["LOADTEST_IMAGE"])
        self.me = int(self._get("/api/user/current.json", "current user")["id"])
        image = self._get(f"/api/imageinstance/{self.image}.json", "image")
        self.width, self.height = int(image["width"]), int(image["height"])


class ViewerUser(_Signed):
    """A pathologist panning and zooming over one image, with one or more layers shown."""

    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        """Start zoomed in at a random place; probe the position route once."""
        super().on_start()
        layers = os.environ.get("LOADTEST_LAYERS", "")
        self.layers = [int(x) for x in layers.split(",") if x.strip()] or [self.me]
        self.scale = 1.0  # image pixels per screen pixel
        self.x = _RNG.uniform(0, self.width)
        self.y = _RNG.uniform(0, self.height)
        self.refreshed = 0.0
        self.positioned = 0.0
        self.has_position = self._position(probe=True) != 404

    def _bbox(self) -> str:
        half_w, half_h = VIEWPORT[0] * self.scale / 2, VIEWPORT[1] * self.scale / 2
        x0, y0, x1, y1 = self.x - half_w, self.y - half_h, self.x + half_w, self.y + half_h
        return f"{x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f}"

    def _search(self) -> None:
        """One search per visible layer, as the viewer sends them."""
        for layer in self.layers:
            body = {"image": self.image, "bbox": self._bbox(), "users": str(layer)}
            body |= {"max": 0, "offset": 0, "kmeans": True, **VIEWER_GROUPS}
            self._post(SEARCH, body, "search bbox")
        self.refreshed = time.monotonic()

    def _position(self, *, probe: bool = False) -> int:
        body: dict[str, Any] = {"image": self.image, "zoom": round(-math.log2(self.scale))}
        body["rotation"] = 0
        body |= dict(
            zip(("bottomLeftX", "bottomLeftY", "topRightX", "topRightY"), self._box(), strict=True)
        )
        self.positioned = time.monotonic()
        path = f"/api/imageinstance/{self.image}/position.json"
        return self._post(path, body, "position", probe=probe)

    def _box(self) -> list[float]:  # bottom-left x, y, top-right x, y
        return [float(v) for v in self._bbox().split(",")]

    def _timers(self) -> None:
        now = time.monotonic()
        if now - self.refreshed >= REFRESH_SECONDS:
            self._search()
        if self.has_position and now - self.positioned >= POSITION_SECONDS:
            self._position()

    @task(5)
    def pan(self) -> None:
        """Move by up to half a screen."""
        self.x += _RNG.uniform(-0.5, 0.5) * VIEWPORT[0] * self.scale
        self.y += _RNG.uniform(-0.5, 0.5) * VIEWPORT[1] * self.scale
        self.x, self.y = min(max(self.x, 0), self.width), min(max(self.y, 0), self.height)
        self._search()

    @task(2)
    def zoom(self) -> None:
        """Zoom in or out by one level (1 to 16 image pixels per screen pixel)."""
        self.scale = min(max(self.scale * _RNG.choice((0.5, 2.0)), 1.0), 16.0)
        self._search()

    @task(3)
    def look(self) -> None:
        """Stay on the same view; the timers refresh it."""
        self._timers()


class BulkImportUser(_Signed):
    """A detection pipeline posting cells in arrays of 15 (Python client) and 1000."""

    wait_time = between(0, 0.2)

    def _chunk(self, n: int) -> list[dict[str, Any]]:
        return detection_tile(self.image, self.width, self.height, n)

    @task(3)
    def chunk_of_15(self) -> None:
        """15 annotations in one array POST."""
        self._post("/api/annotation.json", self._chunk(15), "bulk 15")

    @task(1)
    def chunk_of_1000(self) -> None:
        """1000 annotations in one array POST."""
        self._post("/api/annotation.json", self._chunk(1000), "bulk 1000")

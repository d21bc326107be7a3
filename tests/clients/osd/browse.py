"""Open OpenSeadragon pages in headless Chromium and report what they loaded, as JSON.

    python browse.py CHROMIUM LAMINA_ORIGIN PAGE_URL [PAGE_URL ...]

Run from a venv holding Playwright for Python. Each page is a viewer made by
``tests/clients/test_openseadragon.py``: it sets ``window.report`` (tiles loaded and failed,
highest level loaded, ``opened``) and exposes ``window.viewer``. Once the image is open the
viewer is zoomed to its maximum, then the script waits until the tiled image reports it is
fully loaded. Printed: one object per page with those counts, the HTTP statuses of every
response from Lamina's origin, the requests to it that failed, and the console messages that
speak of CORS.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Request, Response, sync_playwright

_TIMEOUT_MS = 20_000


def visit(browser: Browser, origin: str, url: str) -> dict[str, Any]:
    """Open one viewer page, zoom to the maximum, wait until fully loaded: its report."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    statuses: Counter[int] = Counter()
    failed: list[str] = []
    cors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text.lower()
        if "cors" in text or "access-control" in text:
            cors.append(message.text)

    def on_response(response: Response) -> None:
        if response.url.startswith(origin):
            statuses[response.status] += 1

    def on_failed(request: Request) -> None:
        if request.url.startswith(origin):
            failed.append(request.url)

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.goto(url)
    page.wait_for_function("window.report && window.report.opened", timeout=_TIMEOUT_MS)
    page.evaluate("viewer.viewport.zoomTo(viewer.viewport.getMaxZoom())")
    page.wait_for_timeout(1500)  # the zoom animation
    page.wait_for_function("viewer.world.getItemAt(0).getFullyLoaded()", timeout=_TIMEOUT_MS)
    page.wait_for_timeout(300)
    report: dict[str, Any] = page.evaluate("window.report")
    page.close()
    report.update(
        url=url,
        statuses={str(k): v for k, v in sorted(statuses.items())},
        failed_requests=failed,
        cors_errors=cors,
    )
    return report


def main() -> None:
    chromium, origin, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        results = [visit(browser, origin, url) for url in pages]
        browser.close()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()

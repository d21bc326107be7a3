"""Mixed load: viewers panning and zooming over one image while bulk importers grow it.

    python -m loadtests.mixed --minutes 5 --host http://127.0.0.1:8000     # or: make loadtest-mixed

Runs locust headless for a bounded time in this process, with ``--viewers`` ViewerUser and
``--importers`` BulkImportUser of ``loadtests/annotations.py`` (each viewer sends the web
viewer's clustered bbox search on every pan, zoom and 10-s refresh; each importer posts arrays
of 15 and 1000 cells). The image is LOADTEST_IMAGE, else a synthetic slide uploaded first
(``--slide`` reuses a written one); ``--seed N`` first imports N annotations into it. Needs
LOADTEST_PUBLIC_KEY / LOADTEST_PRIVATE_KEY (an account that reads and writes the project).

Writes into ``--out`` (default ``loadtests/results``), replacing the previous run's files:
``mixed_stats.csv`` (per request kind: count, failures, throughput, p50/p95/p99/max ms),
``mixed_timeline.csv`` (per 10 s: search percentiles, throughput, rows imported, annotations
in the image), ``mixed.png`` (the timeline drawn) and ``mixed_run.txt`` (the command, the
machine's load average and the summary printed).
"""

from __future__ import annotations

# Locust patches the standard library for gevent: before requests imports ssl.
import locust  # isort: split

import argparse
import csv
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gevent
import requests
from locust.env import Environment

from loadtests import setup_viewer
from loadtests.annotations import BulkImportUser, ViewerUser, detection_tile
from loadtests.chart import draw_timeline
from loadtests.cytomine_auth import keys_from_env, signed_headers

SEARCH = "search bbox"
BUCKET = 10  # seconds per timeline row
TARGET_MS = 150
ROWS = {"bulk 15": 15, "bulk 1000": 1000}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q / 100 * len(ordered) + 0.5) - 1))]


class Recorder:
    """Every request's end time, kind, latency and outcome, from locust's request event."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: dict[str, int] = defaultdict(int)
        self.buckets: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.bucket_failures: dict[int, int] = defaultdict(int)
        self.errors: Counter[str] = Counter()

    def on_request(
        self,
        name: str,
        response_time: float,
        exception: Exception | None,
        response: Any = None,
        **_: Any,
    ) -> None:
        """Locust's ``request`` event handler; searches are also counted by answer kind."""
        bucket = int((time.monotonic() - self.start) // BUCKET)
        if exception is not None:
            self.failures[name] += 1
            self.errors[f"{name}: {str(exception)[:160]}"] += 1
            self.bucket_failures[bucket] += 1
            return
        self.times[name].append(response_time)
        self.buckets[bucket][name].append(response_time)
        if name == SEARCH and response is not None:
            # Cytomine's k-means rows carry "ratio", annotations never do.
            kind = "clusters" if b'"ratio"' in (response.content or b"")[:400] else "rows"
            self.times[f"{name} ({kind})"].append(response_time)


def _get(host: str, keys: tuple[str, str], path: str) -> Any:
    r = requests.get(f"{host}{path}", headers=signed_headers(*keys), timeout=120)
    r.raise_for_status()
    return r.json()


def annotation_count(host: str, keys: tuple[str, str], image: int) -> int:
    """User annotations in the image (the image's counter)."""
    return int(_get(host, keys, f"/api/imageinstance/{image}.json").get("numberOfAnnotations", 0))


def make_image(host: str, keys: tuple[str, str], args: argparse.Namespace) -> int:
    """Upload ``--slide`` or a new synthetic slide; the image instance id."""
    if args.slide:
        return setup_viewer.upload(host, Path(args.slide), keys)
    with tempfile.TemporaryDirectory() as tmp:
        slide = Path(tmp) / f"mixed-{args.width}x{args.height}.tiff"
        setup_viewer.write_slide(slide, args.width, args.height)
        return setup_viewer.upload(host, slide, keys)


def seed(host: str, keys: tuple[str, str], image: int, n: int) -> None:
    """Import ``n`` cells into the image in array POSTs of 1000 (before the run)."""
    info = _get(host, keys, f"/api/imageinstance/{image}.json")
    width, height = int(info["width"]), int(info["height"])
    session = requests.Session()
    for done in range(0, n, 1000):
        body = detection_tile(image, width, height, min(1000, n - done))
        headers = signed_headers(*keys, method="POST") | {"content-type": "application/json"}
        r = session.post(f"{host}/api/annotation.json", json=body, headers=headers, timeout=600)
        r.raise_for_status()


def run(host: str, args: argparse.Namespace) -> Recorder:
    """Locust in this process for ``--minutes``; every request recorded."""
    importer = type("Importer", (BulkImportUser,), {"fixed_count": args.importers})
    users = [ViewerUser, importer] if args.importers else [ViewerUser]  # fixed_count 0: a weight
    env = Environment(user_classes=users, host=host, events=locust.events)
    recorder = Recorder()
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    runner.start(args.viewers + args.importers, spawn_rate=args.spawn_rate)
    gevent.sleep(args.minutes * 60)
    runner.quit()
    return recorder


def write_stats(path: Path, recorder: Recorder, spent: float) -> list[dict[str, Any]]:
    """Per request kind over the ``spent`` seconds of the run; the rows written."""
    rows = []
    for name in sorted(set(recorder.times) | set(recorder.failures)):
        times = recorder.times[name]
        rows.append(
            {
                "name": name,
                "requests": len(times) + recorder.failures[name],
                "failures": recorder.failures[name],
                "requests_per_s": round((len(times) + recorder.failures[name]) / spent, 2),
                **{f"p{q}_ms": round(percentile(times, q), 1) for q in (50, 95, 99)},
                "max_ms": round(max(times, default=0.0), 1),
            }
        )
    _write_csv(path, rows)
    return rows


def timeline(recorder: Recorder, before: int, seconds: float) -> list[dict[str, Any]]:
    """One row per 10 s: search percentiles, throughput, rows imported so far."""
    rows, imported = [], 0
    for bucket in range(int(seconds // BUCKET)):  # whole buckets of the run only
        kinds = recorder.buckets.get(bucket, {})
        search = kinds.get(SEARCH, [])
        added = sum(ROWS.get(name, 0) * len(times) for name, times in kinds.items())
        imported += added
        rows.append(
            {
                "second": (bucket + 1) * BUCKET,
                "search_requests": len(search),
                **{f"search_p{q}_ms": round(percentile(search, q), 1) for q in (50, 95, 99)},
                "search_per_s": round(len(search) / BUCKET, 2),
                "requests_per_s": round(sum(len(t) for t in kinds.values()) / BUCKET, 2),
                "failures": recorder.bucket_failures.get(bucket, 0),
                "imported_rows": added,
                "annotations": before + imported,
            }
        )
    return rows


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["name"])
        writer.writeheader()
        writer.writerows(rows)


def chart(path: Path, rows: list[dict[str, Any]], title: str) -> None:
    """The timeline as a PNG."""
    seconds = [float(r["second"]) for r in rows]
    latency = {q: [float(r[f"search_{q}_ms"]) for r in rows] for q in ("p50", "p95", "p99")}
    speed = {
        "search/s": [float(r["search_per_s"]) for r in rows],
        "requests/s": [float(r["requests_per_s"]) for r in rows],
    }
    size = {"annotations (k)": [float(r["annotations"]) / 1000 for r in rows]}
    panels = [
        (f"{title}: search latency per 10 s, ms (target p99 <= {TARGET_MS} ms)", latency),
        ("throughput, requests/s", speed),
        ("user annotations in the image, thousands", size),
    ]
    draw_timeline(path, seconds, panels)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--viewers", type=int, default=28)
    parser.add_argument("--importers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0, help="annotations imported before the run")
    parser.add_argument("--slide", help="a slide to upload when LOADTEST_IMAGE is unset")
    parser.add_argument("--width", type=int, default=20000)
    parser.add_argument("--height", type=int, default=15000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Set up the image, run, write the results."""
    args = parse(argv)
    host, keys = args.host.rstrip("/"), keys_from_env()
    image = int(os.environ.get("LOADTEST_IMAGE") or make_image(host, keys, args))
    os.environ["LOADTEST_IMAGE"] = str(image)
    if args.seed:
        seed(host, keys, image, args.seed)
    before = annotation_count(host, keys, image)
    load = os.getloadavg()
    recorder = run(host, args)
    after = annotation_count(host, keys, image)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stats = write_stats(out / "mixed_stats.csv", recorder, args.minutes * 60)
    rows = timeline(recorder, before, args.minutes * 60)
    _write_csv(out / "mixed_timeline.csv", rows)
    title = f"{args.viewers} viewers + {args.importers} importers, {args.minutes:g} min"
    chart(out / "mixed.png", rows, title)
    lines = [
        f"python -m loadtests.mixed {' '.join(argv if argv is not None else sys.argv[1:])}",
        f"{title} on {os.cpu_count()} cores ({platform.machine()}), image {image}",
        f"load average (1 min) at start {load[0]:.1f}, at end {os.getloadavg()[0]:.1f}",
        f"annotations {before} -> {after}",
        *("  " + ", ".join(f"{k} {v}" for k, v in row.items()) for row in stats),
        *(f"  error x{n}: {error}" for error, n in recorder.errors.most_common(10)),
    ]
    (out / "mixed_run.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark the API path against its in-process floor, in one run on this machine.

    python -m tests.bench.api [--projects 50] [--requests 2000] [--seconds 10]

It starts a private PostGIS cluster in a temporary directory, seeds projects, and reports:
- the time from ``lamina serve`` to the first successful ping (fresh data directory, then
  again with the cluster initialised but stopped);
- ``GET /api/project.json`` p50 over HTTP (one keep-alive connection, API-key signed like
  the Python client) beside the same store call in-process (SQL through asyncpg, rows
  decoded into contract Structs, JSON encoded by msgspec);
- throughput and latency percentiles at 32 connections with ``wrk`` when it is installed
  (Debian package ``wrk``).
The machine is shared and noisy: compare the medians and the ratio, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import msgspec

from server.auth.apikey import sign
from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store import projects
from server.db.store.accounts import NewAccount, create_account
from server.db.store.projects import ListExtras
from server.http.list_params import parse_query
from server.principal import Principal

PATH = "/api/project.json"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _date() -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


def _headers(account: NewAccount) -> dict[str, str]:
    date = _date()
    signature = sign(account.private_key, f"GET\n\n\n{date}")
    return {"date": date, "authorization": f"CYTOMINE {account.public_key}:{signature}"}


async def _seed(url: str, n_projects: int) -> NewAccount:
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        reader = await create_account(conn, username="reader")
        other = await create_account(conn, username="other")
        for i in range(n_projects):
            # Half the projects are the reader's, half someone else's (filtered by the ACL).
            owner = reader if i % 2 == 0 else other
            pid = await conn.fetchval(
                "INSERT INTO project (name, creator_id) VALUES ($1, $2) RETURNING id",
                f"project {i:04d}",
                owner.id,
            )
            await conn.execute(
                "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1,$2,true)",
                pid,
                owner.id,
            )
    finally:
        await conn.close()
    return reader


async def _in_process(url: str, reader: NewAccount, n: int) -> list[float]:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=1)
    me = Principal(id=reader.id, username=reader.username, rank=2)
    params = parse_query("max=0&offset=0")
    extras = ListExtras(
        members_count=False, last_activity=False, description=False, current_user_roles=False
    )
    timings = []
    try:
        async with pool.acquire() as conn:
            for _ in range(n):
                start = time.perf_counter()
                page = await projects.list_page(conn, me, params, extras)
                msgspec.json.encode(page)
                timings.append(time.perf_counter() - start)
    finally:
        await pool.close()
    return timings


def _serve(url: str | None, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "server.cli", "--data-dir", str(data_dir)]
    if url:
        cmd += ["--database-url", url]
    cmd += ["serve", "--port", str(port)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_ping(port: int, timeout: float = 60) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/server/ping")
            if conn.getresponse().status == 200:
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("server did not answer the ping")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def _startup(root: Path) -> tuple[float, float]:
    data_dir = root / "startup"
    times = []
    for _ in range(2):  # fresh data directory, then initialised but stopped
        port = _free_port()
        proc = _serve(None, data_dir, port)
        try:
            times.append(_wait_for_ping(port))
        finally:
            _stop(proc)
    return times[0], times[1]


def _http(port: int, reader: NewAccount, n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    timings = []
    for _ in range(n):
        headers = _headers(reader)
        start = time.perf_counter()
        conn.request("GET", PATH, headers=headers)
        response = conn.getresponse()
        response.read()
        timings.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{PATH} answered {response.status}")
    return timings


def _wrk(port: int, reader: NewAccount, seconds: int) -> str | None:
    if shutil.which("wrk") is None:
        return None
    # One signature stays valid for the whole run: it only covers method, type and date.
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    for key, value in _headers(reader).items():
        args += ["-H", f"{key}: {value}"]
    done = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{PATH}"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _summary(wrk_out: str) -> str:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", wrk_out)
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", wrk_out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk_out)
    return (
        f"{float(rate.group(1)) if rate else 0:.0f} req/s, p50 {lat.get('50')}, "
        f"p90 {lat.get('90')}, p99 {lat.get('99')}, non-2xx {errors.group(1) if errors else 0}"
    )


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="lamina-bench-"))
    root.chmod(0o755)  # the postgres account must reach the cluster inside it
    cluster = Cluster(root / "db")
    try:
        cold, warm = _startup(root)
        print(f"lamina serve -> first ping: fresh {cold:.2f} s, initialised {warm:.2f} s")
        url = cluster.ensure()
        reader = asyncio.run(_seed(url, args.projects))
        floor = asyncio.run(_in_process(url, reader, args.requests))
        port = _free_port()
        proc = _serve(url, root / "unused", port)
        try:
            _wait_for_ping(port)
            _http(port, reader, 200)  # warm-up
            over_http = _http(port, reader, args.requests)
            wrk_out = _wrk(port, reader, args.seconds)
        finally:
            _stop(proc)
        n_visible = (args.projects + 1) // 2
        print(f"GET {PATH} ({n_visible} visible of {args.projects} projects)")
        ratio = _ms(over_http) / _ms(floor)
        print(f"  in-process floor p50 {_ms(floor):.3f} ms")
        print(f"  HTTP, 1 connection  p50 {_ms(over_http):.3f} ms  ratio {ratio:.2f}x")
        print(f"  wrk, 32 connections {_summary(wrk_out)}" if wrk_out else "  wrk not installed")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

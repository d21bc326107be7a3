"""Helpers of the HTTP benchmarks: a lamina server, wrk runs over URL lists, a static nginx.

Everything listens on 127.0.0.1 only and stops at the end of the run.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import msgspec

from server.db.cluster import Cluster

WRK_THREADS = 2
# Each wrk thread walks its own slice of the list: thread t sends entries t, t+T, t+2T...
_WRK_SCRIPT = """
local paths = {%s}
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  i = tid - %d
end
function request()
  i = i + %d
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


class WrkResult(msgspec.Struct, frozen=True, kw_only=True):
    """Throughput and latency of one wrk run."""

    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int

    def line(self) -> str:
        """A one-line summary."""
        bad = f", {self.bad} non-2xx/3xx" if self.bad else ""
        return (
            f"{self.rate:9.0f} req/s  p50 {self.p50_ms:6.2f} ms  p99 {self.p99_ms:6.2f} ms"
            f"  ({self.requests} requests{bad})"
        )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def parse_wrk(out: str) -> WrkResult:
    """The figures of wrk's ``--latency`` output."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        rate=float(rate.group(1)) if rate else 0.0,
        p50_ms=_ms(lat["50"]) if "50" in lat else 0.0,
        p99_ms=_ms(lat["99"]) if "99" in lat else 0.0,
        requests=int(total.group(1)) if total else 0,
        bad=int(bad.group(1)) if bad else 0,
    )


def wrk(
    base: str,
    paths: Sequence[str],
    *,
    seconds: int,
    connections: int = 32,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Run wrk over ``paths`` (each thread walks its own slice in order) and parse it."""
    quoted = ",".join(f'"{p}"' for p in paths)
    script = _WRK_SCRIPT % (quoted, WRK_THREADS, WRK_THREADS)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    args = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    try:
        done = subprocess.run(
            [*args, "-s", handle.name, base], capture_output=True, text=True, check=True
        )
    finally:
        Path(handle.name).unlink()
    return parse_wrk(done.stdout)


def cpu_seconds(roots: Sequence[int]) -> list[float]:
    """CPU seconds used so far by each process tree (a root and its live descendants)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            fields = stat[stat.rindex(")") + 2 :].split()
            parent[int(entry.name)] = int(fields[1])
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick

    def root_of(pid: int) -> int | None:
        while pid > 1 and pid not in roots:
            pid = parent.get(pid, 0)
        return pid if pid in roots else None

    totals = dict.fromkeys(roots, 0.0)
    for pid, seconds in used.items():
        root = root_of(pid)
        if root is not None:
            totals[root] += seconds
    return [totals[r] for r in roots]


def wait_for_ping(
    port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 120
) -> float:
    """Seconds until ``GET /server/ping`` answers 200 (fails early if ``proc`` exits)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/server/ping")
            if conn.getresponse().status == 200:
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("server did not answer the ping")


@contextmanager
def lamina(
    url: str, storage: Path, port: int, *, workers: int = 1, log: Path | None = None, **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``lamina serve`` on a database, without the demo data or access log; its output goes
    to ``log`` when given (``LAMINA_LOG_LEVEL=info`` adds the access log)."""
    cmd = [sys.executable, "-m", "server.cli", "--database-url", url, "serve", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    environ = {
        **os.environ,
        "LAMINA_STORAGE_DIR": str(storage),
        "LAMINA_LOG_LEVEL": "warning",
        "LAMINA_DEMO": "0",
        **env,
    }
    with Path(log or os.devnull).open("wb") as out:
        proc = subprocess.Popen(cmd, env=environ, stdout=out)
        try:
            wait_for_ping(port, proc)
            yield proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@contextmanager
def bench_root() -> Iterator[Path]:
    """A private directory for a run; the cluster under ``db/`` is stopped at the end."""
    root = Path(tempfile.mkdtemp(prefix="lamina-bench-"))
    root.chmod(0o755)  # the postgres account must reach the cluster inside it
    try:
        yield root
    finally:
        Cluster(root / "db").stop()
        shutil.rmtree(root, ignore_errors=True)


# Runs as the current user; ``{user}`` keeps root's workers root (they read test files).
_NGINX_MAIN = """
{user}
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
{http}
}}
"""
_NGINX_STATIC = """
  sendfile on;
  tcp_nopush on;
  open_file_cache max=10000;
  types {{ image/jpeg jpg; }}
  server {{
    listen 127.0.0.1:{port};
    root {files};
    etag on;
  }}
"""


def nginx_binary() -> str | None:
    """The nginx executable, if installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


@contextmanager
def nginx_with(http: str, port: int) -> Iterator[None]:
    """A private nginx (one worker, no access log) with ``http`` as its ``http { }`` body,
    which listens on 127.0.0.1:``port``."""
    binary = nginx_binary()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="lamina-nginx-") as tmp:
        root = Path(tmp)
        (root / "tmp").mkdir()
        conf = root / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(_NGINX_MAIN.format(user=user, root=root, http=http))
        proc = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(root)], stderr=subprocess.DEVNULL
        )
        try:
            _wait_port(port)
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def nginx(files: Path, port: int) -> AbstractContextManager[None]:
    """A private nginx serving ``files`` as static files."""
    return nginx_with(_NGINX_STATIC.format(port=port, files=files), port)


def _wait_port(port: int, timeout: float = 10) -> None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port}")


__all__ = [
    "WrkResult",
    "bench_root",
    "cpu_seconds",
    "free_port",
    "lamina",
    "nginx",
    "nginx_binary",
    "nginx_with",
    "parse_wrk",
    "wrk",
]

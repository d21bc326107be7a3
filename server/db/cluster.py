"""A private PostgreSQL + PostGIS cluster on a unix socket, for ``lamina serve`` and the tests.

PostgreSQL refuses to run as root, so when we are root the server binaries run as the
``postgres`` system user (created by the Debian packages) and the data directory is
handed to it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_PACKAGES = "postgresql-15 postgresql-15-postgis-3"
DB_USER = "lamina"
DB_NAME = "lamina"
PORT = 5432

# Durability is traded for speed only where data is disposable (tests).
FAST_UNSAFE = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


class ClusterError(RuntimeError):
    """The cluster could not be created or started."""


def bindir() -> Path:
    """Directory of the newest installed PostgreSQL server binaries that has PostGIS."""
    roots = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    for initdb in roots:
        version = initdb.parent.parent.name
        if list(Path(f"/usr/share/postgresql/{version}/extension").glob("postgis.control")):
            return initdb.parent
    raise ClusterError(
        "PostgreSQL with PostGIS is not installed. Install the Debian packages "
        f"{PG_PACKAGES} (as root: apt-get install -y {PG_PACKAGES})."
    )


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str]) -> None:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ClusterError(f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout.strip()}")


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


# Unix socket paths are limited to 107 bytes; keep room for "/.s.PGSQL.5432".
_MAX_SOCKET_DIR = 90
# Where clusters go when the postgres account cannot reach the requested directory.
FALLBACK_ROOT = Path("/var/lib/lamina")


def _reachable_by_others(path: Path) -> bool:
    """True when every existing ancestor of ``path`` lets other accounts traverse it."""
    for parent in path.parents:
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def _storage_root(root: Path) -> Path:
    """Where the files of ``root`` really live.

    As root, the server runs as ``postgres``, which cannot enter a directory such as
    ``/root/...``; the cluster then lives under ``/var/lib/lamina`` instead, keyed by the
    requested path, so the same checkout finds the same data again.
    """
    if os.geteuid() != 0 or _reachable_by_others(root):
        return root
    return FALLBACK_ROOT / hashlib.sha256(str(root).encode()).hexdigest()[:16]


class Cluster:
    """One data directory: ``pgdata`` for the server, ``run`` for its socket."""

    def __init__(self, root: Path, *, fast_unsafe: bool = False) -> None:
        self.requested = root.resolve()
        self.root = _storage_root(self.requested)
        self.pgdata = self.root / "pgdata"
        self.socket_dir = self.root / "run"
        if len(str(self.socket_dir)) > _MAX_SOCKET_DIR:
            digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
            self.socket_dir = Path(tempfile.gettempdir()) / f"lamina-{digest}"
        self.log = self.root / "postgres.log"
        self.fast_unsafe = fast_unsafe
        self.bin = bindir()

    def url(self, dbname: str = DB_NAME) -> str:
        """asyncpg/libpq URL of a database on this cluster."""
        return f"postgresql://{DB_USER}@/{dbname}?host={self.socket_dir}&port={PORT}"

    @property
    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    @property
    def running(self) -> bool:
        return (self.socket_dir / f".s.PGSQL.{PORT}").exists() and (
            self.pgdata / "postmaster.pid"
        ).exists()

    def init(self) -> None:
        """Create the data directory (trust auth on the private socket only)."""
        for d in (self.root, self.socket_dir):
            d.mkdir(parents=True, exist_ok=True)
            _chown(d)
        if self.root != self.requested:
            print(
                f"The postgres account cannot reach {self.requested}: the cluster lives in "
                f"{self.root}",
                file=sys.stderr,
            )
        self.log.touch()
        _chown(self.log)
        _run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                DB_USER,
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--auth=trust",
            ]
        )

    def start(self) -> None:
        """Start the server (no TCP listener) and wait until it accepts connections."""
        if self.running:
            return
        # The socket directory may sit in a temporary folder that was cleaned since.
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        _chown(self.socket_dir)
        opts = ["-c", "listen_addresses=", "-k", str(self.socket_dir), "-p", str(PORT)]
        if self.fast_unsafe:
            opts += FAST_UNSAFE
        _run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "-o",
                " ".join(opts),
                "start",
            ]
        )

    def ensure_database(self, dbname: str = DB_NAME) -> None:
        """Create ``dbname`` if it does not exist."""
        psql = [str(self.bin / "psql"), "-h", str(self.socket_dir), "-p", str(PORT), "-U", DB_USER]
        deadline = time.monotonic() + 30
        while True:
            probe = subprocess.run(
                [*psql, "-d", "postgres", "-tAc", "SELECT datname FROM pg_database"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise ClusterError(f"cluster does not answer: {probe.stderr.strip()}")
            time.sleep(0.2)
        if dbname not in probe.stdout.split():
            _run(
                [
                    str(self.bin / "createdb"),
                    "-h",
                    str(self.socket_dir),
                    "-p",
                    str(PORT),
                    "-U",
                    DB_USER,
                    dbname,
                ]
            )

    def stop(self) -> None:
        """Stop the server quickly (in-flight transactions are rolled back)."""
        if self.initialised:
            _run([str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])

    def ensure(self) -> str:
        """Initialise if needed, start, create the database; return its URL."""
        if not self.initialised:
            self.init()
        self.start()
        self.ensure_database()
        return self.url()


__all__ = ["Cluster", "ClusterError", "PG_PACKAGES", "bindir"]

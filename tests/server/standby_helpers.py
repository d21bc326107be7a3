"""A hot standby of a local cluster, made by ``pg_basebackup -R``, for tests and benches."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from server.db.cluster import Cluster, _as_owner, _chown


def standby_of(primary_url: str, root: Path, *, fast_unsafe: bool = False) -> Cluster:
    """Copy the cluster behind ``primary_url`` (a unix socket URL) into ``root`` and start it.

    The primary's PostgreSQL 15 defaults allow it (``wal_level=replica``, ``max_wal_senders``,
    the ``local replication`` line initdb writes); ``-R`` writes ``primary_conninfo`` and
    ``standby.signal``, and ``hot_standby`` is on by default, so it answers reads at once.
    """
    query = parse_qs(urlsplit(primary_url).query)
    user = urlsplit(primary_url).username or "lamina"
    cluster = Cluster(root, fast_unsafe=fast_unsafe)
    for d in (cluster.root, cluster.socket_dir):
        d.mkdir(parents=True, exist_ok=True)
        _chown(d)
    cluster.log.touch()
    _chown(cluster.log)
    cmd = [str(cluster.bin / "pg_basebackup"), "-D", str(cluster.pgdata), "-R", "-X", "stream"]
    cmd += ["-c", "fast", "-h", query["host"][0], "-p", query.get("port", ["5432"])[0], "-U", user]
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pg_basebackup failed: {done.stderr.strip()}")
    cluster.start()
    return cluster


__all__ = ["standby_of"]

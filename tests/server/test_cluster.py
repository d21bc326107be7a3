"""Where the embedded cluster keeps its files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from server.db.cluster import FALLBACK_ROOT, Cluster

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the cluster to postgres")


@as_root
def test_cluster_moves_out_of_a_directory_postgres_cannot_enter(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    cluster = Cluster(private / "checkout" / ".lamina")
    assert cluster.root.parent == FALLBACK_ROOT
    assert Cluster(private / "checkout" / ".lamina").root == cluster.root


@as_root
def test_cluster_stays_where_postgres_can_enter() -> None:
    open_dir = Path(tempfile.mkdtemp(prefix="lamina-open-"))
    try:
        open_dir.chmod(0o755)
        assert Cluster(open_dir / ".lamina").root == (open_dir / ".lamina").resolve()
    finally:
        open_dir.rmdir()


def test_long_paths_get_a_short_socket_directory(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 5)
    cluster = Cluster(deep)
    assert len(str(cluster.socket_dir / ".s.PGSQL.5432")) < 107

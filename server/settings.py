"""Server settings: one frozen Struct, read from ``LAMINA_*`` variables or built directly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

import msgspec

PREFIX = "LAMINA_"


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Everything the server needs; ``create_app(settings)`` receives it whole."""

    database_url: str | None = None
    """PostgreSQL URL; when unset the embedded cluster in ``data_dir`` is used."""
    data_dir: str = ".lamina"
    storage_dir: str = ".lamina/files"
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    """Base URL clients reach the server at (absolute URLs, token issuer); when unset, each
    answer uses the origin of its request (``Forwarded``, ``X-Forwarded-Host``/``-Proto``,
    ``Host``)."""
    web_ui: str | None = None
    """Directory of a built Cytomine Web UI to serve from the same origin (``index.html``)."""
    pool_min: int = 1
    pool_max: int = 10
    statement_timeout_ms: int = 30_000
    database_wait_seconds: float = 2.0
    """How long a request waits to connect to the database or for a pooled connection before
    it is answered 503 (the database is down, unreachable or saturated)."""
    database_replica_urls: str | None = None
    """Comma separated PostgreSQL URLs of streaming (hot standby) replicas of the database; the
    read routes that may lag are served from them (see docs/read-replicas.md)."""
    replica_max_lag_seconds: Annotated[float, msgspec.Meta(gt=0)] = 5.0
    """A replica further behind the primary than this is not read from until it catches up."""
    date_skew_seconds: int = 300
    """API-key signatures whose Date is further from the server clock are refused."""
    pathless_signatures: bool = True
    """Accept API-key signatures that cover no path (what cytomine-python-client 4.x sends):
    such a header is valid on every path of its method while its Date is recent."""
    access_token_seconds: int = 300
    refresh_token_seconds: int = 1800
    sso_session_seconds: int = 36_000
    auth_cache_seconds: float = 5.0
    workers: int = 1
    log_level: str = "info"
    demo: bool = True
    """Create the demo project with a synthetic slide on the first start (``LAMINA_DEMO=0``: no)."""
    tile_cache_bytes: int = 64 * 1024 * 1024
    """Bound of the in-process cache of encoded tiles and pictures."""
    max_output_pixels: int = 4096 * 4096
    """Largest area (width x height) of one produced picture (IIIF ``maxArea``)."""
    max_decode_pixels: int = 8192 * 8192
    """Most source pixels one picture request may decode (at the pyramid level it reads); keep
    it at least 4x ``max_output_pixels`` so every size of a pyramidal image stays servable."""
    overview_refresh_seconds: Annotated[float, msgspec.Meta(gt=0)] = 2.0
    """Most seconds the stored overview aggregates lag the annotations (plus one pass): each
    worker folds the logged changes in at this interval. Reads of an image's overview, vector
    tiles and clustered listing flush that image first, so they are always exact (on a read
    replica they cannot: there they lag by this bound plus the replica's)."""
    window_row_budget: Annotated[int, msgspec.Meta(ge=0)] = 1000
    """Most annotations a clustered listing window (``kmeans=true`` with an image and a bbox, what
    the web viewer sends) is answered with row by row: a window the overview cells say holds
    more is answered with Cytomine's k-means clusters, read from the aggregates, whatever its
    width. 0: no budget (only Cytomine's own clustering rules)."""
    check_processes: Annotated[int, msgspec.Meta(ge=0)] = 1
    """Processes (per server worker) that parse and check the geometry of bulk writes (array
    POSTs, streaming imports) while the event loop feeds their COPY; 0: a worker thread checks,
    holding the event loop's GIL for most of each batch."""
    cors_origins: str = "*"
    """Origins whose pages may read answers: ``*`` or a comma separated list (no credentials)."""
    sql_overrides: str | None = None
    """Folder of ``<name>.sql`` files replacing the shipped statements of the same name, for a
    backend that needs its own text of a few (``LAMINA_SQL_OVERRIDES``)."""
    job_data_max_bytes: int = 512 * 1024 * 1024
    """Largest job data file (an upload or a job's kept stdout/stderr); larger uploads get 413."""
    runner: bool = True
    """Run queued jobs in this server process (``LAMINA_RUNNER=0`` when ``lamina worker`` runs)."""
    runner_concurrency: int = 2
    """Jobs one runner (a server process or a ``lamina worker``) runs at the same time."""
    runner_timeout_seconds: float = 3600.0
    """A job running longer is killed and ends FAILED."""
    runner_poll_seconds: float = 1.0
    """How often a runner checks kill requests, time limits and runners that died, and looks
    for queued jobs (a queued job also wakes runners at once)."""
    runner_dir: str = ".lamina/jobs"
    """Where each running job gets its own working directory (removed when it ends)."""
    runner_host: str | None = None
    """URL the algorithms reach the server at; unset, the public URL or ``http://host:port``."""

    def __post_init__(self) -> None:
        """Refuse replica URLs that are not PostgreSQL URLs (msgspec reports the ValueError)."""
        for url in self.replica_urls:
            if urlsplit(url).scheme not in ("postgres", "postgresql"):
                raise ValueError(
                    f"LAMINA_DATABASE_REPLICA_URLS: {url!r} is not a postgresql:// URL "
                    "(expected comma separated postgresql://... URLs)"
                )

    @property
    def replica_urls(self) -> tuple[str, ...]:
        """The replica URLs, in the order given (none when unset or blank)."""
        raw = self.database_replica_urls or ""
        return tuple(url.strip() for url in raw.split(",") if url.strip())

    @property
    def base_url(self) -> str:
        """Base URL stored for SQL-built URLs: the public one, else ``http://host:port``."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build settings from ``LAMINA_*`` variables; an unknown variable fails at start-up."""
    raw = {k[len(PREFIX) :].lower(): v for k, v in environ.items() if k.startswith(PREFIX)}
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SystemExit(f"invalid {PREFIX}* setting: {exc}") from exc


__all__ = ["PREFIX", "Settings", "load_settings"]

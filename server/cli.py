"""``lamina``: serve, run jobs, migrate, manage accounts and register software.

With no database URL configured, every command uses the embedded PostGIS cluster in the
data directory, creating and starting it as needed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import msgspec

from server import demo, web_ui
from server.db.cluster import Cluster, ClusterError
from server.db.migrate import migrate_url
from server.db.store import image_servers
from server.db.store.accounts import count_accounts, create_account
from server.gc_tuning import calm_gc
from server.malloc_tuning import keep_freed_memory
from server.principal import ADMIN, GUEST, SUPER_ADMIN, USER
from server.settings import Settings, load_settings

RANKS = {"guest": GUEST, "user": USER, "admin": ADMIN, "superadmin": SUPER_ADMIN}


def _settings(args: argparse.Namespace) -> Settings:
    base = load_settings(os.environ)
    overrides = {
        k: v
        for k, v in {
            "database_url": args.database_url,
            "data_dir": args.data_dir,
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
            "workers": getattr(args, "workers", None),
            "web_ui": getattr(args, "web_ui", None),
        }.items()
        if v is not None
    }
    return msgspec.structs.replace(base, **overrides)


def _database(settings: Settings) -> tuple[str, Cluster | None]:
    """URL of the configured database, or of the embedded cluster (started if needed)."""
    if settings.database_url:
        return settings.database_url, None
    cluster = Cluster(Path(settings.data_dir))
    was_running = cluster.running
    url = cluster.ensure()
    return url, (None if was_running else cluster)


async def _bootstrap(url: str, settings: Settings) -> None:
    """Migrate; on an empty database create the first admin (keys shown once) and the demo."""
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        # Before the demo: the commands recording its image keep the URLs built from this.
        await image_servers.set_public_url(conn, settings.base_url)
        if await count_accounts(conn):
            return
        from server.passwords import new_password

        password = new_password()
        admin = await create_account(
            conn, username="admin", password=password, rank=SUPER_ADMIN, origin="BOOTSTRAP"
        )
        print("First start: created the super admin account (shown once, keep it safe)")
        print(f"  username:   {admin.username}\n  password:   {password}")
        print(f"  publicKey:  {admin.public_key}\n  privateKey: {admin.private_key}", flush=True)
        if settings.demo:
            await _demo(conn, admin.id, settings)
    finally:
        await conn.close()


async def _demo(conn: asyncpg.Connection, admin_id: int, settings: Settings) -> None:
    """Create the demo project; a failure is reported but does not stop the server."""
    start = time.perf_counter()
    try:
        made = await demo.create(conn, admin_id, Path(settings.storage_dir).resolve())
    except Exception as exc:  # noqa: BLE001 - the server is still useful without the demo
        print(f"lamina: the demo project could not be created: {exc}", file=sys.stderr)
        return
    print(
        f"Demo: project {made.project_id} ({demo.PROJECT_NAME!r}) with a "
        f"{made.width}x{made.height} synthetic slide, image instance {made.image_instance_id}"
        f" ({time.perf_counter() - start:.1f} s; LAMINA_DEMO=0 skips it)",
        flush=True,
    )


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the embedded cluster is stopped on the way out.

    uvicorn re-raises the signal it caught once it has shut down; with the default
    handler that would kill the process before our ``finally`` runs.
    """
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def cmd_serve(args: argparse.Namespace) -> int:
    _exit_on_sigterm()
    settings = _settings(args)
    if settings.web_ui:
        web_ui.check_directory(settings.web_ui)
    url, started = _database(settings)
    try:
        asyncio.run(_bootstrap(url, settings))
        settings = msgspec.structs.replace(settings, database_url=url)
        _run_server(settings)
    finally:
        if started is not None:
            started.stop()
    return 0


def _run_server(settings: Settings) -> None:
    import uvicorn

    common = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        # Above info the access log writes nothing, but uvicorn would still format each
        # request's client and quoted path for it.
        "access_log": settings.log_level.lower() in ("trace", "debug", "info"),
        "http": "httptools",
        # The viewer's Follow panel socket (/ws/user-position/...); websockets is a dependency.
        "ws": "websockets-sansio",
        "loop": "uvloop",
        "proxy_headers": True,
    }
    print(f"Lamina listening on http://{settings.host}:{settings.port}", flush=True)
    if settings.web_ui:
        print(f"Cytomine Web UI from {settings.web_ui} at the same address", flush=True)
    if settings.workers > 1:
        os.environ["LAMINA_DATABASE_URL"] = settings.database_url or ""
        if settings.web_ui:
            os.environ["LAMINA_WEB_UI"] = settings.web_ui
        uvicorn.run("server.asgi:app", workers=settings.workers, **common)  # type: ignore[arg-type]
    else:
        from server.app import create_app
        from server.fast_tiles import wrap

        app = wrap(create_app(settings))
        calm_gc()
        keep_freed_memory()
        uvicorn.run(app, **common)  # type: ignore[arg-type]


def cmd_migrate(args: argparse.Namespace) -> int:
    url, started = _database(_settings(args))
    try:
        applied = asyncio.run(migrate_url(url))
    finally:
        if started is not None:
            started.stop()
    print(msgspec.json.encode({"applied": applied}).decode())
    return 0


def _print_from_database(
    args: argparse.Namespace, work: Callable[[asyncpg.Connection], Awaitable[bytes]]
) -> int:
    """Migrate, run ``work`` on one connection and print its JSON answer."""
    url, started = _database(_settings(args))

    async def run() -> bytes:
        await migrate_url(url)
        conn = await asyncpg.connect(url)
        try:
            return await work(conn)
        finally:
            await conn.close()

    try:
        print(asyncio.run(run()).decode())
    finally:
        if started is not None:
            started.stop()
    return 0


async def _create_user(conn: asyncpg.Connection, args: argparse.Namespace) -> bytes:
    rank = SUPER_ADMIN if args.admin else RANKS[args.role]
    account = await create_account(
        conn,
        username=args.username,
        password=args.password,
        rank=rank,
        firstname=args.firstname,
        lastname=args.lastname,
        email=args.email,
    )
    return msgspec.json.encode(account)


def cmd_user_create(args: argparse.Namespace) -> int:
    return _print_from_database(args, lambda conn: _create_user(conn, args))


async def _register_software(conn: asyncpg.Connection, args: argparse.Namespace) -> bytes:
    """Register a descriptor's software on behalf of ``--owner``."""
    from contracts.errors import Invalid
    from server import descriptors, software_registry
    from server.db import queries as q
    from server.principal import Principal

    owner = await conn.fetchrow(q.ACCOUNT_BY_USERNAME, args.owner)
    if owner is None:
        raise Invalid(f"No account named {args.owner!r}: pass --owner USERNAME")
    loaded = descriptors.load(Path(args.descriptor))
    if args.software_version:
        loaded = descriptors.parse(loaded.raw, version=args.software_version)
    # Whoever runs this command holds the database: it acts with admin rights (it may set
    # the command that runs), and the software belongs to the owner account.
    me = Principal(id=owner["id"], username=owner["username"], rank=SUPER_ADMIN)
    done = await software_registry.register(conn, me, loaded, delete_missing=args.delete_missing)
    return msgspec.json.encode(done)


def cmd_software_add(args: argparse.Namespace) -> int:
    return _print_from_database(args, lambda conn: _register_software(conn, args))


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued jobs (no HTTP); stops on SIGTERM or Ctrl-C."""
    from server.runner.service import run_worker

    _exit_on_sigterm()
    settings = _settings(args)
    url, started = _database(settings)
    settings = msgspec.structs.replace(settings, database_url=url)
    print(f"Lamina worker running up to {settings.runner_concurrency} jobs", flush=True)
    try:
        asyncio.run(migrate_url(url))
        asyncio.run(run_worker(settings))
    except KeyboardInterrupt:
        pass
    finally:
        if started is not None:
            started.stop()
    return 0


def cmd_db_url(args: argparse.Namespace) -> int:
    url, _ = _database(_settings(args))
    print(url)
    return 0


def cmd_db_stop(args: argparse.Namespace) -> int:
    Cluster(Path(_settings(args).data_dir)).stop()
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="lamina", description=__doc__)
    p.add_argument("--database-url", help="PostgreSQL URL (default: embedded cluster)")
    p.add_argument("--data-dir", help="embedded cluster directory (default: .lamina)")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument(
        "--web-ui",
        metavar="DIR",
        help="serve a built Cytomine Web UI (its dist directory) from the same origin",
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker", help="run queued jobs in this process (beside servers with LAMINA_RUNNER=0)"
    )
    worker.set_defaults(func=cmd_worker)

    db = sub.add_parser("db", help="database commands").add_subparsers(dest="db", required=True)
    db.add_parser(
        "migrate", help="apply pending migrations, then the views and functions"
    ).set_defaults(func=cmd_migrate)
    db.add_parser("url", help="start the embedded cluster, print its URL").set_defaults(
        func=cmd_db_url
    )
    db.add_parser("stop", help="stop the embedded cluster").set_defaults(func=cmd_db_stop)

    user = sub.add_parser("user", help="accounts").add_subparsers(dest="user", required=True)
    create = user.add_parser("create", help="create an account and print its API keys as JSON")
    create.add_argument("--username", required=True)
    create.add_argument("--password")
    create.add_argument("--admin", action="store_true", help="super admin (all roles)")
    create.add_argument("--role", choices=sorted(RANKS), default="user")
    create.add_argument("--firstname")
    create.add_argument("--lastname")
    create.add_argument("--email")
    create.set_defaults(func=cmd_user_create)

    soft = sub.add_parser("software", help="analysis software")
    soft_sub = soft.add_subparsers(dest="software", required=True)
    add = soft_sub.add_parser(
        "add", help="register a software and its parameters from a descriptor.json"
    )
    add.add_argument("descriptor", help="path of the descriptor (Cytomine/BIAFLOWS format)")
    add.add_argument("--owner", default="admin", help="account owning the software")
    add.add_argument("--software-version", help="version (default: the descriptor's)")
    add.add_argument(
        "--delete-missing", action="store_true", help="delete parameters not in the descriptor"
    )
    add.set_defaults(func=cmd_software_add)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lamina`` console script."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ClusterError as exc:
        print(f"lamina: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - domain errors print their message
        from contracts.errors import DomainError

        if isinstance(exc, DomainError):
            print(f"lamina: {exc.message}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    raise SystemExit(main())

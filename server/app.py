"""``create_app(settings)``: the only place where the pieces are wired together."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from server.auth.credentials import AccountCache
from server.auth.provider import provide_principal
from server.auth.tokens import load_signing_key
from server.cors import CorsPolicy, cors
from server.db.credentials_channel import credentials_channel
from server.db.listing import provide_list_params
from server.db.overview_refresh import overview_refresh
from server.db.pool import db_pool, provide_anonymous_conn, provide_conn
from server.db.position_channel import position_channel
from server.db.replicas import read_replicas
from server.errors import EXCEPTION_HANDLERS
from server.http import ROUTES
from server.http.catalog import operation_id_creator
from server.imaging import imaging_state
from server.ingest import ingest_state
from server.openapi import COMPONENTS, OpenApiJson, document_errors
from server.paths import strip_json_suffix
from server.public_url import follow_origin
from server.runner.service import job_runner
from server.settings import Settings
from server.version import VERSION
from server.web_ui import WebUi, check_directory


@asynccontextmanager
async def auth_state(app: Litestar) -> AsyncIterator[None]:
    """Signing key and account cache, shared by every request of this worker."""
    async with app.state.pool.acquire() as conn:
        app.state.signing_key = await load_signing_key(conn)
    app.state.accounts = AccountCache(app.state.settings.auth_cache_seconds)
    yield


def create_app(settings: Settings) -> Litestar:
    """Build the ASGI application for ``settings`` (which must name a database)."""
    if not settings.database_url:
        raise ValueError("settings.database_url is required (the CLI resolves the embedded one)")
    policy = CorsPolicy.parse(settings.cors_origins)
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[
            db_pool,
            read_replicas,
            auth_state,
            ingest_state,
            imaging_state,
            credentials_channel,
            position_channel,
            overview_refresh,
            job_runner,
        ],
        dependencies={
            "conn": Provide(provide_conn),
            "anonymous_conn": Provide(provide_anonymous_conn),
            "me": Provide(provide_principal),
            "list_params": Provide(provide_list_params, sync_to_thread=False),
        },
        state=State(
            {"settings": settings, "server_id": secrets.token_hex(8), "cors_policy": policy}
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Lamina",
            version=VERSION,
            description="Cytomine-compatible annotation and imaging server",
            path="/schema",
            operation_id_creator=operation_id_creator,
            render_plugins=[ScalarRenderPlugin(), OpenApiJson()],
            components=COMPONENTS,
        ),
        debug=False,
    )
    document_errors(app)
    handler = follow_origin(strip_json_suffix(app.asgi_handler), settings)
    if settings.web_ui:
        prefixes = {route.path.split("/")[1] for route in app.routes}
        handler = WebUi(handler, check_directory(settings.web_ui), prefixes)
    # Outermost, so that every answer (errors and 304s included) carries the CORS headers.
    app.asgi_handler = cors(handler, policy)
    return app


__all__ = ["create_app"]

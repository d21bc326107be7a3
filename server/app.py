"""``create_app(settings)``: the only place where the pieces are wired together."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from server.auth.provider import provide_principal
from server.cors import CorsPolicy, cors
from server.errors import EXCEPTION_HANDLERS
from server.http import ROUTES
from server.http.catalog import operation_id_creator
from server.http.list_params import provide_list_params
from server.openapi import COMPONENTS, OpenApiJson, document_errors
from server.paths import strip_json_suffix
from server.public_url import follow_origin
from server.runtime import lifespan, provide_anonymous_conn, provide_conn, provide_runtime
from server.settings import Settings
from server.version import VERSION
from server.web_ui import WebUi, check_directory


def create_app(settings: Settings) -> Litestar:
    """Build the ASGI application for ``settings`` (which must name a database)."""
    if not settings.database_url:
        raise ValueError("settings.database_url is required (the CLI resolves the embedded one)")
    policy = CorsPolicy.parse(settings.cors_origins)
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan(policy)],
        dependencies={
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            "conn": Provide(provide_conn),
            "anonymous_conn": Provide(provide_anonymous_conn),
            "me": Provide(provide_principal),
            "list_params": Provide(provide_list_params, sync_to_thread=False),
        },
        # The settings the lifespan builds the runtime from (``server.runtime``).
        state=State({"settings": settings}),
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

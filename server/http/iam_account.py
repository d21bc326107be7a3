"""Keycloak Account REST subset (``{IAM}/account``) and the Web UI's ``/configuration.json``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from contracts.errors import NotFound
from server.auth import oidc
from server.db.store import iam
from server.http.deps import Conn, Me
from server.http.iam import base_url

# Keys of the Web UI's configuration template, with the values a Lamina origin needs.
_UI_DEFAULTS: dict[str, Any] = {
    "DIGITAL_ZOOM_INCREMENT": 4,
    "VIEWER_ANNOTATIONS_REFRESH_INTERVAL": 10000,
    "MEMBERS_ACTIVITY_REFRESH_INTERVAL": 30000,
    "STORAGE_REFRESH_INTERVAL": 10000,
    "ONGOING_UPLOAD_REFRESH_INTERVAL": 500,
    "WS_POSITION_KEEP_ALIVE_INTERVAL": 10000,
    "CYTOMINE_COMMERCIAL_VERSION": "2025.1",
    "APPENGINE_ENABLED": False,
}


def _representation(account: oidc.Account) -> dict[str, Any]:
    return {
        "id": str(account.id),
        "username": account.username,
        "firstName": account.firstname or "",
        "lastName": account.lastname or "",
        "email": account.email or "",
        "emailVerified": True,
        "attributes": {
            "locale": [oidc.locale(account.language)],
            "isDeveloper": ["1" if account.is_developer else "0"],
        },
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _account_update(body: dict[str, Any]) -> iam.AccountUpdate:
    """The fields of a Keycloak account representation Lamina keeps (others are ignored)."""
    attributes = body.get("attributes") or {}
    developer = attributes.get("isDeveloper") if isinstance(attributes, dict) else None
    if isinstance(developer, list):
        developer = developer[0] if developer else None
    return iam.AccountUpdate(
        first_name=_text(body.get("firstName")),
        last_name=_text(body.get("lastName")),
        email=_text(body.get("email")),
        is_developer=None if developer is None else str(developer).lower() in ("1", "true"),
    )


class AccountController(Controller):
    """The caller's own account, authenticated by the Bearer token."""

    path = f"{oidc.REALM_PATH}/account"
    tags = ["Authentication & session"]
    include_in_schema = False

    @get("/")
    async def show(self, conn: Conn, me: Me) -> dict[str, Any]:
        """Keycloak's account representation."""
        account = await iam.profile(conn, me.id)
        if account is None:
            raise NotFound("User", me.id)
        return _representation(account)

    @post("/", status_code=204)
    async def update(self, conn: Conn, me: Me, data: JSONBody[dict[str, Any]]) -> None:
        """Update first/last name, email and the ``isDeveloper`` attribute."""
        await iam.update_account(conn, me.id, _account_update(data))

    @get("/credentials")
    async def credentials(self, conn: Conn, me: Me) -> list[dict[str, Any]]:
        """Credential types of the account (a password when it has one)."""
        row = await iam.credentials(conn, me.id)
        stored = []
        if row is not None and row["has_password"]:
            stored = [
                {
                    "credential": {
                        "id": f"password-{me.id}",
                        "type": "password",
                        "createdDate": row["created"],
                        "credentialData": "{}",
                    }
                }
            ]
        return [
            {
                "type": "password",
                "category": "basic-authentication",
                "displayName": "password-display-name",
                "helptext": "password-help-text",
                "iconCssClass": "kcAuthenticatorDefaultClass",
                "updateAction": "UPDATE_PASSWORD",
                "removeable": False,
                "userCredentialMetadatas": stored,
            }
        ]


class UiConfigurationController(Controller):
    """``/configuration.json``, read by the Web UI at start-up."""

    path = "/configuration"
    tags = ["Configuration"]
    include_in_schema = False

    @get("/", sync_to_thread=False)
    def configuration(self, request: Request[Any, Any, State]) -> Response[dict[str, Any]]:
        """Where the UI finds the core, the IdP and the image server (all this origin).

        The shape of the Web UI's own template: the API base, the realm URL and the origin
        that answers ``/upload``.
        """
        base = base_url(request)
        body = {
            **_UI_DEFAULTS,
            "CORE_URL": f"{base}/api",
            "IAM_URL": f"{base}{oidc.REALM_PATH}",
            "PIMS_URL": base,
            "APPENGINE_URL": f"{base}/app-engine",
            "CBIR_URL": f"{base}/cbir",
            "SAM_URL": f"{base}/sam",
        }
        return Response(body, headers={"cache-control": "no-cache"})


ROUTES = [AccountController, UiConfigurationController]

__all__ = ["ROUTES"]

"""Rich-text descriptions: ``/api/description`` and ``/api/domain/{class}/{id}/description``."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import descriptions, domains
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me

_DOMAIN = "/domain/{domain_class_name:str}/{ident:int}/description"


def _envelope(obj: c.Description, action: Action, command: int) -> c.DescriptionEnvelope:
    return envelope(
        c.DescriptionEnvelope,
        obj,
        action=action,
        command=command,
        callback={"domainIdent": str(obj.domain_ident), "domainClassName": obj.domain_class_name},
    )


class DescriptionController(Controller):
    """The description of any object, addressed by class name and id."""

    path = "/api"
    tags = ["Description"]

    @get("/description")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.Description]:
        """Every description (administrators)."""
        return await descriptions.list_all(conn, me, list_params)

    @post("/description", status_code=200)
    async def create_any(
        self, conn: Conn, me: Me, data: JSONBody[c.DescriptionInput]
    ) -> c.DescriptionEnvelope:
        """Describe the object named by domainClassName and domainIdent."""
        obj, command = await descriptions.create_from_body(conn, me, data)
        return _envelope(obj, "ADD", command)

    @get(_DOMAIN)
    async def show(
        self, conn: Conn, me: Me, domain_class_name: FromPath[str], ident: FromPath[int]
    ) -> c.Description:
        """The description of one object (404 when it has none)."""
        cls = domains.canonical_class(domain_class_name)
        return await descriptions.get(conn, me, cls, ident)

    @post(_DOMAIN, status_code=200)
    async def create(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        ident: FromPath[int],
        data: JSONBody[c.DescriptionInput],
    ) -> c.DescriptionEnvelope:
        """Describe one object."""
        cls = domains.canonical_class(domain_class_name)
        obj, command = await descriptions.create(conn, me, cls, ident, data.data)
        return _envelope(obj, "ADD", command)

    @put(_DOMAIN)
    async def update(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        ident: FromPath[int],
        data: JSONBody[c.DescriptionInput],
    ) -> c.DescriptionEnvelope:
        """Change the text of one object's description."""
        cls = domains.canonical_class(domain_class_name)
        obj, command = await descriptions.update(conn, me, cls, ident, data.data)
        return _envelope(obj, "EDIT", command)

    @delete(_DOMAIN, status_code=200)
    async def remove(
        self, conn: Conn, me: Me, domain_class_name: FromPath[str], ident: FromPath[int]
    ) -> c.DescriptionEnvelope:
        """Delete one object's description."""
        cls = domains.canonical_class(domain_class_name)
        obj, command = await descriptions.delete(conn, me, cls, ident)
        return _envelope(obj, "DELETE", command)


ROUTES = [DescriptionController]

"""Property service: key/value pairs on projects, images, annotations and any other object."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import domains, properties
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag

# /api/<resource>/{ident}/property...: the class of the object comes from the resource.
_RESOURCES = {
    "project": domains.PROJECT,
    "imageinstance": domains.IMAGE_INSTANCE,
    "annotation": domains.USER_ANNOTATION,
}
_OWNERS = ("/project/{ident:int}", "/imageinstance/{ident:int}", "/annotation/{ident:int}")
_DOMAIN = "/domain/{domain_class_name:str}/{ident:int}"
_ALL = (*_OWNERS, _DOMAIN)


def _class_of(request: Request[Any, Any, Any]) -> str:
    """The object's class: the path's class name, or the resource the path starts with."""
    named = request.path_params.get("domain_class_name")
    if named is not None:
        return domains.canonical_class(named)
    return _RESOURCES[request.url.path.split("/")[2]]


def _envelope(obj: c.Property, action: Action, command: int) -> c.PropertyEnvelope:
    return envelope(
        c.PropertyEnvelope,
        obj,
        action=action,
        command=command,
        callback={"domainIdent": str(obj.domain_ident), "domainClassName": obj.domain_class_name},
    )


class PropertyController(Controller):
    """Properties of any object, addressed by class name and id or through its resource."""

    path = "/api"
    tags = ["Property"]

    @get([f"{p}/property" for p in _ALL])
    async def list_properties(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        list_params: Lists,
    ) -> Page[c.Property]:
        """Properties of one object."""
        cls = _class_of(request)
        return await properties.list_for(conn, me, cls, ident, list_params)

    @post("/property", status_code=200)
    async def create_any(
        self, conn: Conn, me: Me, data: JSONBody[c.PropertyInput]
    ) -> c.PropertyEnvelope:
        """Add a property to the object named by domainClassName and domainIdent."""
        obj, command = await properties.create_from_body(conn, me, data)
        return _envelope(obj, "ADD", command)

    @post([f"{p}/property" for p in _ALL], status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        data: JSONBody[c.PropertyInput],
    ) -> c.PropertyEnvelope:
        """Add a property (key, value) to one object."""
        cls = _class_of(request)
        obj, command = await properties.create(conn, me, cls, ident, data)
        return _envelope(obj, "ADD", command)

    @get([f"{p}/property/{{property_id:int}}" for p in _ALL])
    async def show(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        property_id: FromPath[int],
    ) -> c.Property:
        """One property of an object."""
        cls = _class_of(request)
        return await properties.get(conn, me, cls, ident, property_id)

    @put([f"{p}/property/{{property_id:int}}" for p in _ALL])
    async def update(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        property_id: FromPath[int],
        data: JSONBody[c.PropertyInput],
    ) -> c.PropertyEnvelope:
        """Change a property's key or value."""
        cls = _class_of(request)
        obj, command = await properties.update(conn, me, cls, ident, property_id, data)
        return _envelope(obj, "EDIT", command)

    @delete([f"{p}/property/{{property_id:int}}" for p in _ALL], status_code=200)
    async def remove(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        property_id: FromPath[int],
    ) -> c.PropertyEnvelope:
        """Delete a property."""
        cls = _class_of(request)
        obj, command = await properties.delete(conn, me, cls, ident, property_id)
        return _envelope(obj, "DELETE", command)

    @get([f"{p}/key/{{key:str}}/property" for p in _ALL])
    async def by_key(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        ident: FromPath[int],
        key: FromPath[str],
    ) -> c.Property:
        """The property of an object with one key."""
        cls = _class_of(request)
        return await properties.get_by_key(conn, me, cls, ident, key)


class PropertyKeyController(Controller):
    """Property keys in use and property values on the viewer."""

    path = "/api"
    tags = ["Property"]

    @get("/annotation/property/key")
    async def annotation_keys(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        id_project: Annotated[int | None, QueryParameter(name="idProject")] = None,
        id_image: Annotated[int | None, QueryParameter(name="idImage")] = None,
        user: FromQuery[str | None] = None,
    ) -> Page[properties.PropertyKey]:
        """Keys used on annotations of a project or an image (with their authors: user=true)."""
        where = (id_project, id_image)
        with_user = flag(user, name="user")
        return await properties.annotation_keys(conn, me, where, with_user, list_params)

    @get("/imageinstance/property/key")
    async def image_keys(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        id_project: Annotated[int, QueryParameter(name="idProject")],
    ) -> Page[str]:
        """Keys used on the images of a project."""
        return await properties.image_keys(conn, me, id_project, list_params)

    @get("/user/{user_id:int}/imageinstance/{image_id:int}/annotationposition")
    async def positions(
        self,
        conn: Conn,
        me: Me,
        user_id: FromPath[int],
        image_id: FromPath[int],
        list_params: Lists,
        key: FromQuery[str | None] = None,
        bbox: FromQuery[str | None] = None,
    ) -> Page[properties.AnnotationPosition]:
        """Centres and values of one key on one user's annotations of an image."""
        where = (user_id, image_id)
        return await properties.annotation_positions(conn, me, where, key, bbox, list_params)


ROUTES = [PropertyController, PropertyKeyController]

"""Tag service: ``/api/tag…`` and tag associations with any domain object."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import domains, tags
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me

_DOMAIN = "/domain/{domain_class_name:str}/{domain_ident:int}/tag_domain_association"


def _tag_envelope(obj: c.Tag, action: Action, command: int) -> c.TagEnvelope:
    return envelope(c.TagEnvelope, obj, action=action, command=command)


def _link_envelope(
    obj: c.TagDomainAssociation, action: Action, command: int
) -> c.TagDomainAssociationEnvelope:
    return envelope(c.TagDomainAssociationEnvelope, obj, action=action, command=command)


class TagController(Controller):
    """Tags shared by every user."""

    path = "/api/tag"
    tags = ["Tag"]

    @get("/")
    async def list_tags(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.Tag]:
        """Every tag."""
        return await tags.list_tags(conn, list_params)

    @post("/", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[c.TagInput]) -> c.TagEnvelope:
        """Create a tag: body {name}; names are unique ignoring case."""
        obj, command = await tags.create(conn, me, data)
        return _tag_envelope(obj, "ADD", command)

    @get("/{tag_id:int}")
    async def show(self, conn: Conn, me: Me, tag_id: FromPath[int]) -> c.Tag:
        """One tag."""
        return await tags.get(conn, tag_id)

    @put("/{tag_id:int}")
    async def update(
        self, conn: Conn, me: Me, tag_id: FromPath[int], data: JSONBody[c.TagInput]
    ) -> c.TagEnvelope:
        """Rename a tag (its creator; an admin once it is in use)."""
        obj, command = await tags.update(conn, me, tag_id, data)
        return _tag_envelope(obj, "EDIT", command)

    @delete("/{tag_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, tag_id: FromPath[int]) -> c.TagEnvelope:
        """Delete a tag and its associations."""
        obj, command = await tags.delete(conn, me, tag_id)
        return _tag_envelope(obj, "DELETE", command)


class TagAssociationController(Controller):
    """Tags put on projects, images, annotations and other objects."""

    path = "/api"
    tags = ["Tag association"]

    @get("/tag_domain_association")
    async def list_all(
        self, conn: Conn, me: Me, list_params: Lists
    ) -> Page[c.TagDomainAssociation]:
        """Associations on every object the caller reads (filter: domainIdent[in]=...)."""
        return await tags.list_associations(conn, me, list_params)

    @post("/tag_domain_association", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.TagDomainAssociationInput]
    ) -> c.TagDomainAssociationEnvelope:
        """Tag an object: body {tag, domainClassName, domainIdent}."""
        target = domains.from_body(data.domain_class_name, data.domain_ident)
        obj, command = await tags.associate(conn, me, target, data.tag)
        return _link_envelope(obj, "ADD", command)

    @get("/tag_domain_association/{association_id:int}")
    async def show(
        self, conn: Conn, me: Me, association_id: FromPath[int]
    ) -> c.TagDomainAssociation:
        """One association."""
        return await tags.get_association(conn, me, association_id)

    @delete("/tag_domain_association/{association_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, association_id: FromPath[int]
    ) -> c.TagDomainAssociationEnvelope:
        """Take a tag off its object."""
        obj, command = await tags.dissociate(conn, me, association_id)
        return _link_envelope(obj, "DELETE", command)

    @get(_DOMAIN)
    async def by_domain(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        domain_ident: FromPath[int],
        list_params: Lists,
    ) -> Page[c.TagDomainAssociation]:
        """Associations of one object."""
        target = (domains.canonical_class(domain_class_name), domain_ident)
        return await tags.list_associations(conn, me, list_params, target)

    @post(_DOMAIN, status_code=200)
    async def create_on_domain(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        domain_ident: FromPath[int],
        data: JSONBody[c.TagDomainAssociationInput],
    ) -> c.TagDomainAssociationEnvelope:
        """Tag one object: body {tag}."""
        target = (domains.canonical_class(domain_class_name), domain_ident)
        obj, command = await tags.associate(conn, me, target, data.tag)
        return _link_envelope(obj, "ADD", command)

    @get(_DOMAIN + "/{association_id:int}")
    async def show_on_domain(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        domain_ident: FromPath[int],
        association_id: FromPath[int],
    ) -> c.TagDomainAssociation:
        """One association of one object (the JS client's URL once the object is known)."""
        target = (domains.canonical_class(domain_class_name), domain_ident)
        return await tags.get_association(conn, me, association_id, target)

    @delete(_DOMAIN + "/{association_id:int}", status_code=200)
    async def remove_on_domain(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        domain_ident: FromPath[int],
        association_id: FromPath[int],
    ) -> c.TagDomainAssociationEnvelope:
        """Take a tag off one object (the JS client's URL once the object is known)."""
        target = (domains.canonical_class(domain_class_name), domain_ident)
        obj, command = await tags.dissociate(conn, me, association_id, target)
        return _link_envelope(obj, "DELETE", command)


ROUTES = [TagController, TagAssociationController]

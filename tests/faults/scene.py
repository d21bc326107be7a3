"""A project holding one of each kind of object, and an outsider with a project of their own.

Every name and text the project holds starts with ``SECRET``: an answer to the outsider that
contains it leaks the project's data.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import create, make_image, make_world, square
from tests.server.project_helpers import auth, make_project

SECRET = "Zq7secret"
PROJECT_CLASS = "be.cytomine.domain.project.Project"


class Scene(msgspec.Struct, kw_only=True):
    """Ids of the objects of the secret project, by the name the route table gives them."""

    ids: dict[str, int]
    strings: dict[str, str]


async def _post(client: AsyncTestClient, who: NewAccount, url: str, **kw: Any) -> Any:  # type: ignore[type-arg]
    r = await client.post(url, auth=auth(who), **kw)
    assert r.status_code == 200, (url, r.text)
    return r.json()


async def _made(client: AsyncTestClient, who: NewAccount, url: str, key: str, body: Any) -> int:  # type: ignore[type-arg]
    return int((await _post(client, who, url, json=body))[key]["id"])


async def build(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    owner: NewAccount,
    member: NewAccount,
    outsider: NewAccount,
) -> Scene:
    world = await make_world(client, db, owner, member, name=f"{SECRET} project")
    p, image = world.project, world.image
    await db.execute(
        "UPDATE term SET name = $1 || name WHERE ontology_id = $2", SECRET, world.ontology
    )
    await db.execute(
        "UPDATE ontology SET name = $1 WHERE id = $2", f"{SECRET} ontology", world.ontology
    )
    annotation = await create(client, owner, image, square(10, 10), term=world.terms[:1])
    a = int(annotation["id"])
    track = await _made(
        client,
        owner,
        "/api/track.json",
        "track",
        {"name": f"{SECRET} track", "image": image, "color": "#00FF00"},
    )
    await _post(
        client, owner, "/api/annotationtrack.json", json={"annotationIdent": a, "track": track}
    )
    tag = await _made(client, owner, "/api/tag.json", "tag", {"name": "faultsuite-tag"})
    association = await _made(
        client,
        owner,
        "/api/tag_domain_association.json",
        "tagdomainassociation",
        {"tag": tag, "domainClassName": "project", "domainIdent": p},
    )
    prop = await _made(
        client,
        owner,
        f"/api/annotation/{a}/property.json",
        "property",
        {"key": "k", "value": f"{SECRET} value"},
    )
    await _post(
        client, owner, f"/api/project/{p}/property.json", json={"key": "k", "value": f"{SECRET} pv"}
    )
    comment = await _made(
        client,
        owner,
        f"/api/userannotation/{a}/comment.json",
        "sharedannotation",
        {"comment": f"{SECRET} comment", "receivers": [member.id]},
    )
    await _post(
        client,
        owner,
        "/api/description.json",
        json={"domainClassName": PROJECT_CLASS, "domainIdent": p, "data": f"{SECRET} text"},
    )
    image_group = await _made(
        client, owner, "/api/imagegroup.json", "imagegroup", {"name": f"{SECRET} ig", "project": p}
    )
    await _post(client, owner, f"/api/imagegroup/{image_group}/imageinstance/{image}.json")
    group = await _made(
        client,
        owner,
        "/api/annotationgroup.json",
        "annotationgroup",
        {"project": p, "imageGroup": image_group, "type": "SAME_OBJECT"},
    )
    link = await _made(
        client,
        owner,
        "/api/annotationlink.json",
        "annotationlink",
        {"annotationIdent": a, "group": group},
    )
    files = {"files[]": (f"{SECRET}.txt", b"hello", "text/plain")}
    attached = await _post(
        client,
        owner,
        "/api/attachedfile.json",
        params={"domainClassName": PROJECT_CLASS, "domainIdent": p},
        files=files,
    )
    job = await _post(
        client,
        owner,
        f"/api/imageinstance/{image}/annotation/import.json",
        content=_feature_line(),
        headers={"content-type": "application/x-ndjson"},
    )
    ids: dict[str, int] = {
        "project": p,
        "ontology": world.ontology,
        "term": world.terms[0],
        "term2": world.terms[1],
        "image": image,
        "slice": world.slice,
        "annotation": a,
        "track": track,
        "tag": tag,
        "association": association,
        "property": prop,
        "comment": comment,
        "image_group": image_group,
        "annotation_group": group,
        "link": link,
        "attached_file": int(_first(attached)["id"]),
        "job": int(job["id"]),
        "owner": owner.id,
        "member": member.id,
        "outsider": outsider.id,
    }
    ids.update(await _catalog_ids(db, image, world.slice))
    for key, table in (
        ("role", "sec_role"),
        ("relation", "relation"),
        ("image_server", "image_server"),
    ):
        ids[key] = int(await db.fetchval(f"SELECT min(id) FROM {table}"))
    ids["command"] = int(await db.fetchval("SELECT max(id) FROM command WHERE project_id = $1", p))
    # The outsider has a project of their own, so listings have something to show them.
    await make_project(client, outsider, name="outsider project")
    return Scene(ids=ids, strings={"owner_public_key": owner.public_key, "owner": owner.username})


def _first(body: Any) -> dict[str, Any]:
    found = body.get("attachedfile", body) if isinstance(body, dict) else body
    return found[0] if isinstance(found, list) else found  # type: ignore[no-any-return]


def _feature_line() -> bytes:
    ring = [[1, 5], [11, 5], [11, 15], [1, 15], [1, 5]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return msgspec.json.encode({**feature, "properties": {}}) + b"\n"


async def _catalog_ids(db: asyncpg.Connection, image: int, slice_: int) -> dict[str, int]:
    row = await db.fetchrow(
        "SELECT ii.base_image_id AS abstract_image, ai.uploaded_file_id AS uploaded_file,"
        " uf.storage_id AS storage, si.base_slice_id AS abstract_slice"
        " FROM image_instance ii JOIN abstract_image ai ON ai.id = ii.base_image_id"
        " JOIN uploaded_file uf ON uf.id = ai.uploaded_file_id"
        " JOIN slice_instance si ON si.image_id = ii.id"
        " WHERE ii.id = $1 AND si.id = $2",
        image,
        slice_,
    )
    assert row is not None
    return {k: int(v) for k, v in dict(row).items()}


__all__ = ["PROJECT_CLASS", "SECRET", "Scene", "build", "make_image"]

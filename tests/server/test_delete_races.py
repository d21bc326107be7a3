"""Concurrent deletes of one object, for every DELETE route: one winner, one DELETE command.

The routes come from the app's route table: a DELETE route with no case below (and no reason
to be left out) fails ``test_every_delete_route_has_a_race_case``, so a new route is raced as
soon as it is added.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import create, square
from tests.server.catalog_helpers import make_catalog
from tests.server.project_helpers import auth
from tests.server.test_write_races import in_thread

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

RACERS = 20
NAMES = itertools.count()


class Scene(msgspec.Struct, kw_only=True):
    """An admin's catalog (storage, uploaded file, abstract image with two slices, project
    with the image) and one annotation on it; Alice is a contributor of the project."""

    client: Any
    db: asyncpg.Connection
    admin: NewAccount
    alice: NewAccount
    storage: int
    upload: int
    abstract: int
    slices: list[int]
    project: int
    image: int
    annotation: int

    async def post(self, url: str, body: Any = None) -> Any:
        """POST as the admin and return the object the 200 envelope carries."""
        r = await self.client.post(url, json=body, auth=auth(self.admin))
        assert_status(r, 200)
        found = r.json()
        return next((v for v in found.values() if isinstance(v, dict) and "id" in v), found)

    async def terms(self, count: int = 2) -> list[int]:
        """``count`` terms of a new ontology."""
        ontology = await self.post("/api/ontology.json", {"name": f"O{next(NAMES)}"})
        made = []
        for i in range(count):
            body = {"name": f"T{i}", "color": "#123456", "ontology": ontology["id"]}
            made.append(int((await self.post("/api/term.json", body))["id"]))
        return made

    def ids(self) -> dict[str, int]:
        """The ids a URL template may name."""
        return {
            "project": self.project,
            "image": self.image,
            "annotation": self.annotation,
            "upload": self.upload,
            "user": self.alice.id,
        }

    async def term(self) -> int:
        return (await self.terms(1))[0]

    async def software(self) -> int:
        return int((await self.post("/api/software.json", {"name": "S"}))["id"])

    async def image_group(self) -> int:
        body = {"name": "G", "project": self.project}
        return int((await self.post("/api/imagegroup.json", body))["id"])


Case = Callable[[Scene], Awaitable[str]]

PROJECT = "be.cytomine.domain.project.Project"


def _posted(collection: str, body: dict[str, Any]) -> Case:
    """An object POSTed to ``collection`` (``{project}`` in it and in ``body``'s text values
    is the project's id, ``{user}`` Alice's), deleted at its item URL."""

    async def make(s: Scene) -> str:
        ids = s.ids()
        values = {k: int(v.format(**ids)) if "{" in str(v) else v for k, v in body.items()}
        made = await s.post(collection.format(**ids) + ".json", values)
        return collection.format(**ids) + f"/{made['id']}.json"

    return make


def _at(template: str) -> Case:
    """An object of the scene, deleted at ``template`` (named ids as in ``Scene.ids``)."""

    async def url(s: Scene) -> str:
        return template.format(**s.ids())

    return url


async def _user_role(s: Scene) -> str:
    role = await s.db.fetchval("SELECT id FROM sec_role WHERE authority = 'ROLE_ADMIN'")
    await s.post(f"/api/user/{s.alice.id}/role.json", {"user": s.alice.id, "role": role})
    return f"/api/user/{s.alice.id}/role/{role}.json"


async def _term(s: Scene) -> str:
    return f"/api/term/{await s.term()}.json"


async def _relation_term(s: Scene) -> str:
    t1, t2 = await s.terms()
    relation = await s.db.fetchval("SELECT id FROM relation WHERE name = 'parent'")
    await s.post("/api/relation/parent/term.json", {"term1": t1, "term2": t2})
    return f"/api/relation/{relation}/term1/{t1}/term2/{t2}.json"


async def _parent_relation_term(s: Scene) -> str:
    t1, t2 = await s.terms()
    await s.post("/api/relation/parent/term.json", {"term1": t1, "term2": t2})
    return f"/api/relation/parent/term1/{t1}/term2/{t2}.json"


async def _uploaded_file(s: Scene) -> str:
    await s.db.execute("DELETE FROM image_instance WHERE base_image_id = $1", s.abstract)
    return await _at("/api/uploadedfile/{upload}.json")(s)


async def _abstract_image(s: Scene) -> str:
    await s.db.execute("DELETE FROM image_instance WHERE base_image_id = $1", s.abstract)
    return f"/api/abstractimage/{s.abstract}.json"


async def _abstract_slice(s: Scene) -> str:
    await s.db.execute("DELETE FROM image_instance WHERE base_image_id = $1", s.abstract)
    return f"/api/abstractslice/{s.slices[-1]}.json"


async def _slice_instance(s: Scene) -> str:
    await s.db.execute("DELETE FROM annotation WHERE id = $1", s.annotation)
    found = await s.db.fetchval("SELECT max(id) FROM slice_instance WHERE image_id = $1", s.image)
    return f"/api/sliceinstance/{found}.json"


async def _companion_file(s: Scene) -> str:
    body = {"image": s.abstract, "originalFilename": "p.h5", "filename": "p.h5", "type": "HDF5"}
    made = await s.post("/api/companionfile.json", body)
    return f"/api/companionfile/{made['id']}.json"


async def _image_group(s: Scene) -> str:
    return f"/api/imagegroup/{await s.image_group()}.json"


async def _image_group_member(s: Scene) -> str:
    group = await s.image_group()
    await s.post(f"/api/imagegroup/{group}/imageinstance/{s.image}.json")
    return f"/api/imagegroup/{group}/imageinstance/{s.image}.json"


async def _algo_annotation(s: Scene) -> str:
    await s.db.execute(
        "UPDATE annotation SET kind = 'algo', terms_listed = NULL WHERE id = $1", s.annotation
    )
    return f"/api/algoannotation/{s.annotation}.json"


async def _reviewed_annotation(s: Scene) -> str:
    await s.post(f"/api/imageinstance/{s.image}/review.json")
    made = await s.post(f"/api/annotation/{s.annotation}/review.json", {})
    return f"/api/reviewedannotation/{made['id']}.json"


async def _review(s: Scene) -> str:
    await s.post(f"/api/imageinstance/{s.image}/review.json")
    await s.post(f"/api/annotation/{s.annotation}/review.json", {})
    return f"/api/annotation/{s.annotation}/review.json"


async def _annotation_term(s: Scene) -> str:
    term = await s.term()
    await s.db.execute(
        "UPDATE project SET ontology_id = (SELECT ontology_id FROM term WHERE id = $1)"
        " WHERE id = $2",
        term,
        s.project,
    )
    await s.post(f"/api/annotation/{s.annotation}/term/{term}.json")
    return f"/api/annotation/{s.annotation}/term/{term}.json"


async def _annotation_term_of_user(s: Scene) -> str:
    url = await _annotation_term(s)
    return url.removesuffix(".json") + f"/user/{s.admin.id}.json"


async def _annotation_group(s: Scene) -> str:
    body = {"project": s.project, "imageGroup": await s.image_group(), "type": "SAME_OBJECT"}
    made = await s.post("/api/annotationgroup.json", body)
    return f"/api/annotationgroup/{made['id']}.json"


async def _annotation_link(s: Scene) -> str:
    body = {"project": s.project, "imageGroup": await s.image_group(), "type": "SAME_OBJECT"}
    group = (await s.post("/api/annotationgroup.json", body))["id"]
    await s.post("/api/annotationlink.json", {"annotationIdent": s.annotation, "group": group})
    return f"/api/annotationgroup/{group}/annotation/{s.annotation}.json"


async def _property_on(s: Scene, prefix: str, cls: str, ident: int) -> str:
    body = {"domainClassName": cls, "domainIdent": ident, "key": "k", "value": "v"}
    made = await s.post(f"/api/domain/{cls}/{ident}/property.json", body)
    return f"{prefix}/property/{made['id']}.json"


async def _image_property(s: Scene) -> str:
    cls = "be.cytomine.domain.image.ImageInstance"
    return await _property_on(s, f"/api/imageinstance/{s.image}", cls, s.image)


async def _annotation_property(s: Scene) -> str:
    cls = "be.cytomine.domain.ontology.UserAnnotation"
    return await _property_on(s, f"/api/annotation/{s.annotation}", cls, s.annotation)


async def _project_property(s: Scene) -> str:
    return await _property_on(s, f"/api/project/{s.project}", PROJECT, s.project)


async def _domain_property(s: Scene) -> str:
    prefix = f"/api/domain/{PROJECT}/{s.project}"
    return await _property_on(s, prefix, PROJECT, s.project)


async def _tag_of(s: Scene) -> tuple[int, int]:
    tag = (await s.post("/api/tag.json", {"name": "urgent"}))["id"]
    body = {"tag": tag, "domainClassName": PROJECT, "domainIdent": s.project}
    url = f"/api/domain/{PROJECT}/{s.project}/tag_domain_association.json"
    return tag, (await s.post(url, body))["id"]


async def _tag(s: Scene) -> str:
    tag, _ = await _tag_of(s)
    return f"/api/tag/{tag}.json"


async def _tag_association(s: Scene) -> str:
    _, link = await _tag_of(s)
    return f"/api/tag_domain_association/{link}.json"


async def _tag_association_on_domain(s: Scene) -> str:
    _, link = await _tag_of(s)
    return f"/api/domain/{PROJECT}/{s.project}/tag_domain_association/{link}.json"


async def _track_of(s: Scene) -> int:
    body = {"name": "T", "image": s.image, "color": "#00FF00"}
    return int((await s.post("/api/track.json", body))["id"])


async def _track(s: Scene) -> str:
    return f"/api/track/{await _track_of(s)}.json"


async def _annotation_track(s: Scene) -> str:
    track = await _track_of(s)
    await s.post(f"/api/annotationtrack/{s.annotation}/{track}.json")
    return f"/api/annotationtrack/{s.annotation}/{track}.json"


async def _attached_file(s: Scene) -> str:
    query = {"domainClassName": PROJECT, "domainIdent": s.project}
    files = {"files[]": ("report.txt", b"hello", "text/plain")}
    r = await s.client.post("/api/attachedfile.json", params=query, files=files, auth=auth(s.admin))
    assert_status(r, 200)
    return f"/api/attachedfile/{r.json()['id']}.json"


async def _description(s: Scene) -> str:
    url = f"/api/domain/{PROJECT}/{s.project}/description.json"
    await s.post(url, {"domainClassName": PROJECT, "domainIdent": s.project, "data": "<p>x</p>"})
    return url


async def _image_filter_project(s: Scene) -> str:
    r = await s.client.get("/api/imagefilter.json", auth=auth(s.admin))
    first = r.json()["collection"][0]["id"]
    made = await s.post(
        "/api/imagefilterproject.json", {"imageFilter": first, "project": s.project}
    )
    return f"/api/imagefilterproject/{made['id']}.json"


async def _configuration(s: Scene) -> str:
    await s.post("/api/configuration.json", {"key": "BANNER", "value": "x", "readingRole": "ALL"})
    return "/api/configuration/key/BANNER.json"


async def _software(s: Scene) -> str:
    return f"/api/software/{await s.software()}.json"


async def _parameter_of(s: Scene, software: int | None = None) -> int:
    body = {"software": software or await s.software(), "name": "p", "type": "Number"}
    return int((await s.post("/api/software_parameter.json", body))["id"])


async def _software_parameter(s: Scene) -> str:
    return f"/api/software_parameter/{await _parameter_of(s)}.json"


async def _software_parameter_legacy(s: Scene) -> str:
    return f"/api/softwareparameter/{await _parameter_of(s)}.json"


async def _job_of(s: Scene, software: int) -> int:
    await s.post("/api/softwareproject.json", {"software": software, "project": s.project})
    return int((await s.post("/api/job.json", {"software": software, "project": s.project}))["id"])


async def _job(s: Scene) -> str:
    return f"/api/job/{await _job_of(s, await s.software())}.json"


async def _job_parameter(s: Scene) -> str:
    software = await s.software()
    parameter = await _parameter_of(s, software)
    job = await _job_of(s, software)
    body = {"job": job, "softwareParameter": parameter, "value": "1"}
    return f"/api/jobparameter/{(await s.post('/api/jobparameter.json', body))['id']}.json"


async def _job_data(s: Scene) -> str:
    body = {"job": await _job_of(s, await s.software()), "key": "result", "filename": "out.csv"}
    return f"/api/jobdata/{(await s.post('/api/jobdata.json', body))['id']}.json"


async def _software_project(s: Scene) -> str:
    body = {"software": await s.software(), "project": s.project}
    made = await s.post("/api/softwareproject.json", body)
    return f"/api/softwareproject/{made['id']}.json"


# route path (as the route table spells it) -> how to make the object its DELETE removes
CASES: dict[str, Case] = {
    "/api/user/{user_id:int}": _at("/api/user/{user}.json"),
    "/api/user/{user_id:int}/role/{role_id:int}": _user_role,
    "/api/storage/{storage_id:int}": _posted("/api/storage", {"name": "empty"}),
    "/api/project/{project_id:int}": _at("/api/project/{project}.json"),
    "/api/project/{project_id:int}/representative/{ident:int}": _posted(
        "/api/project/{project}/representative", {"project": "{project}", "user": "{user}"}
    ),
    "/api/project/{project_id:int}/defaultlayer/{ident:int}": _posted(
        "/api/project/{project}/defaultlayer",
        {"project": "{project}", "user": "{user}", "hideByDefault": True},
    ),
    "/api/ontology/{ontology_id:int}": _posted("/api/ontology", {"name": "Gone"}),
    "/api/term/{term_id:int}": _term,
    "/api/relation/{relation_id:int}": _posted("/api/relation", {"name": "synonym"}),
    "/api/relation/{relation_id:int}/term1/{term1:int}/term2/{term2:int}": _relation_term,
    "/api/relation/parent/term1/{term1:int}/term2/{term2:int}": _parent_relation_term,
    "/api/uploadedfile/{uploaded_file_id:int}": _uploaded_file,
    "/api/abstractimage/{image_id:int}": _abstract_image,
    "/api/abstractslice/{slice_id:int}": _abstract_slice,
    "/api/imageinstance/{instance_id:int}": _at("/api/imageinstance/{image}.json"),
    "/api/sliceinstance/{slice_id:int}": _slice_instance,
    "/api/companionfile/{file_id:int}": _companion_file,
    "/api/imagegroup/{group_id:int}": _image_group,
    "/api/imagegroup/{group_id:int}/imageinstance/{image_id:int}": _image_group_member,
    "/api/userannotation/{annotation_id:int}": _at("/api/userannotation/{annotation}.json"),
    "/api/annotation/{annotation_id:int}": _at("/api/annotation/{annotation}.json"),
    "/api/algoannotation/{annotation_id:int}": _algo_annotation,
    "/api/reviewedannotation/{annotation_id:int}": _reviewed_annotation,
    "/api/annotation/{annotation_id:int}/review": _review,
    "/api/annotation/{annotation_id:int}/term/{term_id:int}": _annotation_term,
    "/api/annotation/{annotation_id:int}/term/{term_id:int}/user/{user_id:int}": (
        _annotation_term_of_user
    ),
    "/api/annotationgroup/{group_id:int}": _annotation_group,
    "/api/annotationgroup/{group_id:int}/annotation/{annotation_id:int}": _annotation_link,
    "/api/imageinstance/{ident:int}/property/{property_id:int}": _image_property,
    "/api/annotation/{ident:int}/property/{property_id:int}": _annotation_property,
    "/api/project/{ident:int}/property/{property_id:int}": _project_property,
    "/api/domain/{domain_class_name:str}/{ident:int}/property/{property_id:int}": (
        _domain_property
    ),
    "/api/tag/{tag_id:int}": _tag,
    "/api/tag_domain_association/{association_id:int}": _tag_association,
    (
        "/api/domain/{domain_class_name:str}/{domain_ident:int}"
        "/tag_domain_association/{association_id:int}"
    ): _tag_association_on_domain,
    "/api/track/{track_id:int}": _track,
    "/api/annotationtrack/{annotation_id:int}/{track_id:int}": _annotation_track,
    "/api/attachedfile/{file_id:int}": _attached_file,
    "/api/domain/{domain_class_name:str}/{ident:int}/description": _description,
    "/api/imagefilterproject/{link_id:int}": _image_filter_project,
    "/api/configuration/key/{key:str}": _configuration,
    "/api/software/{software_id:int}": _software,
    "/api/software_user_repository/{repository_id:int}": _posted(
        "/api/software_user_repository",
        {"provider": "github", "username": "u", "dockerUsername": "d"},
    ),
    "/api/software_parameter/{parameter_id:int}": _software_parameter,
    "/api/softwareparameter/{parameter_id:int}": _software_parameter_legacy,
    "/api/softwareproject/{link_id:int}": _software_project,
    "/api/job/{job_id:int}": _job,
    "/api/jobparameter/{parameter_id:int}": _job_parameter,
    "/api/jobdata/{data_id:int}": _job_data,
}

# DELETE routes that end a state or act on a set rather than remove one object: a repeat is
# a no-op answered 200, as in Cytomine, and none records a command.
NOT_ONE_OBJECT = {
    "/api/user/{user_id:int}/lock": "unlocks an account",
    "/api/project/{project_id:int}/user": "removes the listed members (a set)",
    "/api/project/{project_id:int}/representative": "removes the representative a user is",
    "/api/imageinstance/{image_id:int}/annotation/review": "unreviews whole layers (a set)",
    "/api/imageinstance/{image_id:int}/review": "ends review mode on an image",
    "/api/project/{project_id:int}/user/{user_id:int}": "ends a membership",
    "/api/project/{project_id:int}/user/{user_id:int}/admin": "ends a manager right",
    "/api/storage/{storage_id:int}/user/{user_id:int}": "ends a storage membership",
    "/api/job/{job_id:int}/alldata": "removes a run's results (a set)",
}


def delete_routes(app: Litestar) -> set[str]:
    """Path of every route that answers DELETE."""
    return {
        route.path for route in app.routes if "DELETE" in getattr(route, "route_handler_map", {})
    }


def test_every_delete_route_has_a_race_case(app: Litestar) -> None:
    routes = delete_routes(app)
    assert routes - CASES.keys() - NOT_ONE_OBJECT.keys() == set()
    assert CASES.keys() - routes == set()


@pytest.fixture
async def scene(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    admin: NewAccount,
    alice: NewAccount,
) -> Scene:
    return await make_scene(client, db, admin, alice)


async def make_scene(
    client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount, alice: NewAccount
) -> Scene:
    """The scene of ``Scene``, made over HTTP."""
    made = await make_catalog(client, admin)
    r = await client.post(f"/api/project/{made['project']}/user/{alice.id}.json", auth=auth(admin))
    assert_status(r, 200)
    image = made["instance"]["id"]
    annotation = await create(client, admin, image, square(10, 10))
    return Scene(
        client=client,
        db=db,
        admin=admin,
        alice=alice,
        storage=made["storage"],
        upload=made["upload"]["id"],
        abstract=made["image"]["id"],
        slices=[s["id"] for s in made["slices"]],
        project=made["project"],
        image=image,
        annotation=annotation["id"],
    )


async def _settled(db: asyncpg.Connection, racers: Sequence[asyncio.Future[Any]]) -> None:
    """Wait until the racers stop queueing on locks (or all answered)."""
    seen, steady = -1, 0
    while steady < 5 and not all(r.done() for r in racers):
        waiting = await db.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        steady = steady + 1 if waiting == seen and waiting > 0 else 0
        seen = waiting
        await asyncio.sleep(0.05)


async def race(scene: Scene, database_url: str, url: str) -> list[Any]:
    """DELETE ``url`` from many clients at once. The command table is locked meanwhile, so
    every racer reads the object and queues behind the first delete before any commits:
    the race is lost the same way on every run."""
    locker = await asyncpg.connect(database_url)
    try:
        async with locker.transaction():
            await locker.execute("LOCK TABLE command IN EXCLUSIVE MODE")
            racers = [
                asyncio.ensure_future(
                    in_thread(lambda: scene.client.delete(url, auth=auth(scene.admin)))
                )
                for _ in range(RACERS)
            ]
            await _settled(scene.db, racers)
        return list(await asyncio.gather(*racers))
    finally:
        await locker.close()


@pytest.mark.parametrize("route", sorted(CASES))
async def test_concurrent_deletes_have_one_winner_and_one_command(
    scene: Scene, database_url: str, route: str
) -> None:
    url = await CASES[route](scene)
    count = "SELECT count(*) FROM command WHERE type = 'DELETE'"
    before = await scene.db.fetchval(count)
    answers = await race(scene, database_url, url)
    won = [r for r in answers if r.status_code == 200]
    assert len(won) == 1, [r.status_code for r in answers]
    assert await scene.db.fetchval(count) - before == 1
    # The losers answer what a delete of the object once gone answers.
    again = await scene.client.delete(url, auth=auth(scene.admin))
    assert again.status_code in (400, 404), again.text
    assert {r.status_code for r in answers if r is not won[0]} == {again.status_code}

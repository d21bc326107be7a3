"""Deleting over HTTP removes what the deleted rows take with them, by every route that deletes.

Until migration 0041 triggers on the deleted tables did it; now each delete statement of the
store is followed by ``removed_cascade`` in the same transaction, and the statements that
delete annotations count them out of their projects and images (docs/scale-out.md). Every
object of the scene carries a property, a tag, an attached file and a description; its two
annotations carry term links, a comment and a group link. Each case deletes through one route
and then reads the tables: no row may still name a deleted object, and every project and image
counts what it holds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db import queries as q
from server.db.store.accounts import NewAccount
from server.db.store.commands import delete_row
from tests.assertions import assert_status
from tests.server import test_delete_races as races
from tests.server.annotation_helpers import create, square
from tests.server.image_helpers import make_storage
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

DOMAIN = (
    "project",
    "image_instance",
    "abstract_image",
    "annotation",
    "track",
    "storage",
    "ontology",
    "term",
)
"""Tables whose rows the scene dresses with properties, tags, attached files and descriptions."""

METADATA = ("property", "tag_domain_association", "attached_file", "description")
"""Rows of any object, named by domain_ident."""

ORPHANS = (
    "WITH objects AS ("
    + " UNION ALL ".join(f"SELECT id FROM {t}" for t in DOMAIN)
    + ") "
    + " UNION ALL ".join(
        f"SELECT '{t}' AS tbl, domain_ident AS id FROM {t}"
        " WHERE domain_ident NOT IN (SELECT id FROM objects)"
        for t in METADATA
    )
    + " UNION ALL "
    + " UNION ALL ".join(
        f"SELECT '{t}', annotation_id FROM {t}"
        " WHERE annotation_id NOT IN (SELECT id FROM annotation)"
        for t in ("shared_annotation", "annotation_link", "annotation_term")
    )
    + """
UNION ALL SELECT 'annotation_term', term_id FROM annotation_term
WHERE term_id NOT IN (SELECT id FROM term) OR expected_term_id NOT IN (SELECT id FROM term)
UNION ALL SELECT 'annotation', id FROM annotation
WHERE image_id NOT IN (SELECT id FROM image_instance)
    OR slice_id NOT IN (SELECT id FROM slice_instance)
    OR project_id NOT IN (SELECT id FROM project)
ORDER BY 1, 2
"""
)
"""Rows that name an object that is gone."""

_COUNTED = """
    SELECT ROW(count(*) FILTER (WHERE a.kind = 'user'), count(*) FILTER (WHERE a.kind = 'algo'),
        count(*) FILTER (WHERE a.kind = 'reviewed'))
    FROM annotation AS a WHERE a.{col} = x.id
"""
DRIFT = f"""
SELECT 'project' AS tbl, x.id FROM project AS x
WHERE ROW(x.count_annotations, x.count_job_annotations, x.count_reviewed_annotations)
    IS DISTINCT FROM ({_COUNTED.format(col="project_id")})
    OR x.count_images <> (SELECT count(*) FROM image_instance AS i WHERE i.project_id = x.id)
UNION ALL SELECT 'image_instance', x.id FROM image_instance AS x
WHERE ROW(x.count_annotations, x.count_job_annotations, x.count_reviewed_annotations)
    IS DISTINCT FROM ({_COUNTED.format(col="image_id")})
ORDER BY 1, 2
"""
"""Projects and images whose counters differ from what they hold."""

CLASS = "be.cytomine.domain.Object"


class Scene(races.Scene, kw_only=True):
    """The scene of the delete races (an admin's catalog and project, Alice a member, an
    annotation), with the project's ontology, a track and a second annotation: every object
    dressed, each annotation with term links, a comment and a group link."""

    slice: int
    ontology: int
    term_ids: list[int]
    track: int
    annotations: list[int]

    async def call(self, method: str, url: str, **kwargs: Any) -> Any:
        """A request as the admin, asserted 200; the JSON answer."""
        r = await self.client.request(method, url, auth=auth(self.admin), **kwargs)
        assert_status(r, 200)
        return r.json()

    async def dress(self, *idents: int) -> None:
        """A property, a tag, an attached file and a description on each object."""
        tag = await self.db.fetchval(
            "INSERT INTO tag (name, user_id) VALUES ($1, $2) RETURNING id",
            f"t{idents[0]}",
            self.admin.id,
        )
        for ident in idents:
            await self.db.execute(
                "INSERT INTO property (domain_class_name, domain_ident, key, value)"
                " VALUES ($1, $2, 'k', 'v')",
                CLASS,
                ident,
            )
            await self.db.execute(
                "INSERT INTO tag_domain_association (tag_id, domain_class_name, domain_ident)"
                " VALUES ($1, $2, $3)",
                tag,
                CLASS,
                ident,
            )
            await self.db.execute(
                "INSERT INTO attached_file (domain_class_name, domain_ident, filename, path, size)"
                " VALUES ($1, $2, 'f.txt', 'f.txt', 1)",
                CLASS,
                ident,
            )
            await self.db.execute(
                "INSERT INTO description (domain_class_name, domain_ident, data)"
                " VALUES ($1, $2, '<p>x</p>')",
                CLASS,
                ident,
            )

    async def link(self, annotations: list[int]) -> None:
        """Term links, a comment, a group link and metadata on each annotation."""
        row = await self.db.fetchrow(
            "SELECT image_id, project_id FROM annotation WHERE id = $1", annotations[0]
        )
        group = await self.db.fetchval(
            "INSERT INTO image_group (project_id, name) VALUES ($1, 'g') RETURNING id",
            row["project_id"],
        )
        link_group = await self.db.fetchval(
            "INSERT INTO annotation_group (project_id, image_group_id, type)"
            " VALUES ($1, $2, 'SAME_OBJECT') RETURNING id",
            row["project_id"],
            group,
        )
        for annotation in annotations:
            for term, expected in ((self.term_ids[0], self.term_ids[1]), (self.term_ids[1], None)):
                await self.db.execute(
                    "INSERT INTO annotation_term"
                    " (annotation_id, term_id, user_id, image_id, project_id, expected_term_id)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    annotation,
                    term,
                    self.admin.id,
                    row["image_id"],
                    row["project_id"],
                    expected,
                )
            await self.db.execute("SELECT annotation_terms_relist($1::bigint[])", [annotation])
            await self.db.execute(
                "INSERT INTO shared_annotation (annotation_id, sender_id, annotation_class_name)"
                " VALUES ($1, $2, 'be.cytomine.domain.ontology.UserAnnotation')",
                annotation,
                self.admin.id,
            )
            await self.db.execute(
                "INSERT INTO annotation_link (image_id, annotation_id, group_id)"
                " VALUES ($1, $2, $3)",
                row["image_id"],
                annotation,
                link_group,
            )
        await self.dress(*annotations)

    async def gone(self, table: str, ident: int) -> bool:
        sql = f"SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE id = $1)"  # noqa: S608
        return bool(await self.db.fetchval(sql, ident))


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount, alice: NewAccount
) -> Scene:
    base = msgspec.structs.asdict(await races.make_scene(client, db, admin, alice))
    terms = await races.Scene(**base).terms()
    image = base["image"]
    second = (await create(client, admin, image, square(40, 10)))["id"]
    s = Scene(
        **base,
        slice=await db.fetchval("SELECT min(id) FROM slice_instance WHERE image_id = $1", image),
        ontology=await db.fetchval("SELECT ontology_id FROM term WHERE id = $1", terms[0]),
        term_ids=terms,
        track=0,
        annotations=[base["annotation"], second],
    )
    await db.execute("UPDATE project SET ontology_id = $1 WHERE id = $2", s.ontology, s.project)
    body = {"name": "Tr", "image": s.image, "color": "#00FF00"}
    s.track = (await s.post("/api/track.json", body))["id"]
    await s.link(s.annotations)
    await s.dress(s.project, s.image, s.abstract, s.track, s.storage, s.ontology, *s.term_ids)
    return s


async def orphans(db: asyncpg.Connection) -> list[tuple[str, int]]:
    return [(r["tbl"], r["id"]) for r in await db.fetch(ORPHANS)]


async def drift(db: asyncpg.Connection) -> list[tuple[str, int]]:
    return [(r["tbl"], r["id"]) for r in await db.fetch(DRIFT)]


async def dressed(db: asyncpg.Connection, idents: list[int]) -> int:
    """Metadata rows naming ``idents``."""
    total = 0
    for table in ("property", "tag_domain_association", "attached_file", "description"):
        sql = f"SELECT count(*) FROM {table} WHERE domain_ident = ANY ($1)"  # noqa: S608
        total += int(await db.fetchval(sql, idents))
    return total


Case = Callable[[Scene], Awaitable[list[int]]]
"""Deletes through one route; answers the ids of the objects that must be gone."""


async def _project(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/project/{s.project}.json")
    return [s.project, s.image, s.track, *s.annotations]


async def _image(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/imageinstance/{s.image}.json")
    return [s.image, s.track, *s.annotations]


async def _slice(s: Scene) -> list[int]:
    # The route refuses a slice that holds annotations; the statement takes them anyway
    # (a concurrent writer may add one after the check).
    other = await s.db.fetchval("SELECT max(id) FROM slice_instance WHERE image_id = $1", s.image)
    moved = "UPDATE annotation SET slice_id = $1 WHERE id = ANY ($2)"
    await s.db.execute(moved, other, s.annotations)
    async with s.db.transaction():
        await delete_row(s.db, q.SLICE_INSTANCE_DELETE, other, kind="SliceInstance")
    return list(s.annotations)


async def _annotation(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/annotation/{s.annotations[0]}.json")
    return s.annotations[:1]


async def _user_annotation(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/userannotation/{s.annotations[0]}.json")
    return s.annotations[:1]


async def _algo_annotation(s: Scene) -> list[int]:
    await s.db.execute(
        "UPDATE annotation SET kind = 'algo', terms_listed = NULL WHERE id = $1", s.annotations[0]
    )
    for table, ident in (("project", s.project), ("image_instance", s.image)):
        moved = (
            f"UPDATE {table} SET count_annotations = count_annotations - 1,"  # noqa: S608
            " count_job_annotations = count_job_annotations + 1 WHERE id = $1"
        )
        await s.db.execute(moved, ident)
    await s.call("DELETE", f"/api/algoannotation/{s.annotations[0]}.json")
    return s.annotations[:1]


async def _reviewed(s: Scene) -> list[int]:
    await s.post(f"/api/imageinstance/{s.image}/review.json")
    copies = [(await s.post(f"/api/annotation/{a}/review.json", {}))["id"] for a in s.annotations]
    await s.link(copies)
    return copies


async def _reviewed_annotation(s: Scene) -> list[int]:
    copies = await _reviewed(s)
    await s.call("DELETE", f"/api/reviewedannotation/{copies[0]}.json")
    return copies[:1]


async def _review(s: Scene) -> list[int]:
    copies = await _reviewed(s)
    await s.call("DELETE", f"/api/annotation/{s.annotations[0]}/review.json")
    return copies[:1]


async def _review_layer(s: Scene) -> list[int]:
    copies = await _reviewed(s)
    url = f"/api/imageinstance/{s.image}/annotation/review.json"
    await s.call("DELETE", url, params={"users": str(s.admin.id)})
    return copies


async def _bulk(s: Scene) -> list[int]:
    await s.call("POST", "/api/annotation/bulk-delete.json", json={"project": s.project})
    return list(s.annotations)


async def _undo(s: Scene) -> list[int]:
    made = (await create(s.client, s.admin, s.image, square(200, 200)))["id"]
    await s.link([made])
    await s.call("GET", "/api/command/undo.json")
    return [made]


async def _track(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/track/{s.track}.json")
    return [s.track]


async def _storage(s: Scene) -> list[int]:
    storage = await make_storage(s.client, s.admin, "empty")
    await s.dress(storage)
    await s.call("DELETE", f"/api/storage/{storage}.json")
    return [storage]


async def _user(s: Scene) -> list[int]:
    storage = await make_storage(s.client, s.alice, "Alice's")
    await s.dress(storage)
    await s.call("DELETE", f"/api/user/{s.alice.id}.json")
    return [storage]


async def _abstract_image(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/imageinstance/{s.image}.json")
    await s.call("DELETE", f"/api/abstractimage/{s.abstract}.json")
    return [s.abstract, s.image, *s.annotations]


async def _uploaded_file(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/imageinstance/{s.image}.json")
    await s.call("DELETE", f"/api/uploadedfile/{s.upload}.json")
    return [s.abstract, s.image, *s.annotations]


async def _ontology(s: Scene) -> list[int]:
    await s.db.execute("UPDATE project SET ontology_id = NULL WHERE id = $1", s.project)
    await s.call("DELETE", f"/api/ontology/{s.ontology}.json")
    return [s.ontology, *s.term_ids]


async def _term(s: Scene) -> list[int]:
    await s.call("DELETE", f"/api/term/{s.term_ids[1]}.json")
    return [s.term_ids[1]]


async def _job_annotations(s: Scene) -> tuple[int, list[int]]:
    """A job of the project whose run account drew two dressed annotations."""
    software = (await s.post("/api/software.json", {"name": "S"}))["id"]
    await s.post("/api/softwareproject.json", {"software": software, "project": s.project})
    job = (await s.post("/api/job.json", {"software": software, "project": s.project}))["id"]
    account = await s.db.fetchval("SELECT id FROM user_job WHERE job_id = $1", job)
    made = [
        await s.db.fetchval(
            # Counted in as the server's inserts do (annotation_count_change).
            "WITH a AS (INSERT INTO annotation"
            " (image_id, slice_id, project_id, user_id, location, kind)"
            " VALUES ($1, $2, $3, $4, st_makeenvelope($5::float8, 0, $5::float8 + 5, 5, 0), 'algo')"
            " RETURNING id, project_id, image_id, kind)"
            " SELECT a.id FROM a, LATERAL (SELECT annotation_count_change("
            "ARRAY[a.project_id], ARRAY[a.image_id], ARRAY[a.kind], 1)) AS c",
            s.image,
            s.slice,
            s.project,
            account,
            float(x),
        )
        for x in (300, 400)
    ]
    await s.link(made)
    return job, made


async def _job(s: Scene) -> list[int]:
    job, made = await _job_annotations(s)
    await s.call("DELETE", f"/api/job/{job}.json")
    return made


async def _job_data(s: Scene) -> list[int]:
    job, made = await _job_annotations(s)
    await s.call("DELETE", f"/api/job/{job}/alldata.json")
    return made


async def _project_with_job(s: Scene) -> list[int]:
    _, made = await _job_annotations(s)
    return [*await _project(s), *made]


CASES: dict[str, Case] = {
    "project": _project,
    "project with a job": _project_with_job,
    "image instance": _image,
    "slice instance": _slice,
    "annotation": _annotation,
    "user annotation": _user_annotation,
    "algo annotation": _algo_annotation,
    "reviewed annotation": _reviewed_annotation,
    "review of an annotation": _review,
    "review layer": _review_layer,
    "bulk delete": _bulk,
    "undo of an annotation": _undo,
    "track": _track,
    "storage": _storage,
    "user": _user,
    "abstract image": _abstract_image,
    "uploaded file": _uploaded_file,
    "ontology": _ontology,
    "term": _term,
    "job": _job,
    "job data": _job_data,
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_delete_leaves_nothing_naming_what_it_deleted(scene: Scene, case: str) -> None:
    assert (await orphans(scene.db), await drift(scene.db)) == ([], [])
    ids = await CASES[case](scene)
    assert (await orphans(scene.db), await drift(scene.db)) == ([], [])
    # The case deleted dressed objects, and their dress went with them.
    assert ids
    for ident in ids:
        assert any([await scene.gone(t, ident) for t in DOMAIN])
    assert await dressed(scene.db, ids) == 0


async def test_the_scene_is_dressed(scene: Scene) -> None:
    """Each object of the scene carries four metadata rows, each annotation its links."""
    objects = [scene.project, scene.image, scene.abstract, scene.track, scene.storage]
    idents = [*objects, scene.ontology, *scene.term_ids, *scene.annotations]
    assert await dressed(scene.db, idents) == 4 * len(idents)
    for table in ("shared_annotation", "annotation_link"):
        sql = f"SELECT count(*) FROM {table} WHERE annotation_id = ANY ($1)"  # noqa: S608
        assert await scene.db.fetchval(sql, scene.annotations) == 2
    sql = "SELECT count(*) FROM annotation_term WHERE annotation_id = ANY ($1)"
    assert await scene.db.fetchval(sql, scene.annotations) == 4


async def test_deleting_a_term_clears_it_where_it_was_expected(scene: Scene) -> None:
    await scene.call("DELETE", f"/api/term/{scene.term_ids[1]}.json")
    rows = await scene.db.fetch(
        "SELECT term_id, expected_term_id FROM annotation_term WHERE annotation_id = ANY ($1)",
        scene.annotations,
    )
    assert (
        sorted((r["term_id"], r["expected_term_id"]) for r in rows)
        == [(scene.term_ids[0], None)] * 2
    )


async def test_a_user_still_named_by_annotations_is_kept(scene: Scene) -> None:
    alice = auth(scene.alice)
    r = await scene.client.post(
        "/api/annotation.json",
        json={"location": square(500, 500), "image": scene.image},
        auth=alice,
    )
    assert_status(r, 200)
    r = await scene.client.delete(f"/api/user/{scene.alice.id}.json", auth=auth(scene.admin))
    assert_status(r, 400)
    assert not await scene.gone("sec_user", scene.alice.id)


async def test_the_project_counts_its_images(scene: Scene) -> None:
    count = "SELECT count_images FROM project WHERE id = $1"
    assert await scene.db.fetchval(count, scene.project) == 1
    body = {"storage": scene.storage, "originalFilename": "b.tif", "ext": "tif", "size": 1}
    upload = (await scene.post("/api/uploadedfile.json", body))["id"]
    body = {"uploadedFile": upload, "width": 100, "height": 100}
    abstract = (await scene.post("/api/abstractimage.json", body))["id"]
    second = await scene.post(
        "/api/imageinstance.json", {"baseImage": abstract, "project": scene.project}
    )
    r = await scene.client.get(f"/api/project/{scene.project}.json", auth=auth(scene.admin))
    assert r.json()["numberOfImages"] == 2
    await scene.call("DELETE", f"/api/imageinstance/{scene.image}.json")
    assert await scene.db.fetchval(count, scene.project) == 1
    r = await scene.client.delete(f"/api/imageinstance/{scene.image}.json", auth=auth(scene.admin))
    assert_status(r, 404)
    assert await scene.db.fetchval(count, scene.project) == 1
    await scene.call("DELETE", f"/api/imageinstance/{second['id']}.json")
    assert await scene.db.fetchval(count, scene.project) == 0

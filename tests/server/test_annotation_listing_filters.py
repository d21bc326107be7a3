"""Annotation listing: every catalog filter, the field groups, layer hiding and keyset paging."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from contracts.errors import NotFound
from server.db import annotation_list_sql as listing_sql
from server.db.composed import Fragment, compose, read
from server.db.queries import SQL_DIR
from server.db.store.accounts import NewAccount, create_account
from server.db.store.annotation_listing import (
    AnnotationQuery,
    arguments,
    check_references,
    shape,
    values,
    wire,
)
from server.http.annotation_query import parse_query, wired
from server.principal import Principal
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

CLASS = "be.cytomine.domain.ontology.UserAnnotation"
# The filters a request's statement may leave out: those declaring parameters.
FILTERS = {
    path.stem: fragment
    for path in sorted((SQL_DIR / "annotation_list" / "filters").glob("*.sql"))
    if (fragment := read(path)).types
}


class Grid(World, kw_only=True):
    """Nine squares on a 100-px grid; ids[i*3+j] is the square at (100i+5, 100j+5)."""

    ids: list[int]


@pytest.fixture
async def grid(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Grid:
    """Alice's squares on the diagonal carry term 0, bob's none; square 0 also carries term 1."""
    world = await make_world(client, db, alice, bob)
    for who in (alice, bob):  # one bulk request per author; bulk ids follow the array order
        items = [
            {
                "location": sq(100 * i + 5, 100 * j + 5),
                "image": world.image,
                "term": ([world.terms[0]] + ([world.terms[1]] if i == 0 else [])) if i == j else [],
            }
            for i in range(3)
            for j in range(3)
            if (i == j) == (who is alice)
        ]
        r = await client.post("/api/annotation.json", json=items, auth=auth(who))
        assert_status(r, 200)
        assert r.json()["status"] == 200, r.text
    rows = await db.fetch(
        "SELECT id FROM annotation ORDER BY round(ST_XMin(location)), round(ST_YMin(location))"
    )
    ids = [row["id"] for row in rows]
    return Grid(**{f: getattr(world, f) for f in world.__struct_fields__}, ids=ids)


async def listing(client: AsyncTestClient, who: NewAccount, **params: Any) -> dict[str, Any]:
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    assert_status(r, 200)
    return r.json()  # type: ignore[no-any-return]


def ids(found: dict[str, Any]) -> set[int]:
    return {item["id"] for item in found["collection"]}


# One request per listing statement (the test checks that each picks it).
PER_STATEMENT = {
    "annotation_list": {},
    "annotation_list_bbox": {"bbox": "0,0,300,300"},
    "annotation_list_bbox_viewer": {"bbox": "0,0,300,300", "showTrack": False},  # viewer's groups
    "annotation_list_by_term": {"term": 0},  # the grid's first term
}


def test_every_listing_statement_has_an_equivalence_case() -> None:
    assert set(PER_STATEMENT) == {shape.name for shape in listing_sql.LISTINGS}


@pytest.mark.parametrize("name", sorted(PER_STATEMENT))
async def test_listing_items_equal_the_single_annotation_for_every_shared_group(
    client: AsyncTestClient, alice: NewAccount, grid: Grid, name: str
) -> None:
    params: dict[str, Any] = {"image": grid.image, **PER_STATEMENT[name]}
    if "term" in params:
        params["term"] = grid.terms[params["term"]]
    groups = {"showDefault": True, "showWKT": True, "showGIS": True, "showTrack": True}
    groups |= {key: params.pop(key) for key in list(params) if key.startswith("show")}
    asked = {k: str(v).lower() for k, v in (params | groups).items()}
    assert shape(parse_query(asked)).name == name
    found = await listing(client, alice, **params, **groups)
    assert found["collection"], found
    for item in found["collection"]:
        r = await client.get(f"/api/userannotation/{item['id']}.json", auth=auth(alice))
        single = r.json()
        shared = set(item) & set(single)
        assert {key: single[key] for key in shared} == {key: item[key] for key in shared}
        assert {"location", "centroid", "term", "created", "cropURL"} <= shared


async def test_multiple_term_keeps_annotations_with_two_terms(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    found = await listing(client, alice, project=grid.project, multipleTerm="true")
    assert ids(found) == {grid.ids[0]}


async def test_users_for_term_restricts_term_matches_to_those_users(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, grid: Grid
) -> None:
    by_alice = await listing(client, alice, project=grid.project, usersForTerm=alice.id)
    by_bob = await listing(client, alice, project=grid.project, usersForTerm=bob.id)
    assert (len(ids(by_alice)), len(ids(by_bob))) == (3, 0)


async def test_username_is_read_as_a_user_filter_like_the_web_ui_sends_it(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    found = await listing(client, alice, image=grid.image, username=alice.id)
    assert ids(found) == {grid.ids[0], grid.ids[4], grid.ids[8]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"afterThan": 0}, 9),
        ({"beforeThan": 0}, 0),
        ({"afterThan": 4102444800000}, 0),
    ],
)
async def test_date_ranges_filter_on_creation(
    client: AsyncTestClient, alice: NewAccount, grid: Grid, params: dict[str, Any], expected: int
) -> None:
    found = await listing(client, alice, image=grid.image, **params)
    assert found["size"] == expected


async def test_excluded_annotation_is_left_out(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    found = await listing(client, alice, image=grid.image, excludedAnnotation=grid.ids[4])
    assert ids(found) == set(grid.ids) - {grid.ids[4]}


async def test_bbox_annotation_keeps_what_meets_that_annotation(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    found = await listing(client, alice, image=grid.image, bboxAnnotation=grid.ids[4])
    assert ids(found) == {grid.ids[4]}


@pytest.mark.parametrize(("base", "distance"), [("id", 90), ("POINT (110 110)", 96)])
async def test_base_annotation_keeps_what_lies_within_the_distance(
    client: AsyncTestClient, alice: NewAccount, grid: Grid, base: str, distance: int
) -> None:
    value = grid.ids[4] if base == "id" else base
    found = await listing(
        client, alice, image=grid.image, baseAnnotation=value, maxDistanceBaseAnnotation=distance
    )
    assert ids(found) == {grid.ids[1], grid.ids[3], grid.ids[4], grid.ids[5], grid.ids[7]}


async def test_max_distance_without_base_annotation_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    r = await client.get(
        "/api/annotation.json",
        params={"image": grid.image, "maxDistanceBaseAnnotation": 5},
        auth=auth(alice),
    )
    assert_status(r, 400)


async def test_track_filters_and_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    track = await db.fetchval(
        "INSERT INTO track (name, image_id, project_id) VALUES ('t', $1, $2) RETURNING id",
        grid.image,
        grid.project,
    )
    link = await db.fetchval(
        "INSERT INTO annotation_track (annotation_id, track_id, slice_id, image_id)"
        " VALUES ($1, $2, $3, $4) RETURNING id",
        grid.ids[2],
        track,
        grid.slice,
        grid.image,
    )
    tracked = await listing(client, alice, image=grid.image, track=track, showTrack=True)
    untracked = await listing(client, alice, image=grid.image, noTrack=True)
    assert [(i["track"], i["annotationTrack"]) for i in tracked["collection"]] == [
        ([track], [{"id": link, "track": track}])
    ]
    assert ids(untracked) == set(grid.ids) - {grid.ids[2]}


async def test_tag_filters(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    tag = await db.fetchval(
        "INSERT INTO tag (name, user_id) VALUES ('x', $1) RETURNING id", alice.id
    )
    await db.execute(
        "INSERT INTO tag_domain_association (tag_id, domain_class_name, domain_ident)"
        " VALUES ($1, $2, $3)",
        tag,
        CLASS,
        grid.ids[5],
    )
    tagged = await listing(client, alice, image=grid.image, tags=str(tag))
    untagged = await listing(client, alice, image=grid.image, noTag=True)
    assert ids(tagged) == {grid.ids[5]}
    assert ids(untagged) == set(grid.ids) - {grid.ids[5]}


async def test_reviewed_lists_the_reviewed_copies_and_not_reviewed_only_the_rest(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    copy = await db.fetchval(
        "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location, kind,"
        " parent_id, reviewer_id) SELECT image_id, slice_id, project_id, user_id, location,"
        " 'reviewed', id, $2 FROM annotation WHERE id = $1 RETURNING id",
        grid.ids[0],
        alice.id,
    )
    reviewed = await listing(client, alice, image=grid.image, reviewed=True, reviewUsers=alice.id)
    rest = await listing(client, alice, image=grid.image, notReviewedOnly=True)
    assert ids(reviewed) == {copy}
    assert reviewed["collection"][0]["class"] == "be.cytomine.domain.ontology.ReviewedAnnotation"
    assert ids(rest) == set(grid.ids) - {grid.ids[0]}


@pytest.mark.parametrize(
    ("flags", "keys"),
    [
        ({"showImage": True}, {"originalFilename", "instanceFilename"}),
        ({"showSlice": True}, {"channel", "zStack", "time"}),
        ({"showUser": True}, {"creator", "name", "firstname", "lastname"}),
        ({"showImageGroup": True}, {"imageGroup"}),
        ({"showLink": True}, {"group", "annotationLink"}),
        ({"showDefault": True, "hideMeta": True}, {"term", "userByTerm"}),
    ],
)
async def test_each_group_flag_adds_its_keys(
    client: AsyncTestClient, alice: NewAccount, grid: Grid, flags: dict[str, Any], keys: set[str]
) -> None:
    found = await listing(client, alice, image=grid.image, **flags)
    assert set(found["collection"][0]) == {"id", "class"} | keys


async def test_user_group_names_the_author(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    found = await listing(client, alice, image=grid.image, showUser=True, users=alice.id)
    assert {item["creator"] for item in found["collection"]} == {alice.username}


@pytest.mark.parametrize(
    ("users", "admins", "bob_sees"),
    [(False, False, 10), (True, False, 9), (False, True, 7), (True, True, 6)],
)
async def test_hidden_layers_leave_a_contributor_his_own_and_the_allowed_ones(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    grid: Grid,
    users: bool,
    admins: bool,
    bob_sees: int,
) -> None:
    """Alice manages (3 squares), Bob (6) and Carol (1) contribute."""
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.post(f"/api/project/{grid.project}/user/{carol.id}.json", auth=auth(alice))
    assert_status(r, 200)
    await create(client, carol, grid.image, sq(500, 500))
    await db.execute(
        "UPDATE project SET hide_users_layers = $2, hide_admins_layers = $3 WHERE id = $1",
        grid.project,
        users,
        admins,
    )
    found = await listing(client, bob, image=grid.image)
    assert found["size"] == bob_sees


async def test_managers_see_every_layer_of_a_project_hiding_them(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    await db.execute("UPDATE project SET hide_users_layers = true WHERE id = $1", grid.project)
    found = await listing(client, alice, image=grid.image)
    assert found["size"] == 9


async def test_keyset_pages_walk_the_whole_list_newest_first(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    seen: list[int] = []
    page = await listing(client, alice, image=grid.image, max=4)
    seen += [item["id"] for item in page["collection"]]
    while True:
        page = await listing(client, alice, image=grid.image, max=4, afterId=seen[-1])
        seen += [item["id"] for item in page["collection"]]
        assert page["size"] == page["perPage"] == len(page["collection"])
        if len(page["collection"]) < 4:
            break
    assert seen == sorted(grid.ids, reverse=True)


async def test_keyset_page_walks_the_primary_key_instead_of_counting(
    db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    await db.execute(
        "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
        " SELECT $1, $2, $3, $4, ST_Buffer(ST_MakePoint(g % 1000, g / 100), 3)"
        " FROM generate_series(1, 20000) AS g",
        grid.image,
        grid.slice,
        grid.project,
        alice.id,
    )
    await db.execute("ANALYZE annotation")
    me = Principal(id=alice.id, username=alice.username, rank=2)
    query = parse_query({"project": str(grid.project), "max": "100", "afterId": str(2**40)})
    statement, values = arguments(me, query)
    plan = "\n".join(row[0] for row in await db.fetch("EXPLAIN " + statement, *values))
    assert "Index Scan Backward using annotation_pkey" in plan, plan


async def test_search_body_takes_json_numbers_lists_and_booleans(
    client: AsyncTestClient, alice: NewAccount, grid: Grid
) -> None:
    body = {"images": [grid.image], "showWKT": 1, "showDefault": True, "noTerm": 1, "max": 2}
    r = await client.post("/api/annotation/search.json", json=body, auth=auth(alice))
    assert_status(r, 200)
    found = r.json()
    assert (found["size"], len(found["collection"])) == (6, 2)
    assert {"location", "created", "term"} <= set(found["collection"][0])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"image": "1", "bbox": "0,0,9,9", "term": "3"},
            listing_sql.ANNOTATION_LIST_BBOX_VIEWER,
        ),
        (
            {"image": "1", "bbox": "0,0,9,9", "showWKT": "true", "showGIS": "true"},
            listing_sql.ANNOTATION_LIST_BBOX_VIEWER,
        ),
        (
            {"image": "1", "bbox": "0,0,9,9", "showUser": "true"},
            listing_sql.ANNOTATION_LIST_BBOX,
        ),
        ({"project": "1", "term": "3"}, listing_sql.ANNOTATION_LIST_BY_TERM),
        ({"project": "1", "term": "3", "noTerm": "true"}, listing_sql.ANNOTATION_LIST),
        ({"project": "1", "bbox": "0,0,9,9"}, listing_sql.ANNOTATION_LIST),
    ],
)
def test_each_request_picks_its_shape(params: dict[str, str], expected: object) -> None:
    assert shape(parse_query(params)) is expected


VIEWER = {"image": "1", "bbox": "0,0,9,9", "showWKT": "true", "showGIS": "true"}


@pytest.mark.parametrize(
    ("params", "held"),
    [
        (VIEWER, {"visible"}),
        (VIEWER | {"user": "4", "term": "3"}, {"visible", "users", "terms"}),
        (VIEWER | {"noTerm": "true", "afterId": "9"}, {"visible", "terms", "after_id"}),
        (VIEWER | {"usersForTerm": "4"}, {"visible", "terms"}),
        ({"project": "1", "tag": "2"}, {"visible", "project", "tags"}),
        ({"project": "1", "noTag": "true"}, {"visible", "project", "tags"}),
        ({"project": "1", "track": "5"}, {"visible", "project", "tracks", "page_ranked"}),
    ],
)
def test_a_request_statement_holds_only_the_filters_it_uses(
    params: dict[str, str], held: set[str]
) -> None:
    me = Principal(id=1, username="alice", rank=2)
    text = arguments(me, parse_query(params))[0]
    header = text.split("\n", 1)[0]
    used = {f.removesuffix(".sql") for f in header.split("composed from ")[1].split(", ")}
    assert used & {*FILTERS, "visible", "page_ranked"} == held


def test_a_request_statement_is_composed_once_and_kept() -> None:
    me = Principal(id=1, username="alice", rank=2)
    query = parse_query(VIEWER | {"user": "4"})
    named = values(me, query, None)
    first = listing_sql.ANNOTATION_LIST_BBOX_VIEWER.statement(named)
    assert listing_sql.ANNOTATION_LIST_BBOX_VIEWER.statement(dict(named)) is first
    assert len(first.text) < len(listing_sql.ANNOTATION_LIST_BBOX_VIEWER.full.text)


# Rows of the grid a filter leaves out when each parameter it declares is NULL (false for flags).
ABSENT_PROBE = """SELECT count(*)
FROM annotation AS a
CROSS JOIN (SELECT annotation_class($kind) AS class) AS g
WHERE a.kind = $kind AND NOT coalesce((
    /*filters*/
), false)
"""


@pytest.mark.parametrize("stem", sorted(FILTERS))
async def test_every_filter_holds_for_every_row_when_its_parameters_are_absent(
    db: asyncpg.Connection, grid: Grid, stem: str
) -> None:
    # What lets a request's statement leave out the filters it does not use.
    skeleton = Fragment(path="probe", sql=ABSENT_PROBE, types={"kind": "text"})
    statement = compose(stem, skeleton, {"filters": [FILTERS[stem]]})
    absent = {p: False if t == "boolean" else None for p, t in FILTERS[stem].types.items()}
    assert await db.fetchval(statement.text, *statement.bind({**absent, "kind": "user"})) == 0
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE kind = 'user'") == len(grid.ids)


# A given value of each kind of wired filter, and what the query holds for it.
SAMPLES: dict[Any, tuple[str, Any]] = {
    list[int] | None: ("7,3", [3, 7]),
    int | None: ("7", 7),
    bool: ("true", True),
}


@pytest.mark.parametrize(
    ("field", "name"),
    [(f, n) for f, (_, names) in wired(AnnotationQuery).items() for n in names],
)
def test_every_wired_filter_is_read_from_each_of_its_parameters(field: str, name: str) -> None:
    # The parser has no entry per filter: the field's wire metadata is all it reads.
    given, expected = SAMPLES[wired(AnnotationQuery)[field][0]]
    assert getattr(parse_query({name: given}), field) == expected


# Wired filters not bound by a fragment: the kind of listing, and jobs resolved to their user
# jobs before the statement runs (annotation_job_filters).
UNBOUND = {"reviewed", "algo", "job", "job_for_term_algo"}


def test_every_wired_filter_is_bound_by_every_listing_statement() -> None:
    for statement in listing_sql.STATEMENTS:
        unbound = set(wired(AnnotationQuery)) - set(statement.names) - UNBOUND
        if statement is listing_sql.ANNOTATION_LIST_BY_TERM:
            unbound -= {"terms"}  # its source takes the place of the terms filter
        assert unbound == set(), statement.name


def test_a_filter_refers_to_a_kind_of_object_the_reference_check_knows() -> None:
    with pytest.raises(ValueError, match="not 'images'"):
        wire("images", refers="images")


class Picked(AnnotationQuery, frozen=True, kw_only=True):
    """The listing query with a made-up filter."""

    picks: Annotated[list[int] | None, wire("pick", "picks", refers="annotation")] = None


PICKS = """-- A made-up filter: only these annotations.
-- $picks bigint[]

($picks IS NULL OR a.id = ANY($picks))
"""


async def test_a_made_up_filter_is_one_wired_field_and_one_fragment(
    tmp_path: Path, db: asyncpg.Connection, alice: NewAccount, grid: Grid
) -> None:
    (tmp_path / "picks.sql").write_text(PICKS, encoding="utf-8")
    probe = listing_sql.Listing(
        "probe", ("images",), materialized=False, extra=(read(tmp_path / "picks.sql"),)
    )
    me = Principal(id=alice.id, username=alice.username, rank=2)

    async def listed(**params: str) -> set[int]:
        query = parse_query({"project": str(grid.project), **params}, into=Picked)
        named = values(me, query, None)
        statement = probe.statement(named)
        rows = await db.fetch(statement.text, *statement.bind(named))
        items = [row["items"] for row in rows if row["items"] is not None]
        return {item["id"] for item in json.loads(b"[" + b",".join(items) + b"]")}

    assert await listed() == set(grid.ids)
    assert await listed(pick=f"{grid.ids[4]},{grid.ids[0]}") == {grid.ids[0], grid.ids[4]}
    assert await listed(picks=str(grid.ids[8]), noTerm="true") == set()
    assert await listed(picks=str(grid.ids[1]), noTerm="true") == {grid.ids[1]}
    # The ids it names are checked like every listing's (404 here, 403 for a foreign one).
    missing = parse_query({"pick": str(max(grid.ids) + 100)}, into=Picked)
    with pytest.raises(NotFound):
        await check_references(db, me, missing)

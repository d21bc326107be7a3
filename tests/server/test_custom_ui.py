"""Custom UI: the Web UI's visibility map, per role and per project, and project overrides."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.catalog_helpers import add_member
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

GLOBAL_KEYS = {
    "dashboard",
    "search",
    "project",
    "ontology",
    "storage",
    "software",
    "activity",
    "admin",
    "help",
    "feedback",
    "explore",
}


@pytest.fixture
async def project(client: AsyncTestClient, alice: NewAccount, bob: NewAccount) -> int:
    """Alice manages it, Bob contributes."""
    created = await make_project(client, alice)
    await add_member(client, alice, created["id"], bob)
    return int(created["id"])


async def _config(client: AsyncTestClient, who: NewAccount, project: int | None = None) -> Any:
    query = "" if project is None else f"?project={project}"
    r = await client.get(f"/api/custom-ui/config.json{query}", auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()


async def _save(client: AsyncTestClient, who: NewAccount, project: int, body: Any) -> Any:
    return await client.post(f"/api/custom-ui/project/{project}.json", json=body, auth=auth(who))


async def test_without_a_project_the_map_has_the_global_keys_by_role(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, admin: NewAccount
) -> None:
    user, visitor, boss = (
        await _config(client, alice),
        await _config(client, guest),
        await _config(client, admin),
    )
    assert set(user) == set(visitor) == set(boss) == GLOBAL_KEYS
    assert (user["dashboard"], user["storage"], user["search"], user["admin"]) == (
        True,
        True,
        False,
        False,
    )
    assert (visitor["project"], visitor["storage"], visitor["explore"]) == (True, False, False)
    assert all(boss.values())


async def test_an_admin_with_the_admin_session_closed_loses_the_admin_keys(
    client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount
) -> None:
    await db.execute("UPDATE sec_user SET admin_session = false WHERE id = $1", admin.id)
    found = await _config(client, admin)
    assert (found["admin"], found["search"], found["storage"]) == (False, False, True)


async def test_with_a_project_the_map_adds_every_project_key(
    client: AsyncTestClient, alice: NewAccount, project: int
) -> None:
    found = await _config(client, alice, project)
    assert set(found) > GLOBAL_KEYS
    assert len(found) == len(GLOBAL_KEYS) + 82
    assert all(isinstance(v, bool) for v in found.values())
    for key in ("project-images-tab", "project-tools-link", "project-explore-color-manipulation"):
        assert key in found


async def test_managers_and_contributors_get_their_own_defaults(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, project: int
) -> None:
    manager = await _config(client, alice, project)
    contributor = await _config(client, bob, project)
    assert manager["project-configuration-tab"] is True
    assert contributor["project-configuration-tab"] is False
    assert (manager["project-jobs-tab"], contributor["project-jobs-tab"]) == (False, False)
    assert contributor["project-tools-polygon"] is True


async def test_an_admin_sees_every_project_key(
    client: AsyncTestClient, admin: NewAccount, project: int
) -> None:
    found = await _config(client, admin, project)
    assert found["project-jobs-tab"] is True
    assert all(found.values())


async def test_an_outsider_cannot_read_a_project_map(
    client: AsyncTestClient, guest: NewAccount, project: int
) -> None:
    r = await client.get(f"/api/custom-ui/config.json?project={project}", auth=auth(guest))
    assert_status(r, 403)


@pytest.mark.parametrize("query", ["?project=0", "?project=999999999"])
async def test_no_or_an_unknown_project_gives_the_global_keys(
    client: AsyncTestClient, alice: NewAccount, query: str
) -> None:
    r = await client.get(f"/api/custom-ui/config.json{query}", auth=auth(alice))
    assert_status(r, 200)
    assert set(r.json()) == GLOBAL_KEYS


async def test_a_project_id_must_be_a_number(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/custom-ui/config.json?project=abc", auth=auth(alice))
    assert_status(r, 400)
    assert "errors" in r.json()


async def test_the_map_needs_credentials(client: AsyncTestClient) -> None:
    assert (await client.get("/api/custom-ui/config.json")).status_code == 401


async def test_members_read_the_project_settings_with_both_roles(
    client: AsyncTestClient, bob: NewAccount, project: int
) -> None:
    r = await client.get(f"/api/custom-ui/project/{project}.json", auth=auth(bob))
    assert_status(r, 200)
    found = r.json()
    assert len(found) == 82
    assert found["project-activities-tab"] == {"ADMIN_PROJECT": True, "CONTRIBUTOR_PROJECT": False}


@pytest.mark.parametrize("who", ["guest", "nobody"])
async def test_project_settings_are_refused_to_outsiders_and_missing_projects(
    client: AsyncTestClient, guest: NewAccount, project: int, who: str
) -> None:
    target = project if who == "guest" else 999999999
    r = await client.get(f"/api/custom-ui/project/{target}.json", auth=auth(guest))
    assert r.status_code == (403 if who == "guest" else 404)


async def test_a_manager_hides_a_tab_from_contributors(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, project: int
) -> None:
    settings = (await client.get(f"/api/custom-ui/project/{project}.json", auth=auth(alice))).json()
    settings["project-annotations-tab"]["CONTRIBUTOR_PROJECT"] = False
    r = await _save(client, alice, project, settings)
    assert r.status_code == 200, r.text
    assert r.json()["project-annotations-tab"] == {
        "ADMIN_PROJECT": True,
        "CONTRIBUTOR_PROJECT": False,
    }
    assert (await _config(client, bob, project))["project-annotations-tab"] is False
    assert (await _config(client, alice, project))["project-annotations-tab"] is True


async def test_keys_left_out_of_a_save_fall_back_to_the_defaults(
    client: AsyncTestClient, alice: NewAccount, project: int
) -> None:
    off = {"ADMIN_PROJECT": False, "CONTRIBUTOR_PROJECT": False}
    await _save(client, alice, project, {"project-images-tab": off})
    r = await _save(client, alice, project, {"project-report-tab": off})
    found = r.json()
    assert found["project-report-tab"] == off
    assert found["project-images-tab"] == {"ADMIN_PROJECT": True, "CONTRIBUTOR_PROJECT": True}


async def test_an_admin_may_save_project_settings(
    client: AsyncTestClient, admin: NewAccount, project: int
) -> None:
    off = {"ADMIN_PROJECT": False, "CONTRIBUTOR_PROJECT": True}
    assert (await _save(client, admin, project, {"project-images-tab": off})).status_code == 200


@pytest.mark.parametrize("who", ["bob", "guest"])
async def test_contributors_and_outsiders_cannot_save(
    client: AsyncTestClient, bob: NewAccount, guest: NewAccount, project: int, who: str
) -> None:
    account = bob if who == "bob" else guest
    body = {"project-images-tab": {"ADMIN_PROJECT": False, "CONTRIBUTOR_PROJECT": False}}
    assert (await _save(client, account, project, body)).status_code == 403


async def test_saving_on_a_missing_project_is_not_found(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    assert (await _save(client, admin, 999999999, {})).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"no-such-key": {"ADMIN_PROJECT": True, "CONTRIBUTOR_PROJECT": True}},
        {"project-images-tab": True},
        {"project-images-tab": {"ADMIN_PROJECT": True}},
        {"project-images-tab": {"ADMIN_PROJECT": "yes", "CONTRIBUTOR_PROJECT": True}},
    ],
)
async def test_a_bad_save_is_refused_and_changes_nothing(
    client: AsyncTestClient, alice: NewAccount, project: int, body: Any
) -> None:
    r = await _save(client, alice, project, body)
    assert_status(r, 400)
    assert "message" in r.json()["errors"]
    found = (await client.get(f"/api/custom-ui/project/{project}.json", auth=auth(alice))).json()
    assert found["project-images-tab"] == {"ADMIN_PROJECT": True, "CONTRIBUTOR_PROJECT": True}


async def test_a_body_that_is_not_json_is_refused(
    client: AsyncTestClient, alice: NewAccount, project: int
) -> None:
    r = await client.post(
        f"/api/custom-ui/project/{project}.json", content=b"{oops", auth=auth(alice)
    )
    assert_status(r, 400)


async def test_the_routes_also_answer_without_api_as_the_js_client_asks(
    client: AsyncTestClient, alice: NewAccount, project: int
) -> None:
    found = await client.get(f"/custom-ui/config.json?project={project}", auth=auth(alice))
    settings = await client.get(f"/custom-ui/project/{project}.json", auth=auth(alice))
    assert (found.status_code, settings.status_code) == (200, 200)
    assert found.json() == await _config(client, alice, project)
    assert len(settings.json()) == 82

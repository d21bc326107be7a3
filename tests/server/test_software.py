"""Software, its parameters, the projects offering it and trusted sources."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

COMMAND = "python run.py [CYTOMINE_HOST] [THRESHOLD]"


async def _software(
    client: AsyncTestClient, who: NewAccount, name: str = "Detect", **fields: Any
) -> Any:
    return await client.post("/api/software.json", json={"name": name, **fields}, auth=auth(who))


async def _parameter(
    client: AsyncTestClient, who: NewAccount, software: int, name: str, **fields: Any
) -> Any:
    body = {"software": software, "name": name, "type": "Number", **fields}
    return await client.post("/api/software_parameter.json", json=body, auth=auth(who))


async def test_a_registered_software_answers_in_cytomine_shape(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    r = await _software(client, admin, softwareVersion="1.2", executeCommand=COMMAND)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["software"], c.Software)
    assert (obj.class_, obj.full_name, obj.executable, obj.parameters) == (
        "be.cytomine.processing.Software",
        "Detect (1.2)",
        True,
        [],
    )
    assert (obj.execute_command, obj.deprecated, obj.number_of_job) == (COMMAND, False, 0)
    assert r.json()["callback"]["method"] == "be.cytomine.AddSoftwareCommand"


async def test_a_user_registers_software_without_a_command_only(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    plain = await _software(client, alice)
    assert plain.status_code == 200, plain.text
    assert plain.json()["software"]["executable"] is False
    refused = await _software(client, alice, name="Other", executeCommand="rm -rf /")
    assert_status(refused, 403)
    assert "admin" in refused.json()["errors"]["message"]


async def test_a_creator_cannot_give_its_software_a_command(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    sid = (await _software(client, alice)).json()["software"]["id"]
    url = f"/api/software/{sid}.json"
    renamed = await client.put(url, json={"name": "Detect2"}, auth=auth(alice))
    assert renamed.json()["software"]["fullName"] == "Detect2"
    r = await client.put(url, json={"name": "Detect2", "executeCommand": "sh"}, auth=auth(alice))
    assert_status(r, 403)


async def test_name_and_version_are_unique(client: AsyncTestClient, admin: NewAccount) -> None:
    assert (await _software(client, admin, softwareVersion="1")).status_code == 200
    again = await _software(client, admin, softwareVersion="1")
    assert_status(again, 409)
    assert (await _software(client, admin, softwareVersion="2")).status_code == 200


async def test_an_empty_name_is_refused(client: AsyncTestClient, admin: NewAccount) -> None:
    r = await _software(client, admin, name=" ")
    assert_status(r, 400)
    assert r.json()["errors"]["message"] == "Software name must not be empty"


async def test_a_new_version_joins_the_old_ones_projects_and_deprecates_it(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    project = await make_project(client, admin)
    old = (await _software(client, admin, softwareVersion="1.0")).json()["software"]["id"]
    link = {"software": old, "project": project["id"]}
    assert (await client.post("/api/softwareproject.json", json=link, auth=auth(admin))).is_success
    new = (await _software(client, admin, softwareVersion="1.1")).json()["software"]["id"]
    listed = await client.get(f"/api/project/{project['id']}/software.json", auth=auth(admin))
    assert sorted(s["id"] for s in listed.json()["collection"]) == sorted([old, new])
    old_now = (await client.get(f"/api/software/{old}.json", auth=auth(admin))).json()
    assert old_now["deprecated"] is True


async def test_executable_only_hides_software_without_a_command(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    await _software(client, admin, name="Runs", executeCommand=COMMAND)
    await _software(client, admin, name="Idle")
    r = await client.get("/api/software.json?executableOnly=true", auth=auth(admin))
    assert [s["name"] for s in r.json()["collection"]] == ["Runs"]
    everything = await client.get("/api/software.json", auth=auth(admin))
    assert everything.json()["size"] == 2


async def test_parameters_take_cytomine_defaults(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    r = await _parameter(client, admin, sid, "threshold", defaultValue="0.5", required=True)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["softwareparameter"], c.SoftwareParameter)
    assert (obj.default_param_value, obj.value_key, obj.human_name, obj.index) == (
        "0.5",
        "[THRESHOLD]",
        "threshold",
        0,
    )
    assert (obj.required, obj.set_by_server, obj.software) == (True, False, sid)
    second = (await _parameter(client, admin, sid, "radius")).json()["softwareparameter"]
    assert second["index"] == 1


async def test_a_software_lists_its_parameters_by_index_without_server_ones(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    await _parameter(client, admin, sid, "late", index=5)
    await _parameter(client, admin, sid, "host", type="String", setByServer=True, index=0)
    await _parameter(client, admin, sid, "early", index=1)
    for spelling in ("parameter", "software_parameter"):
        url = f"/api/software/{sid}/{spelling}.json"
        names = [p["name"] for p in (await client.get(url, auth=auth(admin))).json()["collection"]]
        assert names == ["early", "late"]
    url = f"/api/software/{sid}/parameter.json?withSetByServer=true"
    names = [p["name"] for p in (await client.get(url, auth=auth(admin))).json()["collection"]]
    assert names == ["host", "early", "late"]
    embedded = (await client.get(f"/api/software/{sid}.json", auth=auth(admin))).json()
    assert [p["name"] for p in embedded["parameters"]] == ["early", "late"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"type": "Image"}, 400),
        ({"software": None}, 400),
        ({"name": ""}, 400),
        ({"software": 999999}, 404),
    ],
)
async def test_bad_parameters_are_refused(
    client: AsyncTestClient, admin: NewAccount, body: dict[str, Any], status: int
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    r = await client.post(
        "/api/software_parameter.json",
        json={"software": sid, "name": "p", "type": "Number", **body},
        auth=auth(admin),
    )
    assert r.status_code == status, r.text
    listed = await client.get(f"/api/software/{sid}/parameter.json", auth=auth(admin))
    assert listed.json()["size"] == 0


async def test_a_parameter_name_is_unique_per_software(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    await _parameter(client, admin, sid, "p")
    assert (await _parameter(client, admin, sid, "p")).status_code == 409


async def test_a_parameter_is_read_changed_and_deleted_under_both_spellings(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    pid = (await _parameter(client, admin, sid, "p")).json()["softwareparameter"]["id"]
    legacy = f"/api/softwareparameter/{pid}.json"
    assert (await client.get(legacy, auth=auth(admin))).json()["name"] == "p"
    body = {"software": sid, "name": "p", "type": "String", "commandLineFlag": "--p"}
    changed = await client.put(f"/api/software_parameter/{pid}.json", json=body, auth=auth(admin))
    assert (
        changed.json()["softwareparameter"]["type"],
        changed.json()["softwareparameter"]["commandLineFlag"],
    ) == ("String", "--p")
    assert (await client.delete(legacy, auth=auth(admin))).status_code == 200
    assert (await client.get(legacy, auth=auth(admin))).status_code == 404


async def test_deleting_a_software_takes_its_parameters_and_links(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    project = await make_project(client, admin)
    sid = (await _software(client, admin)).json()["software"]["id"]
    pid = (await _parameter(client, admin, sid, "p")).json()["softwareparameter"]["id"]
    link = {"software": sid, "project": project["id"]}
    lid = (await client.post("/api/softwareproject.json", json=link, auth=auth(admin))).json()
    r = await client.delete(f"/api/software/{sid}.json", auth=auth(admin))
    assert_status(r, 200)
    assert r.json()["software"]["id"] == sid
    for url in (
        f"/api/software/{sid}.json",
        f"/api/software_parameter/{pid}.json",
        f"/api/softwareproject/{lid['softwareproject']['id']}.json",
    ):
        assert (await client.get(url, auth=auth(admin))).status_code == 404


async def test_software_project_links_list_from_both_sides(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    project = await make_project(client, admin)
    sid = (await _software(client, admin, softwareVersion="3")).json()["software"]["id"]
    body = {"software": sid, "project": project["id"]}
    created = await client.post("/api/softwareproject.json", json=body, auth=auth(admin))
    assert created.status_code == 200, created.text
    link = msgspec.convert(created.json()["softwareproject"], c.SoftwareProject)
    assert (link.name, link.full_name, link.project, link.software) == (
        "Detect",
        "Detect (3)",
        project["id"],
        sid,
    )
    again = await client.post("/api/softwareproject.json", json=body, auth=auth(admin))
    assert_status(again, 409)
    by_project = await client.get(
        f"/api/project/{project['id']}/softwareproject.json", auth=auth(admin)
    )
    assert [x["id"] for x in by_project.json()["collection"]] == [link.id]
    projects = await client.get(f"/api/software/{sid}/project.json", auth=auth(admin))
    assert [p["id"] for p in projects.json()["collection"]] == [project["id"]]
    everything = await client.get("/api/softwareproject.json", auth=auth(admin))
    assert [x["id"] for x in everything.json()["collection"]] == [link.id]


async def test_a_link_needs_an_existing_software(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    project = await make_project(client, admin)
    body = {"software": 987654, "project": project["id"]}
    r = await client.post("/api/softwareproject.json", json=body, auth=auth(admin))
    assert_status(r, 400)
    missing = await client.post("/api/softwareproject.json", json={"software": 1}, auth=auth(admin))
    assert_status(missing, 400)


async def test_stats_count_a_softwares_jobs_in_a_project(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    project = await make_project(client, admin)
    sid = (await _software(client, admin)).json()["software"]["id"]
    r = await client.get(
        f"/api/project/{project['id']}/software/{sid}/stats.json", auth=auth(admin)
    )
    assert_status(r, 200)
    assert set(r.json()) == {
        "numberOfJob",
        "numberOfNotLaunch",
        "numberOfInQueue",
        "numberOfRunning",
        "numberOfSuccess",
        "numberOfFailed",
        "numberOfIndeterminate",
        "numberOfWait",
    }
    unknown = await client.get(
        f"/api/project/{project['id']}/software/424242/stats.json", auth=auth(admin)
    )
    assert_status(unknown, 404)


async def test_a_source_package_is_uploaded_and_downloaded(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    files = {"files[]": ("detect.zip", b"PK\x03\x04 package bytes", "application/zip")}
    r = await client.post(
        "/api/software/upload?name=Packaged&softwareVersion=0.1", files=files, auth=auth(admin)
    )
    assert r.status_code == 200, r.text
    created = r.json()["software"]
    assert (created["fullName"], created["sourcePath"]) == (
        "Packaged (0.1)",
        f"software/{created['id']}/detect.zip",
    )
    got = await client.get(f"/api/software/{created['id']}/download", auth=auth(admin))
    assert (got.status_code, got.content) == (200, b"PK\x03\x04 package bytes")
    plain = (await _software(client, admin, name="NoSource")).json()["software"]["id"]
    none = await client.get(f"/api/software/{plain}/download", auth=auth(admin))
    assert_status(none, 404)


async def test_an_upload_without_a_file_registers_nothing(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    r = await client.post(
        "/api/software/upload?name=Packaged", files={"other": ("x", b"x")}, auth=auth(admin)
    )
    assert_status(r, 400)
    assert (await client.get("/api/software.json", auth=auth(admin))).json()["size"] == 0


async def test_trusted_sources_are_managed_and_list_their_software(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    body = {"provider": "github", "username": "neubias-wg5", "dockerUsername": "neubiaswg5"}
    r = await client.post("/api/software_user_repository.json", json=body, auth=auth(admin))
    assert r.status_code == 200, r.text
    source = msgspec.convert(r.json()["softwareuserrepository"], c.SoftwareUserRepository)
    assert (source.class_, source.docker_username, source.prefix) == (
        "be.cytomine.domain.processing.SoftwareUserRepository",
        "neubiaswg5",
        None,
    )
    await _software(client, admin, softwareVersion="1", softwareUserRepository=source.id)
    await _software(client, admin, softwareVersion="2", softwareUserRepository=source.id)
    listed = await client.get(
        f"/api/software_user_repository/{source.id}/software.json", auth=auth(admin)
    )
    assert [s["softwareVersion"] for s in listed.json()["collection"]] == ["2"]
    url = f"/api/software_user_repository/{source.id}.json"
    changed = await client.put(url, json={**body, "prefix": "W_"}, auth=auth(admin))
    assert changed.json()["softwareuserrepository"]["prefix"] == "W_"
    refresh = await client.get(
        f"/api/software_user_repository/{source.id}/refresh.json", auth=auth(admin)
    )
    assert "message" in refresh.json()
    assert (await client.delete(url, auth=auth(admin))).status_code == 200
    everything = (await client.get("/api/software.json", auth=auth(admin))).json()["collection"]
    assert [s["softwareUserRepository"] for s in everything] == [None, None]


async def test_a_trusted_source_needs_its_accounts(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    r = await client.post(
        "/api/software_user_repository.json", json={"provider": "github"}, auth=auth(admin)
    )
    assert_status(r, 400)
    assert r.json()["errorValues"]["missing"] == ["username", "dockerUsername"]


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ({"defaultValue": 0.5}, "0.5"),
        ({"defaultParamValue": True}, "true"),
        ({"defaultValue": "", "defaultParamValue": "x"}, "x"),
        ({"defaultValue": ""}, None),
    ],
)
async def test_parameter_defaults_are_kept_as_text(
    client: AsyncTestClient, admin: NewAccount, body: dict[str, Any], stored: str | None
) -> None:
    sid = (await _software(client, admin)).json()["software"]["id"]
    r = await _parameter(client, admin, sid, "p", **body)
    assert r.status_code == 200, r.text
    assert r.json()["softwareparameter"]["defaultParamValue"] == stored

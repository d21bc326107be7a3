"""The generic list mechanism: paging, sorting and field[op] filters bound as values."""

from __future__ import annotations

import asyncpg
import pytest

from contracts import _generated as c
from contracts.errors import Invalid
from server.db import queries as q
from server.db.listing import compile_list, fetch_page
from server.db.store.accounts import create_account
from server.http.list_params import parse_query

pytestmark = [pytest.mark.anyio]


def test_js_client_double_encoded_filter_keys_are_understood() -> None:
    params = parse_query("max=10&name%255Bilike%255D=acc%2520js")
    assert params.max == 10
    assert params.filters == (("name", "ilike", "acc js"),)


def test_filter_values_are_bound_not_written_into_the_path() -> None:
    compiled = compile_list(parse_query("id[in]=1,2&enabled[equals]=true"), c.User)
    assert compiled.path == '$ ? ((@."id" == $v0 || @."id" == $v1) && (@."enabled" == $v2))'
    assert compiled.variables == '{"v0":1,"v1":2,"v2":true}'


def test_null_in_an_in_filter_means_no_value() -> None:
    compiled = compile_list(parse_query("id[in]=null,3"), c.User)
    assert compiled.path == '$ ? ((@."id" == null || @."id" == $v0))'
    assert compiled.variables == '{"v0":3}'


@pytest.mark.parametrize(
    "query", ["nope[equals]=1", "id[between]=1", "sort=nope", "order=up", "id[gte]=x", "max=-1"]
)
def test_bad_list_parameters_are_refused(query: str) -> None:
    with pytest.raises(Invalid):
        compile_list(parse_query(query), c.User)


@pytest.fixture
async def users(db: asyncpg.Connection) -> asyncpg.Connection:
    for name in ("ann", "Bea", "cy", "dan", "Eve"):
        await create_account(db, username=name)
    return db


@pytest.mark.pg
async def test_pages_are_stable_and_sized(users: asyncpg.Connection) -> None:
    first = await fetch_page(
        users, q.USER_LIST, parse_query("max=2&sort=username&order=asc"), c.User
    )
    last = await fetch_page(
        users, q.USER_LIST, parse_query("max=2&offset=4&sort=username&order=asc"), c.User
    )
    assert [u.username for u in first.collection] == ["Bea", "Eve"]
    assert (first.size, first.total_pages, first.per_page) == (5, 3, 2)
    assert [u.username for u in last.collection] == ["dan"]


@pytest.mark.pg
async def test_ilike_filter_matches_case_insensitively(users: asyncpg.Connection) -> None:
    found = await fetch_page(users, q.USER_LIST, parse_query("username[ilike]=E"), c.User)
    assert sorted(u.username for u in found.collection) == ["Bea", "Eve"]


@pytest.mark.pg
async def test_like_filter_treats_regex_characters_literally(users: asyncpg.Connection) -> None:
    found = await fetch_page(users, q.USER_LIST, parse_query("username[like]=.*"), c.User)
    assert found.size == 0

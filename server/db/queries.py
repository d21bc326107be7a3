"""One constant per ``sql/*.sql`` file: a missing file fails at import, a typo fails in mypy."""

from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"


def _load(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


COMMAND_INSERT = _load("command_insert")
PRINCIPAL_BY_PUBLIC_KEY = _load("principal_by_public_key")
PRINCIPAL_BY_ID = _load("principal_by_id")
SIGNING_KEY_INSERT = _load("signing_key_insert")
SIGNING_KEY_LATEST = _load("signing_key_latest")
ACCOUNT_BY_USERNAME = _load("account_by_username")
ACCOUNT_COUNT = _load("account_count")
ACCOUNT_GRANT_ROLES_UP_TO = _load("account_grant_roles_up_to")
ACCOUNT_INSERT = _load("account_insert")
USER_CURRENT = _load("user_current")
USER_LIST = _load("user_list")

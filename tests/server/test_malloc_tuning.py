"""The serving process keeps freed memory unless the environment sets glibc's threshold."""

from __future__ import annotations

import platform

import pytest

from server import malloc_tuning


def test_glibc_keeps_freed_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc's malloc")
    for name in malloc_tuning.ENVIRONMENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert malloc_tuning.keep_freed_memory() is True


@pytest.mark.parametrize("name", malloc_tuning.ENVIRONMENT_SETTINGS)
def test_a_threshold_the_environment_sets_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "131072")
    assert malloc_tuning.keep_freed_memory() is False

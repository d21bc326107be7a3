"""Strong ETags from identifiers and conditional request matching."""

from __future__ import annotations

from tiling.etag import etag, matches


def test_the_same_parameters_give_the_same_tag() -> None:
    assert etag(7, 123, "tile", 3, 1, 2, "jpg") == etag(7, 123, "tile", 3, 1, 2, "jpg")


def test_a_new_file_version_changes_the_tag() -> None:
    assert etag(7, 123, "tile", 3) != etag(7, 124, "tile", 3)


def test_parameters_are_not_concatenated_ambiguously() -> None:
    assert etag(7, 1, "12", "3") != etag(7, 1, "1", "23")


def test_tags_are_strong_and_quoted() -> None:
    tag = etag(1, 1)
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")


def test_if_none_match_accepts_lists_weak_forms_and_star() -> None:
    tag = etag(1, 1)
    assert matches(f'"x", {tag}', tag)
    assert matches(f"W/{tag}", tag)
    assert matches("*", tag)
    assert not matches('"other"', tag)
    assert not matches(None, tag)

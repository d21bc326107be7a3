"""A job's command line: the descriptor's template with the values put in, never a shell."""

from __future__ import annotations

import pytest

from contracts.errors import Invalid
from server.runner.command import Input, build

SERVER = {
    "cytomine_host": "http://127.0.0.1:8000",
    "cytomine_public_key": "pub",
    "cytomine_private_key": "priv",
    "cytomine_id_project": "12",
    "cytomine_id_software": "34",
    "cytomine_id_job": "56",
}


def _input(name: str, value: str | None, **kw: str) -> Input:
    return Input(
        name=name,
        value_key=kw.get("value_key", f"[{name.upper()}]"),
        flag=kw.get("flag", f"--{name}"),
        value=value,
    )


def test_a_key_standing_alone_becomes_the_flag_and_the_value() -> None:
    argv = build("python algo.py [THRESHOLD]", [_input("threshold", "0.5")], {})
    assert argv == ["python", "algo.py", "--threshold", "0.5"]


def test_a_key_inside_a_word_becomes_the_value_only() -> None:
    argv = build("run --t=[THRESHOLD]", [_input("threshold", "0.5")], {})
    assert argv == ["run", "--t=0.5"]


def test_an_input_without_flag_gives_its_value_alone() -> None:
    argv = build("run [RADIUS]", [_input("radius", "3", flag="")], {})
    assert argv == ["run", "3"]


def test_an_optional_input_without_value_drops_its_key() -> None:
    argv = build("run [A] [B]", [_input("a", None), _input("b", "2")], {})
    assert argv == ["run", "--b", "2"]


def test_values_with_spaces_and_shell_characters_stay_one_argument() -> None:
    argv = build("run [NAME]", [_input("name", "a b; rm -rf /")], {})
    assert argv == ["run", "--name", "a b; rm -rf /"]


def test_the_server_fills_connection_inputs_whatever_the_job_says() -> None:
    declared = [_input("cytomine_host", "http://elsewhere"), _input("cytomine_id_project", "1")]
    argv = build("run [CYTOMINE_HOST] [CYTOMINE_ID_PROJECT]", declared, SERVER)
    assert argv == [
        "run",
        "--cytomine_host",
        SERVER["cytomine_host"],
        "--cytomine_id_project",
        "12",
    ]


def test_connection_keys_work_without_declared_inputs_with_the_flags_cytomine_job_reads() -> None:
    template = (
        "run [CYTOMINE_HOST] [CYTOMINE_PUBLIC_KEY] [CYTOMINE_PRIVATE_KEY]"
        " [CYTOMINE_ID_PROJECT] [CYTOMINE_ID_SOFTWARE] [CYTOMINE_ID_JOB]"
    )
    argv = build(template, [], SERVER)
    assert argv == [
        "run",
        *("--cytomine_host", "http://127.0.0.1:8000"),
        *("--cytomine_public_key", "pub", "--cytomine_private_key", "priv"),
        *("--cytomine_id_project", "12", "--cytomine_id_software", "34"),
        *("--cytomine_id_job", "56"),
    ]


def test_a_synonym_of_a_connection_input_gets_the_server_value() -> None:
    argv = build("run [HOST]", [_input("host", None)], SERVER)
    assert argv == ["run", "--host", "http://127.0.0.1:8000"]


def test_unknown_placeholders_stay_as_written() -> None:
    assert build("run [OTHER]", [], {}) == ["run", "[OTHER]"]


@pytest.mark.parametrize("template", ["", "   ", "run 'unbalanced"])
def test_a_template_that_cannot_run_is_refused(template: str) -> None:
    with pytest.raises(Invalid):
        build(template, [], {})

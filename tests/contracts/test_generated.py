"""The generated contracts are current, complete and usable."""

from __future__ import annotations

import msgspec
import pytest

from contracts import _generated as g
from contracts import codegen


def test_generated_contracts_are_current() -> None:
    expected = codegen.render(codegen.load_catalog())
    assert codegen.GENERATED.read_text(encoding="utf-8") == expected, (
        "stale: run `python -m contracts.codegen`"
    )


def test_every_catalog_domain_has_a_struct_and_an_input() -> None:
    for name in codegen.load_catalog()["domains"]:
        assert issubclass(getattr(g, name), msgspec.Struct)
        assert issubclass(getattr(g, f"{name}Input"), msgspec.Struct)


def test_wire_names_are_kept_and_python_names_are_snake_case() -> None:
    fields = {f.name: f.encode_name for f in msgspec.structs.fields(g.Project)}
    assert fields["class_"] == "class"
    assert fields["blind_mode"] == "blindMode"
    assert all(name == name.lower() for name in fields)


def test_read_only_fields_stay_out_of_input_types() -> None:
    names = {f.encode_name for f in msgspec.structs.fields(g.ProjectInput)}
    assert "name" in names
    assert not names & {"id", "class", "created", "numberOfImages"}


def test_input_types_ignore_unknown_fields_and_accept_nulls() -> None:
    body = b'{"name": "p", "ontology": null, "class_": "x", "numberOfImages": 3, "blindMode": null}'
    decoded = msgspec.json.decode(body, type=g.ProjectInput)
    assert decoded.name == "p"
    assert decoded.ontology is None


def test_catalog_list_example_decodes_into_the_domain_struct() -> None:
    example = codegen.load_catalog()["conventions"]["list_response"]["example"]
    raw = msgspec.json.encode(example["collection"])
    terms = msgspec.json.decode(raw, type=list[g.Term])
    assert msgspec.json.decode(msgspec.json.encode(terms)) == example["collection"]


def test_catalog_envelope_example_keeps_its_shape() -> None:
    example = codegen.load_catalog()["conventions"]["create_update_delete"]["example"]
    assert set(example) >= {"message", "callback", "printMessage", "command"}
    assert g.UserAnnotation.ENVELOPE_KEY in example


def test_json_schema_covers_every_generated_type() -> None:
    types = [getattr(g, n) for n in g.__all__ if n not in {"ENDPOINTS", "Endpoint"}]
    schemas, components = msgspec.json.schema_components(types)
    assert len(schemas) == len(types)
    assert "Project" in components


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("blindMode", "blind_mode"),
        ("class", "class_"),
        ("cropURL", "crop_url"),
        ("CLASSNAME", "classname"),
        ("zStack", "z_stack"),
    ],
)
def test_snake_case_names(wire: str, python: str) -> None:
    assert codegen.snake(wire) == python


def test_endpoint_table_has_unique_operation_ids() -> None:
    ids = [e.operation_id for e in g.ENDPOINTS]
    assert len(ids) == len(set(ids)) == len(codegen.load_catalog_endpoints())

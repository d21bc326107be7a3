"""Every route of the application, its path parameters filled from a ``Scene``.

The cases come from the route table itself, so a new route is covered without an edit here:
a parameter is filled by its name (with the resource segment before it where one name means
several kinds of object), and a route whose parameters cannot be filled is returned as a
skipped case with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec
from litestar import Litestar

from tests.faults.scene import PROJECT_CLASS, Scene

_PARAM = re.compile(r"\{(\w+):(\w+)\}")
# Methods the matrix calls; OPTIONS and HEAD are answered by the framework for every route.
METHODS = ("GET", "POST", "PUT", "DELETE")

# (parameter name, resource segment before it) -> scene key; the segment "" matches any.
_BY_CONTEXT: dict[tuple[str, str], str] = {
    ("image_id", "abstractimage"): "abstract_image",
    ("image_id", ""): "image",
    ("instance_id", ""): "image",
    ("slice_id", "abstractslice"): "abstract_slice",
    ("slice_id", ""): "slice",
    ("ident", "project"): "project",
    ("ident", "annotation"): "annotation",
    ("ident", "imageinstance"): "image",
    ("ident", "user"): "owner",
    ("ident", "defaultlayer"): "member",
    ("ident", "representative"): "owner",
    ("ident", ""): "project",  # /api/domain/{class}/{ident}: the class given is the project's
    ("domain_ident", ""): "project",
    ("project_id", ""): "project",
    ("annotation_id", "annotationtrack"): "annotation",
    ("annotation_id", ""): "annotation",
    ("annotation", ""): "annotation",
    ("user_id", ""): "owner",
    ("term_id", ""): "term",
    ("term1", ""): "term",
    ("term2", ""): "term2",
    ("ontology_id", ""): "ontology",
    ("group_id", "annotationgroup"): "annotation_group",
    ("group_id", "imagegroup"): "image_group",
    ("image_group_id", ""): "image_group",
    ("merged_id", ""): "annotation_group",
    ("property_id", ""): "property",
    ("association_id", ""): "association",
    ("track_id", ""): "track",
    ("tag_id", ""): "tag",
    ("file_id", "attachedfile"): "attached_file",
    ("uploaded_file_id", ""): "uploaded_file",
    ("storage_id", ""): "storage",
    ("comment_id", ""): "comment",
    ("command_id", ""): "command",
    ("job_id", ""): "job",
    ("link_id", "annotationlink"): "link",
    ("role_id", ""): "role",
    ("relation_id", ""): "relation",
    ("server_id", ""): "image_server",
}
# Objects that belong to no project (accounts, global lists): readable by any user.
_SHARED = {"owner", "member", "outsider", "tag", "role", "relation", "image_server"}
# Parameters that name no object: a fixed valid value.
_CONSTANTS: dict[str, str] = {
    "zoom": "0",
    "tx": "0",
    "ty": "0",
    "z": "0",
    "level": "0",
    "channel": "0",
    "z_stack": "0",
    "time": "0",
    "position": "1",
    "max_actions": "5",
    "ty_fmt": "0.jpg",
    "ti_fmt": "0.jpg",
    "label_fmt": "macro.png",
    "domain_class_name": PROJECT_CLASS,
    "domain": "project",
    "key": "k",
    "region": "full",
    "size": "max",
    "rotation": "0",
    "quality_format": "default.jpg",
    "path": "openapi.json",
}
# Parameters no fixture object stands for, with the reason.
_UNFILLED: dict[str, str] = {
    "token": "a signed-URL token (the token is the credential; covered by the signed URL tests)",
    "files": "a DeepZoom file name derived from a signed token",
    "tile": "a DeepZoom tile of a signed token",
}


class Case(msgspec.Struct, frozen=True):
    """One call of the matrix: method and concrete path, or the reason it is skipped."""

    method: str
    template: str
    path: str = ""
    skipped: str = ""
    # The path names an object of the scene's project.
    names_project_object: bool = False


def _context(path: str, start: int) -> str:
    before = [s for s in path[:start].split("/") if s and not s.startswith("{")]
    return before[-1] if before else ""


def _fill(path: str, scene: Scene, segment: str | None) -> tuple[str, str, bool]:
    """(concrete path, skip reason, names an object of the project)."""
    out, last, names = [], 0, False
    for match in _PARAM.finditer(path):
        name = match.group(1)
        out.append(path[last : match.start()])
        last = match.end()
        if match.group(2) == "str" and segment is not None:
            out.append(segment)
            continue
        context = _context(path, match.start())
        key = _BY_CONTEXT.get((name, context), _BY_CONTEXT.get((name, "")))
        if match.group(2) == "str" and name == "ident":
            key = None
        if key is not None and key in scene.ids:
            out.append(str(scene.ids[key]))
            names = names or key not in _SHARED
        elif name in _CONSTANTS:
            out.append(_CONSTANTS[name])
        elif name in ("public_key", "username") or (name, match.group(2)) == ("ident", "str"):
            out.append(scene.strings["owner_public_key" if name == "public_key" else "owner"])
        else:
            return "", _UNFILLED.get(name, f"no fixture object for {{{name}}}"), False
    out.append(path[last:])
    return "".join(out), "", names


def _segments(handler: object) -> list[str | None]:
    """Concrete whole-segment values a handler declares (``thumb.{}`` -> ``thumb.png``)."""
    shapes = getattr(handler, "opt", {}).get("segments", ())
    if not shapes:
        return [None]
    found: list[str | None] = []
    for shape in shapes:
        parts = shape.split("{}")
        filled = "".join(
            p + ("8" if i < len(parts) - 2 else "png") for i, p in enumerate(parts[:-1])
        )
        found.append(filled + parts[-1])
    return found


def cases(app: Litestar, scene: Scene) -> Iterator[Case]:
    """Every (method, route) of the app with its parameters filled, in route-table order."""
    for route in app.routes:
        handlers = getattr(route, "route_handler_map", {})
        for method in METHODS:
            if method not in handlers:
                continue
            handler, _ = handlers[method]
            for segment in _segments(handler):
                path, skipped, names = _fill(route.path, scene, segment)
                yield Case(
                    method=method,
                    template=route.path,
                    path=path,
                    skipped=skipped,
                    names_project_object=names,
                )

"""The OpenAPI document: no two distinct models or enums share a component name.

Ninja merges the components of every operation by name, so two schemas of the same name
in different routers silently replace each other in ``/api/openapi.json`` (the convention
version was documented with the plan version's statuses)."""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from sharaka.api import api


def _walk(annotation: Any, found: dict[str, set[type]], seen: set[Any]) -> None:
    if annotation in seen:
        return
    seen.add(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _walk(field.annotation, found, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found[annotation.__name__].add(annotation)
        return
    for arg in typing.get_args(annotation):
        _walk(arg, found, seen)


def _registered_models() -> dict[str, set[type]]:
    found: dict[str, set[type]] = defaultdict(set)
    seen: set[Any] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for params in operation.models:  # ninja's Body/Query/PathParams wrappers
                    for field in params.model_fields.values():
                        _walk(field.annotation, found, seen)
                for response in (operation.response_models or {}).values():
                    for field in getattr(response, "model_fields", {}).values():  # wrapper
                        _walk(field.annotation, found, seen)
    return found


def test_no_two_models_share_a_component_name() -> None:
    found = _registered_models()
    # the walk sees the schemas of every router (sanity check)
    assert {"OrganizationOut", "StaffOut", "MotionOut"} <= set(found)
    clashes = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in found.items()
        if len(classes) > 1
    }
    assert clashes == {}


def test_documented_enums_match_the_models() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name, classes in _registered_models().items():
        (cls,) = classes
        if issubclass(cls, enum.Enum) and name in schemas and "enum" in schemas[name]:
            assert set(schemas[name]["enum"]) == {m.value for m in cls}, name

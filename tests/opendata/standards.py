"""Validation against the published schemas in ``../shared/standards`` (nothing fetched):
Popolo (JSON Schema draft 3, ``$ref``s resolved to the local files) and IATI 2.03 (XSD)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from sharaka.opendata.popolo import dangling

STANDARDS = Path(__file__).resolve().parents[3] / "shared" / "standards"
if not STANDARDS.is_dir():  # a worktree beside /work/main, or the main checkout
    STANDARDS = Path("/work/shared/standards")
POPOLO = STANDARDS / "popolo"
IATI = STANDARDS / "iati-2.03" / "iati-activities-schema.xsd"
BASE = "http://www.popoloproject.com/schemas/"

#: The collection of a Popolo document and the schema of its items.
SCHEMAS = {
    "organizations": "organization", "persons": "person", "posts": "post",
    "memberships": "membership", "events": "event", "motions": "motion",
    "vote_events": "vote_event",
}  # fmt: skip


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(POPOLO.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT3)))
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> jsonschema.Draft3Validator:
    schema = json.loads((POPOLO / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft3Validator(
        schema, registry=_registry(), format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER
    )


def popolo_errors(document: dict[str, Any], *, resolve: bool = True) -> list[str]:
    """Every schema error of every item, and (with ``resolve``) every reference that names
    nothing in the document."""
    errors = []
    for collection, items in document.items():
        assert collection in SCHEMAS, collection
        for item in items:
            for error in _validator(SCHEMAS[collection]).iter_errors(item):
                errors.append(f"{collection} {item.get('id')}: {error.message}")
    if resolve:
        errors += [f"dangling {ref}" for ref in dangling(document)]
    return errors


@cache
def _iati() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI)))


def iati_errors(xml: bytes) -> list[str]:
    schema = _iati()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [str(error) for error in schema.error_log]

"""What the demo's base data set (``sharaka.demo``) hands to each app's ``demo.load``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sharaka.directory.models import Organization, Person
from sharaka.partnerships.models import Partnership


@dataclass(frozen=True)
class DemoContext:
    """What the base data set created, for the extensions to build on."""

    organizations: dict[str, Organization]
    people: dict[str, Person]  # by last name
    partnerships: dict[str, Partnership]  # by slug
    users: dict[str, Any]  # by username

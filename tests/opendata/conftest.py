"""The open-data tests read the demo (``complexe-sportif`` public and published as IATI,
``programme-emploi-jeunes`` in negotiation) or a small world of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sharaka import demo as demo_module
from tests.conftest import World
from tests.meetings.conftest import MeetingWorld, build_meeting_world

PUBLIC = "complexe-sportif"
PRIVATE = "programme-emploi-jeunes"


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the board pack's PDF
    demo_module.load_demo()


def body(response: Any) -> bytes:
    """The whole body of a (possibly streamed) response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.fixture
def anonymous() -> Iterator[Client]:
    yield Client()


@pytest.fixture
def mw(world: World) -> MeetingWorld:
    return build_meeting_world(world)

"""Fixtures of the audit tests: finance's partnership A with its adopted plan (``fw``)."""

from __future__ import annotations

from tests.finance.conftest import FinWorld, fw, receipt  # noqa: F401
from tests.planning.conftest import pw  # noqa: F401

"""Error reporting: off unless SENTRY_DSN is set, and never with personal data."""

from __future__ import annotations

from typing import Any

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from sharaka.ops import reporting


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: seen.append(kwargs))
    return seen


def test_off_without_a_dsn(calls: list[dict[str, Any]]) -> None:
    assert reporting.init_from_environment({}) is False
    assert reporting.init_from_environment({"SENTRY_DSN": "  "}) is False
    assert calls == []
    assert not sentry_sdk.get_client().is_active()  # the settings started nothing either


def test_on_with_a_dsn_and_without_personal_data(calls: list[dict[str, Any]]) -> None:
    dsn = "https://public@errors.example.ma/3"
    assert reporting.init_from_environment(
        {"SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "commune-oz", "SENTRY_TRACES_SAMPLE_RATE": "0.1"}
    )
    (options,) = calls
    assert options["dsn"] == dsn and options["send_default_pii"] is False
    assert options["environment"] == "commune-oz" and options["traces_sample_rate"] == 0.1
    assert [type(i).__name__ for i in options["integrations"]] == ["DjangoIntegration"]


@pytest.mark.parametrize("rate", ["abc", "1.5", "-0.1"])
def test_a_bad_sample_rate_names_the_variable(rate: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE"):
        reporting.init_from_environment({"SENTRY_DSN": "https://k@h/1",
                                         "SENTRY_TRACES_SAMPLE_RATE": rate})  # fmt: skip

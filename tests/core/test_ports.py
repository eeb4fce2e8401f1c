"""``core.ports``: a lower app reads what an upper app provides, and every port is provided."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from sharaka.core.ports import Port
from sharaka.governance import ports as governance_ports
from sharaka.planning import ports as planning_ports
from sharaka.structure import selectors as structure_selectors


def test_a_port_returns_what_was_provided() -> None:
    port: Port[str] = Port("greeting")
    port.provide("bonjour")
    assert port.provider == "bonjour"
    port.provide("salam")  # the last provider wins (a test may replace it)
    assert port.provider == "salam"


def test_a_port_nobody_provides_says_so() -> None:
    with pytest.raises(ImproperlyConfigured, match="'greeting'"):
        Port[str]("greeting").provider  # noqa: B018 - the read is the test


def test_every_port_is_provided_by_the_app_that_owns_the_fact() -> None:
    assert planning_ports.staff_person_ids.provider is structure_selectors.staff_person_ids
    assert planning_ports.delegations.provider is structure_selectors.delegation_list
    for port in (governance_ports.convention_rules, governance_ports.contribution_shares):
        assert callable(port.provider)

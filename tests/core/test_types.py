"""The acting user's types (``core.types``), the helpers that narrow it, typed form-field
access, and the strict type-checking configuration that covers every services module."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser

from sharaka.core.access import signed_in
from sharaka.core.errors import AccessDenied
from sharaka.core.forms import Form, field_of, label_choices
from sharaka.core.history import history_entries, set_change_reason, set_history_user
from sharaka.directory.models import Organization
from tests.conftest import World
from tests.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


# --- The acting user ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_returns_the_user_itself(world: World) -> None:
    assert signed_in(world.treasurer) is world.treasurer


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_signed_in_refuses_anyone_not_signed_in(user: AnonymousUser | None) -> None:
    with pytest.raises(AccessDenied):
        signed_in(user)


def test_core_does_not_import_accounts_when_the_program_runs() -> None:
    """``Actor`` names ``accounts.User`` for the type checker only (layers: core is lowest)."""
    code = (
        "import sys, sharaka.core.types, sharaka.core.access, sharaka.core.history; "
        "print(sorted(m for m in sys.modules if m.startswith('sharaka.accounts')))"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter, a fixed command)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


# --- History helpers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_history_records_the_reason_and_the_author_set_before_saving(world: World) -> None:
    organization = OrganizationFactory()
    organization.name = "Renamed"
    set_change_reason(organization, "typo in the name")
    set_history_user(organization, world.officer)
    organization.save()
    newest = history_entries(organization)[0]
    assert (newest.reason, newest.who) == ("typo in the name", str(world.officer))
    assert [c.new for c in newest.changes if c.old != c.new] == ["Renamed"]


# --- Typed access to form fields ---------------------------------------------------------------


class _Pick(Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none())
    size = forms.ChoiceField(choices=[])


@pytest.mark.django_db
def test_field_of_sets_the_choices_a_form_shows() -> None:
    kept, other = OrganizationFactory(name="Kept"), OrganizationFactory(name="Other")
    form = _Pick(data={"organization": other.pk, "size": "s"})
    field = field_of(form, "organization", forms.ModelChoiceField)
    field.queryset = Organization.objects.filter(pk=kept.pk)
    label_choices(field, lambda o: f"<{o.name}>")
    field_of(form, "size", forms.ChoiceField).choices = [("s", "Small")]
    assert [label for _, label in field.choices][1:] == ["<Kept>"]
    assert not form.is_valid()
    assert list(form.errors) == ["organization"]  # "other" is not among the choices now


def test_field_of_refuses_a_field_of_another_kind() -> None:
    with pytest.raises(TypeError, match=r"_Pick\.size is a ChoiceField"):
        field_of(_Pick(), "size", forms.ModelChoiceField)


# --- Strict type checking --------------------------------------------------------------------


def _strict_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for override in config["tool"]["mypy"]["overrides"]:
        if override.get("disallow_any_generics") and override.get("warn_return_any"):
            modules = override["module"]
            return [modules] if isinstance(modules, str) else list(modules)
    raise AssertionError("no strict section in [tool.mypy] overrides")


def _covered(module: str, patterns: list[str]) -> bool:
    # mypy: "a.b.*" matches a.b and every module below it; "a.b" only a.b
    return any(
        module == p or (p.endswith(".*") and (module + ".").startswith(p[:-1])) for p in patterns
    )


def test_every_services_module_and_the_core_are_type_checked_strictly() -> None:
    patterns = _strict_patterns()
    services = sorted(
        ".".join(path.relative_to(SRC).with_suffix("").parts)
        for path in (SRC / "sharaka").glob("*/services.py")
    ) + sorted(
        ".".join(path.relative_to(SRC).parent.parts)
        for path in (SRC / "sharaka").glob("*/services/__init__.py")
    )
    assert services, "no services module found"
    required = [*services, "sharaka.core.access", "sharaka.governance.rules.tally"]
    missing = [m for m in required if not _covered(m, patterns)]
    assert missing == []

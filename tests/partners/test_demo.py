"""The demo admissibility files: loaded with the whole demo, idempotent, telling the story
of issue 13 (Amal admissible and decided, Tifawin incomplete, Jeunesse et Emploi
admissible)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sharaka import demo
from sharaka.directory.models import Organization, Person
from sharaka.partners import demo as partners_demo
from sharaka.partners import rules, selectors
from sharaka.partners.models import AdmissibilityFile, Evidence
from sharaka.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_demo_files() -> None:
    demo.load_demo()
    files = {
        f.association.short_name: f
        # the files an officer opened (the one an application opened: test_selection)
        for f in AdmissibilityFile.objects.filter(applications__isnull=True).select_related(
            "association", "authority"
        )
    }
    assert set(files) == {"Amal", "Tifawin", "AJE"}
    results = {name: selectors.file_assessment_get(file=f) for name, f in files.items()}
    assert results["Amal"].outcome is rules.Outcome.ADMISSIBLE
    assert 0 < results["Amal"].percent < 100
    assert files["Amal"].decision == "admissible" and files["Amal"].decided_by is not None
    tifawin = results["Tifawin"]
    assert tifawin.outcome is rules.Outcome.INCOMPLETE
    assert [(i.code, i.gap) for i in tifawin.items] == [
        ("bureau_list", rules.Gap.EXPIRED),
        ("financial_statements", rules.Gap.MISSING),
    ]
    assert results["AJE"].outcome is rules.Outcome.ADMISSIBLE
    assert files["AJE"].evidence.filter(criterion__code="receipt", provisional=True).exists()

    before = (AdmissibilityFile.objects.count(), Evidence.objects.count())
    partners_demo.load(
        demo.DemoContext(
            organizations={o.name: o for o in Organization.objects.all()},
            people={p.last_name: p for p in Person.objects.all()},
            partnerships={p.slug: p for p in Partnership.objects.all()},
            users={u.username: u for u in get_user_model().objects.all()},
        )
    )
    assert (AdmissibilityFile.objects.count(), Evidence.objects.count()) == before

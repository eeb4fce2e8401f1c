"""``sharaka seed-scale`` at a tiny scale (issue 19): the shapes, determinism, refusal."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count

from sharaka import cli, seed_scale
from sharaka.accounts.models import GlobalRole, User
from sharaka.directory.models import Organization, OrganizationKind, Person
from sharaka.finance.models import Expense
from sharaka.governance.models import Seat
from sharaka.observatory.models import PartnershipScore, TerritoryScore
from sharaka.observatory.refresh import snapshot_refresh
from sharaka.partnerships.models import Partnership


def test_sizes_follow_the_scale() -> None:
    full = seed_scale.sizes()
    assert (full.authorities, full.partnerships, full.expenses) == (1500, 12000, 2_000_000)
    tiny = seed_scale.sizes(scale=0.01, expenses=10)
    assert (tiny.authorities, tiny.partnerships, tiny.expenses) == (15, 120, 10)
    assert full.provinces == 75 and tiny.provinces == 1


@pytest.mark.django_db
def test_seed_builds_the_shapes() -> None:
    size = seed_scale.sizes(authorities=3, partnerships=6, expenses=400)
    counts = seed_scale.seed(size, seed=7, say=lambda _line: None)
    assert counts["partnerships"] == Partnership.objects.count() == 6
    assert Organization.objects.filter(name__startswith="SEED7 Commune").count() == 3
    assert Expense.objects.count() == counts["expenses"] == 400
    per_board = Seat.objects.values("board").annotate(n=Count("id")).values_list("n", flat=True)
    assert all(8 <= n <= 20 for n in per_board)
    assert Person.objects.count() == Seat.objects.count()
    # a few partnerships hold most of the expenses, the others a few
    per = sorted(Expense.objects.values("partnership").annotate(n=Count("id"))
                 .values_list("n", flat=True), reverse=True)  # fmt: skip
    assert per[0] == 200 and per[-1] == 40


@pytest.mark.django_db
def test_same_seed_same_data_and_refused_twice() -> None:
    size = seed_scale.sizes(authorities=2, partnerships=3, expenses=50)
    seed_scale.seed(size, seed=9, say=lambda _line: None)
    first = list(Partnership.objects.order_by("slug").values_list("slug", "sector", "status"))
    with pytest.raises(seed_scale.AlreadySeeded):
        seed_scale.seed(size, seed=9, say=lambda _line: None)
    # the same seed draws the same rows (here under another name tag)
    seed_scale._seed(size, random.Random(9), "AGAIN", lambda _line: None)
    again = list(Partnership.objects.filter(slug__startswith="again").order_by("slug")
                 .values_list("sector", "status"))  # fmt: skip
    assert [row[1:] for row in first] == again


def test_cli_refuses_a_bad_scale(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["seed-scale", "--scale", "2"]) == 2
    assert "--scale" in capsys.readouterr().err


@pytest.mark.django_db
def test_seed_gives_the_observatory_provinces_and_supervisors() -> None:
    size = seed_scale.sizes(authorities=40, partnerships=12, expenses=20)
    counts = seed_scale.seed(size, seed=5, say=lambda _line: None)
    provinces = Organization.objects.filter(kind=OrganizationKind.PROVINCE_REGION)
    assert counts["provinces"] == provinces.count() == 2
    communes = Organization.objects.filter(name__startswith="SEED5 Commune")
    assert not communes.filter(province__isnull=True).exists()
    assert not communes.filter(kind=OrganizationKind.PROVINCE_REGION).exists()
    supervisors = User.objects.filter(role=GlobalRole.SUPERVISOR)
    assert counts["supervisors"] == supervisors.count() == 3
    national = supervisors.get(username="seed5.tutelle.nationale")
    assert national.territory_id is None and not national.has_usable_password()
    assert set(supervisors.exclude(pk=national.pk).values_list("territory", flat=True)) == set(
        provinces.values_list("pk", flat=True)
    )
    refresh = snapshot_refresh()
    assert refresh.partnerships == 12
    assert TerritoryScore.objects.filter(province__isnull=False).count() == 2


@pytest.mark.django_db
def test_cli_seeds_and_refreshes_the_observatory(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["seed-scale", "--authorities", "3", "--partnerships", "4", "--expenses", "8"]
    assert cli.main([*args, "--seed", "3"]) == 0
    assert "observatoire : 4 partenariats" in capsys.readouterr().out
    assert PartnershipScore.objects.count() == 4

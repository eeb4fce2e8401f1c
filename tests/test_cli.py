"""The ``sharaka`` command and the demo data set."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sharaka import demo
from sharaka.directory.models import Organization, Person
from sharaka.partnerships.models import Partnership, PartnershipRole, Party, StatusTransition


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args], capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("bogus",), ("demo", "--port", "abc"), ("demo", "--port", "0"), ("demo", "--nope"), ()],
)
def test_bad_arguments_exit_2_with_one_line(args: tuple[str, ...]) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_demo_loads_the_named_data_and_is_idempotent() -> None:
    first = demo.load_demo()
    counts = (
        Organization.objects.count(), Person.objects.count(), Partnership.objects.count(),
        Party.objects.count(), PartnershipRole.objects.count(), StatusTransition.objects.count(),
    )  # fmt: skip
    second = demo.load_demo()
    assert counts == (
        Organization.objects.count(), Person.objects.count(), Partnership.objects.count(),
        Party.objects.count(), PartnershipRole.objects.count(), StatusTransition.objects.count(),
    )  # fmt: skip
    assert first.created and not second.created
    assert set(Partnership.objects.values_list("slug", flat=True)) >= {
        "complexe-sportif", "base-de-plein-air", "programme-emploi-jeunes",
    }  # fmt: skip
    for name in ("Commune d'Oued Zitoune", "Commune de Tizgui", "Association Amal pour le sport",
                 "Association Tifawin des femmes rurales", "Association Jeunesse et Emploi",
                 "Atlas Loisirs SARL"):  # fmt: skip
        assert Organization.objects.filter(name=name).exists()
    text = demo.describe(second, address="http://127.0.0.1:8000/", serving=True)
    assert demo.DEMO_PASSWORD in text
    assert "agent.oz" in text


@pytest.mark.django_db
def test_demo_gives_admin_and_treasurer_a_published_authenticator() -> None:
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sharaka.core.access import second_factor_required

    summary = demo.load_demo()
    demo.load_demo()  # idempotent: still one authenticator each
    for username, key in demo.DEMO_TOTP_KEYS.items():
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed and device.bin_key == b32decode(key)
        assert second_factor_required(device.user)
    text = demo.describe(summary, address="http://127.0.0.1:8000/", serving=True)
    assert "sharaka manage demo_code admin" in text


@pytest.mark.django_db
def test_demo_reports_its_progress_app_by_app(capsys: pytest.CaptureFixture[str]) -> None:
    from sharaka import cli

    steps: list[tuple[int, int, str]] = []
    demo.load_demo(progress=lambda step, count, app: steps.append((step, count, app)))
    assert [step for step, _, _ in steps] == list(range(1, len(demo.EXTENSIONS) + 1))
    assert {count for _, count, _ in steps} == {len(demo.EXTENSIONS)}
    assert steps[0][2] == "governance" and steps[-1][2] == "observatory"
    cli._demo_progress(3, 16, "meetings")
    assert capsys.readouterr().err == "  données de démonstration 3/16 : meetings\n"

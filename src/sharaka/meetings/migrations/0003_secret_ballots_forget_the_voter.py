"""Secret ballots recorded before SecretChoice existed: move each choice out of the
member's ballot into an anonymous SecretChoice (same motion, the college of the voter's
seat), and empty the ballot's choice."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forget_the_voter(apps: Any, schema_editor: Any) -> None:
    Ballot = apps.get_model("meetings", "Ballot")
    SecretChoice = apps.get_model("meetings", "SecretChoice")
    Seat = apps.get_model("governance", "Seat")
    secret = Ballot.objects.filter(motion__voting_mode="secret", choice__isnull=False)
    for ballot in secret.select_related("mandate").iterator():
        seat = Seat.objects.filter(pk=ballot.mandate.seat_id).select_related("college").first()
        college = seat.college.code if seat is not None else ""
        SecretChoice.objects.create(
            motion_id=ballot.motion_id, college=college, choice=ballot.choice
        )
    secret.update(choice=None)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_secret_choices"),
        ("governance", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_the_voter, migrations.RunPython.noop)]

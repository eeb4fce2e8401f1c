"""Run by tests/config/test_replica.py in a subprocess, with DATABASE_URL and
DATABASE_REPLICA_URL naming two SQLite files: settings are read once per process, so the
router is exercised as it is deployed. Prints what each page showed, as JSON."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from sharaka.accounts.models import GlobalRole  # noqa: E402
from sharaka.partnerships.models import Partnership  # noqa: E402
from sharaka.partnerships.rules import Status  # noqa: E402
from tests.factories import PartnershipFactory, UserFactory  # noqa: E402


def main() -> None:
    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    partnership = PartnershipFactory(title="Stade municipal", status=Status.ACTIVE)
    officer = UserFactory(
        username="officer", role=GlobalRole.AUTHORITY_OFFICER,
        organization=partnership.lead_authority,
    )  # fmt: skip
    connections.close_all()
    primary = Path(settings.DATABASES["default"]["NAME"])
    replica = Path(settings.DATABASES["replica"]["NAME"])
    shutil.copyfile(primary, replica)  # the replica: the primary's pages, as streamed...
    db = sqlite3.connect(replica)  # ...then a row that differs, to tell who answered
    db.execute(
        "UPDATE partnerships_partnership SET title = 'Stade municipal (replica)' WHERE id = ?",
        (partnership.pk,),
    )
    db.commit()
    db.close()

    client = Client()
    portal = client.get("/portail/").content.decode()
    detail = client.get(f"/portail/{partnership.slug}/").content.decode()
    client.force_login(officer)
    internal = client.get(f"/partenariats/{partnership.slug}/").content.decode()
    portal_signed_in = client.get("/portail/").content.decode()
    # writes always go to the primary, even from code that reads the replica
    Partnership.objects.filter(pk=partnership.pk).update(title="Stade rénové")
    print(
        json.dumps(
            {
                "portal": "(replica)" in portal,
                "detail": "(replica)" in detail,
                "internal_primary": "Stade municipal" in internal and "(replica)" not in internal,
                "portal_signed_in": "(replica)" in portal_signed_in,
                "primary_title": Partnership.objects.using("default").get().title,
                "replica_title": Partnership.objects.using("replica").get().title,
                "routers": settings.DATABASE_ROUTERS,
            }
        )
    )


main()

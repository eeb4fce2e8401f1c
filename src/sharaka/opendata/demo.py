"""The demo's open data: ``complexe-sportif`` (public) is published as an IATI activity with
the regional development agency as its funder; ``programme-emploi-jeunes`` stays in
negotiation, so it is absent from every open-data output."""

from __future__ import annotations

from sharaka.opendata.models import IatiPublication
from sharaka.partnerships.demo import DemoContext

REPORTING_REF = "MA-COM-OUEDZITOUNE"  # fictional, like the commune
FUNDER = "Agence régionale de développement de l'Atlas"


def load(context: DemoContext) -> None:
    partnership = context.partnerships["complexe-sportif"]
    IatiPublication.objects.get_or_create(
        partnership=partnership,
        defaults={
            "reporting_org_ref": REPORTING_REF,
            "funder": context.organizations[FUNDER],
            "funder_ref": "MA-ARD-ATLAS",
        },
    )

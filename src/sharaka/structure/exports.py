"""The staff and assets registers as tables (CSV and XLSX through ``core.spreadsheets``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext

from sharaka.core.spreadsheets import Table
from sharaka.structure.models import Asset, StaffAssignment


def staff_table(staff: Sequence[StaffAssignment]) -> Table:
    headers = [
        gettext("Nom"), gettext("Prénom"), gettext("Genre"), gettext("Rôle"),
        gettext("Intitulé du poste"), gettext("Organisation d'origine"),
        gettext("Quotité (%)"), gettext("Début"), gettext("Fin"), gettext("Rend compte à"),
    ]  # fmt: skip
    rows = [
        [
            row.person.last_name,
            row.person.first_name,
            row.person.get_gender_display(),
            row.get_role_display(),
            row.title,
            row.origin_organization.name,
            row.time_share,
            row.start_date,
            row.end_date,
            str(row.reports_to.person) if row.reports_to else "",
        ]
        for row in staff
    ]
    return Table(gettext("Personnel"), headers, rows)


def assets_table(assets: Sequence[Asset]) -> Table:
    headers = [
        gettext("Nature"), gettext("Désignation"), gettext("Numéro d'inventaire"),
        gettext("Propriétaire"), gettext("Mis à disposition par"), gettext("Valeur"),
        gettext("Devise"), gettext("Emplacement"), gettext("État"),
        gettext("Mis en service le"), gettext("Documents"),
    ]  # fmt: skip
    rows = [
        [
            a.get_kind_display(),
            a.name,
            a.reference,
            a.owner.name,
            a.provided_by.name,
            a.value,
            a.currency,
            a.location,
            a.get_condition_display(),
            a.acquired_on,
            len(a.documents.all()),
        ]
        for a in assets
    ]
    return Table(gettext("Biens"), headers, rows)

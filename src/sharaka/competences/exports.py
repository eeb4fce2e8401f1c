"""The gap matrix as spreadsheets (XLSX through ``core.spreadsheets``): the matrix itself,
and the list of gaps."""

from __future__ import annotations

from django.utils.translation import gettext

from sharaka.competences.selectors import MatrixView
from sharaka.core.spreadsheets import Table


def matrix_tables(view: MatrixView) -> list[Table]:
    codes = [c.code for c in view.competences]
    headers = [gettext("Nom"), gettext("Prénom"), gettext("Rôle")]
    for competence in view.competences:
        headers += [
            gettext("%(competence)s — requis") % {"competence": competence.label},
            gettext("%(competence)s — détenu") % {"competence": competence.label},
        ]
    headers.append(gettext("Écarts"))
    rows = []
    for row in view.rows:
        line: list[object] = [row.person.last_name, row.person.first_name, row.role_label]
        for cell in row.cells:
            line += [cell.required or "", cell.held or ""]
        line.append(row.gaps)
        rows.append(line)
    people = {row.person.pk: row for row in view.rows}
    labels = {c.code: c.label for c in view.competences}
    gap_rows = [
        [
            str(people[g.person_id].person),
            people[g.person_id].role_label,
            labels.get(g.competence, g.competence),
            g.required,
            g.held,
            g.missing,
        ]
        for g in view.gaps
        if g.person_id in people and g.competence in codes
    ]
    gaps = Table(
        gettext("Écarts"),
        [gettext("Personne"), gettext("Rôle"), gettext("Compétence"), gettext("Requis"),
         gettext("Détenu"), gettext("Manque")],
        gap_rows,
    )  # fmt: skip
    return [Table(gettext("Matrice"), headers, rows), gaps]

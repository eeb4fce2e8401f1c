"""Importing measurements from an XLSX (or CSV) file: all rows or none.

The first line names the columns (``COLUMNS``, in any order; unknown columns are refused).
Each following line is one measurement entered through the same checks as the form
(``services``); any refusal — a cell that cannot be read, a rule of the framework — is
reported as "line N, column X: why", every line is checked, and nothing is written unless
every line passes. Files are small (a few hundred measurements a year), so the import
runs in the request, in one transaction (the expense import, which can hold tens of
thousands of lines, runs in the background: ADR 0012).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext

from sharaka.core import spreadsheets
from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.types import Actor
from sharaka.evaluation import services
from sharaka.evaluation.models import Indicator, Measure
from sharaka.finance.import_files import check_import_size, read_rows, stream_size
from sharaka.partnerships.models import Partnership

#: Column header -> field of the measurement (``indicateur``: the indicator's number).
COLUMNS = {
    "indicateur": "indicator",
    "debut": "period_start",
    "fin": "period_end",
    "date": "measured_on",
    "valeur": "value",
    "femmes": "women",
    "hommes": "men",
    "appreciation": "text",
    "source": "source",
    "commentaire": "comment",
}
REQUIRED = ("indicateur", "debut", "fin", "source")
HEADER_OF = {field: header for header, field in COLUMNS.items()}
DATES = ("period_start", "period_end", "measured_on")
NUMBERS = ("value", "women", "men")
MAX_ERRORS = 20


def _header(text: str) -> str:
    return (
        text.strip().lower().replace("é", "e").replace("è", "e").replace("ê", "e")
        .replace(" ", "_")
    )  # fmt: skip


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _number(text: str) -> Decimal:
    value = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise InvalidOperation(text)
    return value.quantize(Decimal("0.0001"))


def _fields(cells: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The measurement's fields from a line's cells, and the cells that cannot be read."""
    fields: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for field, text in cells.items():
        if field == "indicator":
            continue
        if not text:
            if field in NUMBERS:
                fields[field] = None
            elif field not in DATES:
                fields[field] = ""
            continue
        try:
            if field in DATES:
                fields[field] = _date(text)
            elif field in NUMBERS:
                fields[field] = _number(text)
            else:
                fields[field] = text
        except (ValueError, InvalidOperation):
            kind = gettext("une date (AAAA-MM-JJ)") if field in DATES else gettext("un nombre")
            problems.append((field, gettext("« %(text)s » n'est pas %(kind)s.")
                             % {"text": text[:40], "kind": kind}))  # fmt: skip
    for field in DATES[:2]:
        if field not in fields and not any(p[0] == field for p in problems):
            problems.append((field, gettext("Ce champ est obligatoire.")))
    fields.setdefault("measured_on", fields.get("period_end"))
    return fields, problems


def _message(line: int, field: str, why: str) -> str:
    column = HEADER_OF.get(field, field)
    return gettext("Ligne %(line)s, colonne « %(column)s » : %(why)s") % {
        "line": line, "column": column, "why": why,
    }  # fmt: skip


def _refused(errors: list[str]) -> ValidationFailed:
    shown = errors[:MAX_ERRORS]
    more = len(errors) - len(shown)
    detail = " ; ".join(shown) + (
        gettext(" ; et %(n)s autres erreurs") % {"n": more} if more else ""
    )
    message = gettext("Rien n'a été importé — %(detail)s") % {"detail": detail}
    return ValidationFailed(message, {"file": [gettext("Rien n'a été importé."), *shown]})


class _Rollback(Exception):
    pass


def measurements_import(
    *, by: Actor, partnership: Partnership, stream: IO[bytes], name: str
) -> int:
    """Enter every measurement of the file, or none; the number entered."""
    require(by, Perm.EVALUATION_CHANGE, partnership)
    check_import_size(stream_size(stream))
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(result__partnership=partnership).select_related("result")
    }
    rows = read_rows(stream, name)
    errors: list[str] = []
    columns = _columns(next(rows, (1, [])), errors)
    if errors:
        raise _refused(errors)
    count = 0
    try:
        with transaction.atomic():
            for line, cells in rows:
                if not any(c.strip() for c in cells):
                    continue
                if _line(by, line, cells, columns, indicators, errors):
                    count += 1
            if errors or not count:
                raise _Rollback
    except _Rollback:
        if not errors:
            errors.append(gettext("Le fichier ne contient aucune mesure."))
        raise _refused(errors) from None
    return count


def _columns(header: tuple[int, list[str]], errors: list[str]) -> list[str]:
    names = [_header(text) for text in header[1]]
    unknown = [
        text for text, key in zip(header[1], names, strict=True) if key and key not in COLUMNS
    ]
    if unknown:
        errors.append(gettext("Ligne 1 : colonne inconnue « %(name)s » (colonnes : %(known)s).")
                      % {"name": unknown[0], "known": ", ".join(COLUMNS)})  # fmt: skip
    missing = [key for key in REQUIRED if key not in names]
    if missing:
        errors.append(gettext("Ligne 1 : la colonne « %(name)s » manque.") % {"name": missing[0]})
    return [COLUMNS.get(key, "") for key in names]


def _line(
    by: Actor,
    line: int,
    cells: list[str],
    columns: list[str],
    indicators: Mapping[int, Indicator],
    errors: list[str],
) -> bool:
    values = {
        field: (cells[i].strip() if i < len(cells) else "")
        for i, field in enumerate(columns)
        if field
    }
    reference = values.get("indicator", "")
    indicator = (
        indicators.get(int(reference)) if reference.isdigit() and len(reference) < 10 else None
    )
    if indicator is None:
        errors.append(
            _message(line, "indicator", gettext("indicateur inconnu dans ce partenariat."))
        )
        return False
    fields, problems = _fields(values)
    if problems:
        errors.extend(_message(line, field, why) for field, why in problems)
        return False
    if indicator.measure == Measure.QUALITATIVE:
        fields.pop("value", None)
    try:
        with transaction.atomic():
            services.measurement_enter(by=by, indicator=indicator, fields=fields)
    except ValidationFailed as refusal:
        for field, messages in refusal.errors.items():
            errors.append(_message(line, field, messages[0]))
        return False
    except DomainError as refusal:
        errors.append(_message(line, refusal.field or "indicator", refusal.message))
        return False
    return True


def template_tables(*, indicators: Iterable[Indicator]) -> list[spreadsheets.Table]:
    """The file to fill: a first sheet with the columns only, a second listing the
    indicators by number (only the first sheet is read back)."""
    rows = [
        [i.pk, i.name, i.get_measure_display(), i.unit_label,
         gettext("oui") if i.by_sex else gettext("non")]
        for i in indicators
    ]  # fmt: skip
    return [
        spreadsheets.Table(title=gettext("Mesures"), headers=list(COLUMNS), rows=[]),
        spreadsheets.Table(
            title=gettext("Indicateurs"),
            headers=[
                gettext("indicateur"),
                gettext("intitulé"),
                gettext("mesure"),
                gettext("unité"),
                gettext("ventilé par sexe"),
            ],
            rows=rows,
        ),
    ]

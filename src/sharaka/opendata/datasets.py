"""The open datasets: one definition each (columns with their Frictionless type and an
English description, the rows, the last update), read by the CSV download, the Data
Package descriptor, the catalogue and ``sharaka export datapackage``.

Column names and descriptions are English and never translated: a script written against
``decisions.csv`` keeps working whatever the interface language. Rows come from
``.values_list(...).iterator()`` over the public querysets of ``opendata.selectors``, so a
download holds one chunk of rows in memory, never the table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from sharaka.core.spreadsheets import csv_cell
from sharaka.opendata import selectors

CHUNK = 2000  # rows per database fetch and per piece of the streamed response
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless field type: string, integer, number, date, boolean, year
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[Sequence[object]]]
    modified: Callable[[], date | None]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
            ]
        }


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


# --- rows ------------------------------------------------------------------------------------


def _partnership_rows() -> Iterator[Sequence[object]]:
    return (
        selectors.public_partnerships()
        .order_by("slug", "pk")
        .values_list(
            "slug",
            "title",
            "kind",
            "category",
            "sector",
            "complexity",
            "status",
            "lead_authority__name",
            "start_date",
            "end_date",
            "description",
        )
        .iterator(chunk_size=CHUNK)
    )


def _party_rows() -> Iterator[Sequence[object]]:
    return (
        selectors.public_parties()
        .order_by("partnership__slug", "role", "organization__name", "pk")
        .values_list("partnership__slug", "organization__name", "organization__kind", "role")
        .iterator(chunk_size=CHUNK)
    )


def _mandate_rows() -> Iterator[Sequence[object]]:
    return (
        selectors.public_mandates()
        .order_by("seat__board__partnership__slug", "start_date", "pk")
        .values_list(
            "seat__board__partnership__slug",
            "seat__board__name",
            "seat__college__code",
            "seat_id",
            "seat__label",
            "seat__voting",
            "seat__organization__name",
            "on_behalf_of__name",
            "person__first_name",
            "person__last_name",
            "person__gender",
            "start_date",
            "end_date",
        )
        .iterator(chunk_size=CHUNK)
    )


def _decision_rows() -> Iterator[Sequence[object]]:
    rows = (
        selectors.public_decisions()
        .order_by("partnership__slug", "year", "sequence", "pk")
        .values_list(
            "partnership__slug",
            "number",
            "year",
            "decided_on",
            "kind",
            "title",
            "text",
            "motion__voting_mode",
            "motion__adopted",
            "snapshot",
        )
        .iterator(chunk_size=CHUNK)
    )
    for *fields, snapshot in rows:
        counts = ((snapshot or {}).get("result") or {}).get("counts") or {}
        yield (
            *fields,
            *(counts.get(key, 0) for key in ("yes", "no", "abstain", "not_voting")),
        )


def _batches(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _budget_rows() -> Iterator[Sequence[object]]:
    """One row per budget line of a plan in force and year with a planned amount or an
    expense: lines are read in chunks, with two queries per chunk for their amounts."""
    lines = (
        selectors.public_budget_lines()
        .order_by("activity__version__plan__partnership__slug", "activity__code", "pk")
        .values_list(
            "pk",
            "activity__version__plan__partnership__slug",
            "activity__version__plan__title",
            "activity__version__number",
            "activity__code",
            "activity__title",
            "category",
            "label",
            "activity__version__plan__currency",
        )
        .iterator(chunk_size=CHUNK)
    )
    for batch in _batches(lines, CHUNK):
        ids = [line[0] for line in batch]
        planned: dict[tuple[int, int], Decimal] = {}
        for line_id, year, amount in (
            selectors.public_budget_amounts()
            .filter(line_id__in=ids)
            .values_list("line_id", "year", "amount")
        ):
            planned[(line_id, year)] = amount
        spent: dict[tuple[int, int], Decimal] = {}
        for row in (
            selectors.public_expenses()
            .filter(line_id__in=ids)
            .values("line_id", "year")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            spent[(row["line_id"], row["year"])] = Decimal(row["total"]).quantize(CENT)
        for pk, *fields, currency in batch:
            years = sorted({y for (line, y) in planned if line == pk}
                           | {y for (line, y) in spent if line == pk})  # fmt: skip
            for year in years:
                yield (
                    *fields, year, planned.get((pk, year), ZERO), spent.get((pk, year), ZERO),
                    currency,
                )  # fmt: skip


def _contribution_rows() -> Iterator[Sequence[object]]:
    return (
        selectors.public_contributions()
        .order_by("partnership__slug", "year", "organization__name", "pk")
        .values_list(
            "partnership__slug",
            "organization__name",
            "year",
            "kind",
            "in_kind_type",
            "description",
            "pledged",
            "received",
            "currency",
            "valuation_method",
        )
        .iterator(chunk_size=CHUNK)
    )


def _budget_modified() -> date | None:
    return selectors.latest(selectors.public_expenses(), "approved_at") or selectors.latest(
        selectors.public_budget_amounts(), "line__activity__version__adopted_on"
    )


PARTNERSHIP = _c("partnership", "string", "Short identifier (slug) of the partnership")

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "partnerships", "Partnerships",
        "Management partnerships between local authorities and their partners that are "
        "public (active, suspended, being wound down or terminated).",
        (
            _c("slug", "string", "Short identifier of the partnership, stable"),
            _c("title", "string", "Title of the partnership"),
            _c("kind", "string", "management or realization"),
            _c("category", "string", "facility or socio_economic"),
            _c("sector", "string", "Sector code (sports_facility, employment, ...)"),
            _c("complexity", "string", "small, associative or large"),
            _c("status", "string", "Lifecycle status (active, suspended, terminating, "
               "terminated)"),
            _c("lead_authority", "string", "Local authority leading the partnership"),
            _c("start_date", "date", "Start date"),
            _c("end_date", "date", "End date"),
            _c("description", "string", "Description"),
        ),
        _partnership_rows,
        lambda: selectors.latest(selectors.public_partnerships(), "updated_at"),
    ),
    Dataset(
        "parties", "Parties",
        "Organisations taking part in each public partnership, with their role.",
        (
            PARTNERSHIP,
            _c("organization", "string", "Name of the organisation"),
            _c("organization_kind", "string", "commune, province_region, association, "
               "private_company, ..."),
            _c("role", "string", "lead, partner, funder or operator"),
        ),
        _party_rows,
        lambda: selectors.latest(selectors.public_partnerships(), "updated_at"),
    ),
    Dataset(
        "board_mandates", "Boards and mandates",
        "Seats of each public partnership's board and the mandates held on them (names, "
        "gender and the organisation represented; no contact details).",
        (
            PARTNERSHIP,
            _c("board", "string", "Name of the board"),
            _c("college", "string", "College of the seat"),
            _c("seat_id", "integer", "Identifier of the seat"),
            _c("seat_label", "string", "Label of the seat"),
            _c("voting", "boolean", "Whether the seat has a vote"),
            _c("seat_organization", "string", "Organisation holding the seat"),
            _c("on_behalf_of", "string", "Organisation the member represents"),
            _c("first_name", "string", "Member's first name"),
            _c("last_name", "string", "Member's last name"),
            _c("gender", "string", "f or m"),
            _c("start_date", "date", "First day of the mandate"),
            _c("end_date", "date", "Last day of the mandate (empty while it runs)"),
        ),
        _mandate_rows,
        lambda: selectors.latest(selectors.public_mandates(), "updated_at"),
    ),
    Dataset(
        "decisions", "Board decisions",
        "Decisions of the boards of public partnerships, once the meeting's minutes are "
        "published, with the counts of the vote.",
        (
            PARTNERSHIP,
            _c("number", "string", "Decision number (CA-YYYY-NNN)"),
            _c("year", "year", "Year of the decision"),
            _c("decided_on", "date", "Date of the decision"),
            _c("kind", "string", "officer_appointment, action_plan_adoption, delegation, "
               "minutes_approval or other"),
            _c("title", "string", "Subject"),
            _c("text", "string", "What was decided"),
            _c("voting_mode", "string", "show_of_hands, nominal or secret"),
            _c("adopted", "boolean", "Whether the motion was adopted"),
            _c("votes_yes", "integer", "Votes for"),
            _c("votes_no", "integer", "Votes against"),
            _c("votes_abstain", "integer", "Abstentions"),
            _c("not_voting", "integer", "Members present who cast no vote"),
        ),
        _decision_rows,
        lambda: selectors.latest(selectors.public_decisions(), "created_at"),
    ),
    Dataset(
        "budget", "Budget and execution",
        "Planned amounts of the action plan in force, per activity, budget line and year, "
        "with the approved or paid expenses charged to the line that year.",
        (
            PARTNERSHIP,
            _c("plan", "string", "Title of the action plan"),
            _c("plan_version", "integer", "Version of the plan in force"),
            _c("activity_code", "string", "Code of the activity"),
            _c("activity", "string", "Title of the activity"),
            _c("category", "string", "staff, equipment, operations, communication, "
               "evaluation_audit or other"),
            _c("line", "string", "Label of the budget line"),
            _c("year", "year", "Budget year"),
            _c("planned", "number", "Planned amount"),
            _c("spent", "number", "Approved or paid expenses"),
            _c("currency", "string", "ISO 4217 currency code"),
        ),
        _budget_rows,
        _budget_modified,
    ),
    Dataset(
        "contributions", "Contributions",
        "What each party pledged and brought to a public partnership, per year, in cash "
        "or in kind (valued).",
        (
            PARTNERSHIP,
            _c("organization", "string", "Contributing organisation"),
            _c("year", "year", "Year"),
            _c("kind", "string", "cash or in_kind"),
            _c("in_kind_type", "string", "staff, premises, equipment or services"),
            _c("description", "string", "Description"),
            _c("pledged", "number", "Amount pledged"),
            _c("received", "number", "Amount received"),
            _c("currency", "string", "ISO 4217 currency code"),
            _c("valuation_method", "string", "How an in-kind contribution is valued"),
        ),
        _contribution_rows,
        lambda: selectors.latest(selectors.public_contributions(), "updated_at"),
    ),
)  # fmt: skip

BY_NAME = {d.name: d for d in DATASETS}


# --- CSV -------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def csv_chunks(dataset: Dataset) -> Iterator[bytes]:
    """The dataset as UTF-8 CSV (header first), in pieces of ``CHUNK`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for count, row in enumerate(dataset.rows(), start=1):
        writer.writerow([_cell(v) for v in row])
        if count % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def datapackage(*, base: str = "") -> dict[str, Any]:
    """The Frictionless Data Package descriptor; ``base`` prefixes each resource's path
    (empty: paths relative to the descriptor)."""
    return {
        "profile": "tabular-data-package",
        "name": "sharaka-open-data",
        "title": "Sharaka — management partnerships open data",
        "description": "Public partnerships of local authorities, their parties, boards, "
        "decisions, budgets and contributions.",
        "licenses": [LICENSE],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": d.name,
                "title": d.title,
                "description": d.description,
                "path": base + d.filename,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENSE],
                "schema": d.schema(),
            }
            for d in DATASETS
        ],
    }

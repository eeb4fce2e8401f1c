"""Import of expenses from an accounting export (CSV or XLSX), all or nothing.

The file is *streamed* (``csv.reader`` over the open file, ``openpyxl`` in read-only mode):
memory stays flat whatever its size. Every row is validated against the plan in force on
its date; valid rows are written in batches as the file is read. On SQLite (one writer at a
time) each batch is its own short transaction, marked ``pending`` (invisible to
``Expense.objects``): other users' writes never wait for more than one batch. The first
invalid row stops the writing: the rest of the file is still validated, to report up to
``MAX_ERRORS`` errors naming line and column, then the import's pending rows are deleted,
so nothing is written.
A valid file's rows become visible at once by one final update (ADR 0012); the rows of an
import that crashed are deleted by the next import (``batches_clean``). On PostgreSQL,
where an open transaction blocks no one else's writes, the import is one transaction.

The batches go through one prepared ``INSERT`` (``executemany``) on SQLite and through
``COPY`` on PostgreSQL: the rows are already validated here, and the ORM's per-object work
would only slow a million-row import (docs/decisions/0006-expense-import.md). Imported
expenses are *recorded*: checking, approval (with the overrun control) and payment follow
the usual workflow.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, require_open
from sharaka.core.errors import DomainError
from sharaka.core.text import SINGLE_LINE_CONTROL_RE, codepoint, first_control_character
from sharaka.finance import duplicates
from sharaka.finance.error_codes import FinanceErrorCode as Code
from sharaka.finance.import_by_id import (
    Existing,
    file_sha256,
    repeats,
    same_frozen,
    update_problem,
    updates_apply,
)
from sharaka.finance.import_files import (
    amount_of,
    check_import_size,
    day_month_year,
    read_rows,
    stream_size,
)
from sharaka.finance.import_template import COLUMNS, template_csv, template_rows
from sharaka.finance.models import Expense, ImportJob, ImportStatus
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity, BudgetLine, PlanVersion
from sharaka.planning.rules import FROZEN

#: the column that names an expense to update (the export writes it; ADR 0055)
ID = "id"
#: columns the export writes for the reader, which an import of it ignores
INFORMATIVE = ("status", "has_document", "reverses")
MAX_ERRORS = 50
__all__ = ["COLUMNS", "file_sha256", "template_csv", "template_rows"]  # used through this module
BATCH = 5000
_LIMITS = {"supplier": 200, "reference": 100, "description": 500}

#: Columns written for each imported expense, in order (the rest take their defaults).
_WRITE_COLUMNS = (
    "partnership_id", "plan_version_id", "activity_id", "line_id", "date", "year", "amount",
    "currency", "supplier", "reference", "description", "document", "document_name",
    "status", "recorded_by_id", "recorded_at", "import_job_id", "pending",
)  # fmt: skip
#: an import that gave no sign of life for this long has crashed: its rows are deleted
STALE_AFTER = timedelta(minutes=30)

Progress = Callable[[int, float | None], None]
#: asked inside the final transaction: False when the job was meanwhile taken for crashed
#: (and re-queued or failed, ADR 0016), so this run must write nothing
StillOurs = Callable[[], bool]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return gettext("ligne %(line)s, colonne %(column)s : %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False
    #: expenses named by their id and changed, or left as they were
    updated: int = 0
    unchanged: int = 0
    #: (id, new values) of the expenses to update, applied when the whole file is accepted
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(DomainError):
    """The file was refused; ``result.errors`` names each line and column."""

    status = 422

    def __init__(self, result: ImportResult) -> None:
        first = result.errors[0]
        more = len(result.errors) - 1
        text = str(first)
        if more:
            text += " " + gettext("(et %(n)s autre(s) erreur(s))") % {"n": more}
        super().__init__(Code.IMPORT_INVALID, text)
        self.result = result


# --- The plan, indexed once per import ---------------------------------------------------------


@dataclass
class _Version:
    id: int
    currency: str
    activities: dict[str, tuple[int, date, date]]  # code -> (id, start, end)
    lines_by_id: dict[int, int]  # line id -> activity id
    lines_by_category: dict[tuple[int, str], list[int]]  # (activity id, category) -> ids


class PlanIndex:
    """The plan in force on each date of the file, and its activities and lines, each
    loaded once (a query per distinct date, three per version)."""

    def __init__(self, partnership: Partnership) -> None:
        self.partnership = partnership
        self._by_day: dict[date, _Version | None] = {}
        self._versions: dict[int, _Version] = {}
        self._cached_windows: list[tuple[int, str, Any, Any, date, date]] | None = None

    def at(self, day: date) -> _Version | None:
        try:
            return self._by_day[day]
        except KeyError:
            pass
        version = None
        for pk, currency, adopted, superseded, start, end in self._windows():
            if adopted <= day and (superseded is None or superseded > day) and start <= day <= end:
                version = self._load(pk, currency)
                break
        self._by_day[day] = version
        return version

    def _windows(self) -> list[tuple[int, str, Any, Any, date, date]]:
        """The adopted (and superseded) versions of the partnership's plans, loaded once:
        the same rule as ``planning.selectors.plan_in_force_get``, applied per date."""
        if self._cached_windows is None:
            self._cached_windows = list(
                PlanVersion.objects.filter(
                    plan__partnership=self.partnership,
                    status__in=[s.value for s in FROZEN],
                    adopted_on__isnull=False,
                )
                .order_by("-adopted_on", "-number")
                .values_list(
                    "pk",
                    "plan__currency",
                    "adopted_on",
                    "superseded_on",
                    "plan__period_start",
                    "plan__period_end",
                )
            )
        return self._cached_windows

    def _load(self, version_id: int, currency: str) -> _Version:
        if version_id in self._versions:
            return self._versions[version_id]
        activities = {
            code: (pk, start, end)
            for pk, code, start, end in Activity.objects.filter(version_id=version_id).values_list(
                "pk", "code", "start_date", "end_date"
            )
        }
        lines_by_id: dict[int, int] = {}
        by_category: dict[tuple[int, str], list[int]] = {}
        for pk, activity_id, category in BudgetLine.objects.filter(
            activity__version_id=version_id
        ).values_list("pk", "activity_id", "category"):
            lines_by_id[pk] = activity_id
            by_category.setdefault((activity_id, category), []).append(pk)
        version = _Version(version_id, currency, activities, lines_by_id, by_category)
        self._versions[version_id] = version
        return version


# --- Writing ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        table = Expense._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in _WRITE_COLUMNS)
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            self.sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        else:
            marks = ", ".join(["%s"] * len(_WRITE_COLUMNS))
            self.sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


# --- The import -------------------------------------------------------------------------------


def _ambiguous(ref: str) -> str:
    return gettext("plusieurs lignes « %(v)s » : indiquez le numéro de la ligne") % {"v": ref[:30]}


def _refused_text(cells: Sequence[str]) -> tuple[str, str] | None:
    """(column, message) for the first cell holding a control character (``core.text``;
    line breaks only in the description), else ``None``."""
    if not SINGLE_LINE_CONTROL_RE.search("".join(cells)):
        return None
    for column, text in zip(COLUMNS, cells, strict=True):
        character = first_control_character(text, multiline=column == "description")
        if character is not None:
            return column, gettext("caractère invisible interdit (%(c)s)") % {
                "c": codepoint(character)
            }
    return None


def expenses_import(
    *,
    by: Any,
    partnership: Partnership,
    stream: IO[bytes],
    name: str,
    job_id: int | None = None,
    progress: Progress | None = None,
    still_ours: StillOurs | None = None,
    allow_duplicates: bool = False,
) -> ImportResult:
    """Validate every row of the file and record them all, or record nothing.

    ``by`` is ``None`` on the command line (whoever runs it has the server's rights, but a
    terminated partnership stays read-only even there). Rows that repeat an earlier expense
    (``finance.duplicates``) are refused unless ``allow_duplicates``; rows with an ``id``
    update that expense when it is not approved yet."""
    if by is not None:
        require(by, Perm.EXPENSE_RECORD, partnership)
    require_open(partnership)
    check_import_size(stream_size(stream))
    batches_clean()
    own_job = job_id is None
    if job_id is None:  # the command line: a job row still marks the batch's rows
        digest = file_sha256(stream)
        with transaction.atomic():
            duplicates.lock(partnership.pk)
            duplicates.check_file(partnership.pk, digest, confirmed=allow_duplicates)
            job_id = ImportJob.objects.create(
                partnership=partnership, created_by=by, source_name=name[:255],
                size=stream_size(stream), status=ImportStatus.RUNNING,
                heartbeat_at=timezone.now(), sha256=digest, allow_duplicates=allow_duplicates,
            ).pk  # fmt: skip
    result = ImportResult()
    run = _Run(by, partnership, job_id, allow_duplicates)
    if connection.vendor != "sqlite":
        # PostgreSQL: rows another transaction writes lock nothing others need, and stay
        # invisible until it commits: one transaction is all or nothing, and fastest.
        try:
            with transaction.atomic():
                _run(run, stream, name, progress, result, pending=False)
                if result.errors:
                    raise _Rollback()
                _check_still_ours(still_ours)
                _finalise(run, result)
        except _Rollback:
            pass
        except BaseException:
            if own_job:
                _finish(job_id, ImportStatus.FAILED, result)
            raise
        if own_job:
            _finish(job_id, ImportStatus.FAILED if result.errors else ImportStatus.DONE, result)
        if result.errors:
            raise ImportRejected(result)
        return result
    # SQLite: one writer at a time; short transactions of a pending batch (ADR 0012).
    try:
        _run(run, stream, name, progress, result, pending=True)
        if not result.errors:
            _commit(run, result, still_ours)
    except BaseException:
        _discard(job_id)
        if own_job:
            _finish(job_id, ImportStatus.FAILED, result)
        raise
    if result.errors:
        _discard(job_id)
        if own_job:
            _finish(job_id, ImportStatus.FAILED, result)
        raise ImportRejected(result)
    if own_job:
        _finish(job_id, ImportStatus.DONE, result)
    return result


class _Rollback(Exception):
    pass


def _check_still_ours(still_ours: StillOurs | None) -> None:
    if still_ours is not None and not still_ours():
        raise DomainError(
            Code.IMPORT_FORMAT,
            gettext("L'import a été interrompu ; rien n'a été enregistré. Réessayez."),
        )


@transaction.atomic
def _commit(run: _Run, result: ImportResult, still_ours: StillOurs | None = None) -> None:
    """Make the batch's rows visible, all at once, and apply the updates."""
    _check_still_ours(still_ours)
    job_id = run.job_id
    shown = Expense.all_objects.filter(import_job_id=job_id, pending=True).update(pending=False)
    if shown != result.written:  # rows lost meanwhile (taken for a crashed import's)
        raise DomainError(
            Code.IMPORT_FORMAT,
            gettext("L'import a été interrompu ; rien n'a été enregistré. Réessayez."),
        )
    _finalise(run, result)


def _finalise(run: _Run, result: ImportResult) -> None:
    """Inside the import's last transaction: under the partnership's lock, refuse the file
    if another entry recorded meanwhile an expense that one of its rows repeats (the rows
    were checked as they were read, without the lock); then apply the updates."""
    duplicates.lock(run.partnership.pk)
    if not run.allow_duplicates and result.written:
        repeated = duplicates.repeated_by_import(run.partnership.pk, run.job_id)
        if repeated is not None:
            raise duplicates.Duplicate(
                Code.DUPLICATE_EXPENSE,
                gettext("Le fichier répète %(earlier)s, enregistrée pendant l'import ; rien "
                        "n'a été enregistré.") % {"earlier": duplicates.describe(repeated)},
            )  # fmt: skip
    result.updated = updates_apply(run.partnership.pk, result.updates)
    result.updates = []


def _finish(job_id: int, status: str, result: ImportResult) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=status, rows=result.rows, written=result.written if status == "done" else 0,
        errors=[str(e) for e in result.errors], finished_at=timezone.now(),
    )  # fmt: skip


def pending_discard(job_id: int) -> None:
    """Delete the rows an unfinished import of ``job_id`` left pending (ADR 0012)."""
    _discard(job_id)


def _discard(job_id: int) -> None:
    """Delete the pending rows of an import, a batch at a time (short transactions); raw
    SQL, as they were written: they have no history and nothing refers to them."""
    table = connection.ops.quote_name(Expense._meta.db_table)
    pending = Expense.all_objects.filter(import_job_id=job_id, pending=True)
    while True:
        with transaction.atomic():
            ids = list(pending.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return
            marks = ", ".join(["%s"] * len(ids))
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)  # noqa: S608


def batches_clean(*, now: datetime | None = None) -> int:
    """Delete the pending rows left by imports that ended without committing them (the
    process stopped): their job finished, or gave no sign of life for ``STALE_AFTER``.
    Returns how many imports were cleaned up."""
    job_ids = set(Expense.all_objects.filter(pending=True).values_list("import_job_id", flat=True))
    if not job_ids:
        return 0
    cutoff = (now or timezone.now()) - STALE_AFTER
    dead = list(
        ImportJob.objects.filter(pk__in=job_ids)
        .filter(
            Q(status__in=[ImportStatus.DONE, ImportStatus.FAILED])
            | Q(heartbeat_at__lt=cutoff)
            | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
        )
        .values_list("pk", flat=True)
    )
    for job_id in dead:
        _discard(job_id)
        ImportJob.objects.filter(
            pk=job_id, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
        ).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), written=0,
            message=gettext("L'import a été interrompu ; rien n'a été enregistré."),
        )  # fmt: skip
    return len(dead)


@dataclass
class _Run:
    by: Any
    partnership: Partnership
    job_id: int
    allow_duplicates: bool


def _run(
    run: _Run,
    stream: IO[bytes],
    name: str,
    progress: Progress | None,
    result: ImportResult,
    *,
    pending: bool,
) -> None:
    by, partnership, job_id = run.by, run.partnership, run.job_id
    size = stream_size(stream)

    def fraction() -> float | None:
        if not size:
            return None
        try:
            return min(stream.tell() / size, 1.0)
        except (OSError, ValueError):
            return None

    rows = read_rows(stream, name)
    errors = result.errors

    def fail(line: int, column: str, text: str) -> bool:
        errors.append(RowError(line, column, text))
        if len(errors) >= MAX_ERRORS:
            result.truncated = True
            return True
        return False

    try:
        header_line, header = next(rows)
    except StopIteration:
        fail(1, "date", gettext("fichier vide"))
        return
    except (UnicodeDecodeError, csv.Error) as error:
        fail(1, "date", gettext("fichier illisible (%(e)s)") % {"e": error})
        return
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n and n not in (*COLUMNS, ID, *INFORMATIVE)]
    if missing or unknown:
        for column in missing:
            fail(header_line, column, gettext("colonne manquante"))
        for column in unknown:
            fail(header_line, column, gettext("colonne inconnue"))
        return
    pick = itemgetter(*[names.index(c) for c in COLUMNS])
    width = len(names)
    id_at = names.index(ID) if ID in names else None
    existing = Existing(partnership.pk)
    checking = not run.allow_duplicates
    keys: list[tuple[int, tuple[str, str, Decimal]]] = []  # (line, key) of the batch's rows

    index = PlanIndex(partnership)
    currency_default = str(settings.SHARAKA_CURRENCY)
    writer = _Writer()
    postgres = writer.postgres
    now = timezone.now()
    now_db: Any = now if postgres else connection.ops.adapt_datetimefield_value(now)
    by_id = by.pk if by is not None else None
    partnership_id = partnership.pk
    batch: list[tuple[Any, ...]] = []
    append = batch.append
    fromisoformat = date.fromisoformat
    writing = True
    count = 0
    try:
        for line, row in rows:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            count += 1
            if count > 1 and (count - 1) % BATCH == 0:  # a sign of life, valid rows or not
                if pending:
                    _beat(job_id)
                if progress is not None:
                    progress(count - 1, fraction())
            if len(row) != width:
                if len(row) < width:
                    row = [*row, *([""] * (width - len(row)))]
                elif any(cell.strip() for cell in row[width:]):
                    if fail(line, COLUMNS[-1], gettext("trop de colonnes")):
                        break
                    writing = False
                    continue
            cells = pick(row)
            refused = _refused_text(cells)
            if refused is not None:
                if fail(line, *refused):
                    break
                writing = False
                continue
            day_s, amount_s, currency, supplier, reference, code, line_s, description = cells
            before: dict[str, Any] | None = None
            if id_at is not None and row[id_at].strip():
                before, problem_id = existing.get(row[id_at])
                if before is not None and before["frozen"]:
                    if same_frozen(before, cells):
                        result.unchanged += 1
                        continue
                    problem_id = gettext(
                        "la dépense n° %(id)s est approuvée : elle ne se modifie plus, "
                        "corrigez-la par une écriture d'annulation"
                    ) % {"id": before["pk"]}  # fmt: skip
                if problem_id is not None:
                    if fail(line, ID, problem_id):
                        break
                    writing = False
                    continue
            try:
                day = fromisoformat(day_s.strip())
            except ValueError:
                dmy = day_month_year(day_s)
                if dmy is None:
                    if fail(line, "date", gettext(
                        "date invalide « %(v)s » (attendu JJ/MM/AAAA ou AAAA-MM-JJ)"
                    ) % {"v": day_s[:20]}):  # fmt: skip
                        break
                    writing = False
                    continue
                day = dmy
            amount = amount_of(amount_s)
            if isinstance(amount, str):
                if fail(line, "amount", amount):
                    break
                writing = False
                continue
            supplier = supplier.strip()
            problem: tuple[str, str] | None = None
            if not supplier:
                problem = ("supplier", gettext("fournisseur manquant"))
            elif len(supplier) > 200 or len(reference) > 100 or len(description) > 500:
                column = next(
                    c for c, v in (("supplier", supplier), ("reference", reference),
                                   ("description", description)) if len(v) > _LIMITS[c]
                )  # fmt: skip
                problem = (column, gettext("texte trop long"))
            version = index.at(day) if problem is None else None
            activity: tuple[int, date, date] | None = None
            line_id = 0
            if problem is None:
                if version is None:
                    problem = ("date", gettext("aucun plan d'action en vigueur à cette date"))
                else:
                    currency = currency.strip().upper() or currency_default
                    activity = version.activities.get(code.strip())
                    if currency != version.currency:
                        problem = ("currency", gettext("devise %(c)s, le plan est en %(p)s")
                                   % {"c": currency[:5], "p": version.currency})  # fmt: skip
                    elif activity is None:
                        problem = ("activity_code",
                                   gettext("activité « %(v)s » absente du plan en vigueur")
                                   % {"v": code[:20]})  # fmt: skip
                    else:
                        ref = line_s.strip()
                        if ref.isdigit():
                            line_id = int(ref)
                            if version.lines_by_id.get(line_id) != activity[0]:
                                problem = ("line", gettext("ligne %(v)s absente de l'activité")
                                           % {"v": ref})  # fmt: skip
                        else:
                            ids = version.lines_by_category.get((activity[0], ref.lower()), [])
                            if len(ids) == 1:
                                line_id = ids[0]
                            elif not ids:
                                problem = ("line",
                                           gettext("l'activité n'a pas de ligne « %(v)s »")
                                           % {"v": ref[:30]})  # fmt: skip
                            else:
                                problem = ("line", _ambiguous(ref))
                        if problem is None and not activity[1] <= day <= activity[2]:
                            problem = ("date", gettext("hors de la période de l'activité"))
            if problem is not None:
                if fail(line, *problem):
                    break
                writing = False
                continue
            if not writing:
                continue
            assert version is not None and activity is not None
            if before is not None:
                values = {
                    "plan_version_id": version.id, "activity_id": activity[0],
                    "line_id": line_id, "date": day, "amount": amount, "currency": currency,
                    "supplier": supplier, "reference": reference.strip(),
                    "description": description.strip(),
                }  # fmt: skip
                message = update_problem(before, values, checking, partnership.pk)
                if message == "":
                    result.unchanged += 1
                elif message is not None:
                    if fail(line, "reference", message):
                        break
                    writing = False
                else:
                    result.updates.append((before["pk"], values))
                continue
            if checking and reference.strip():
                keys.append((line, duplicates.key(supplier, reference, amount)))
            append((
                partnership_id, version.id, activity[0], line_id,
                day if postgres else day.isoformat(), day.year,
                amount if postgres else str(amount), currency, supplier, reference.strip(),
                description.strip(), "", "", "recorded", by_id, now_db, job_id, pending,
            ))  # fmt: skip
            if len(batch) >= BATCH:
                if repeats(keys, partnership.pk, job_id, fail):
                    writing = False
                    if result.truncated:
                        break
                    continue
                writer.write(batch)
                result.written += len(batch)
                batch.clear()
    except (UnicodeDecodeError, csv.Error) as error:
        fail(count + 1, "date", gettext("fichier illisible (%(e)s)") % {"e": error})
    result.rows = count
    if writing and not errors and not repeats(keys, partnership.pk, job_id, fail):
        writer.write(batch)
        result.written += len(batch)
    if progress is not None:
        progress(count, 1.0)


def _beat(job_id: int) -> None:
    """A sign of life, so that ``batches_clean`` leaves this import alone."""
    ImportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())


def import_path(
    *,
    by: Any,
    partnership: Partnership,
    path: Path,
    progress: Progress | None = None,
    allow_duplicates: bool = False,
) -> ImportResult:
    with path.open("rb") as stream:
        return expenses_import(
            by=by, partnership=partnership, stream=stream, name=path.name, progress=progress,
            allow_duplicates=allow_duplicates,
        )  # fmt: skip

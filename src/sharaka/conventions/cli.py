"""``sharaka convention render SLUG --format pdf|docx --lang fr|ar|en -o FILE``,
``sharaka convention deliberations SLUG [--json]`` and
``sharaka convention oversight AUTHORITY_ID [--json]``.

Exit 0 when the file is written or the list printed; 2 with one line on stderr on bad input
(unknown partnership or authority, no convention, unknown version, unwritable file). The
operator of the command line is trusted like the server itself: no access check.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

from django.utils import timezone

from sharaka.conventions import renderers, selectors
from sharaka.conventions.models import ConventionVersion
from sharaka.directory.models import AUTHORITY_KINDS, Organization
from sharaka.partnerships.models import Partnership

PREFIX = "sharaka convention render"


def _fail(message: str) -> int:
    print(f"{PREFIX}: {message}", file=sys.stderr)
    return 2


def render(slug: str, *, fmt: str, lang: str, output: str, number: int | None = None) -> int:
    if fmt not in renderers.FORMATS:
        return _fail(f"unknown format {fmt!r} (pdf or docx)")
    if lang not in renderers.LANGS:
        return _fail(f"unknown language {lang!r} (fr, ar or en)")
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        return _fail(f"no partnership with slug {slug!r}")
    convention = selectors.convention_get(partnership=partnership)
    if convention is None:
        return _fail(f"partnership {slug!r} has no convention yet")
    versions = ConventionVersion.objects.filter(convention=convention).select_related(
        "convention__partnership", "based_on"
    )
    if number is not None:
        version = versions.filter(number=number).first()
        if version is None:
            return _fail(f"the convention of {slug!r} has no version {number}")
    else:
        version = selectors.version_in_force_get(partnership=partnership,
                                                 at=timezone.localdate())  # fmt: skip
        if version is None:
            version = versions.order_by("-number").first()
        assert version is not None  # a convention always has its version 0
    data = renderers.render_version(version, fmt, lang)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}")
    return 0


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _dump(data: object, stdout: TextIO) -> None:
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "-"


def deliberations(slug: str, *, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    """``sharaka convention deliberations SLUG [--json]``: each public party's council
    deliberations, their transmission and oversight, with the due dates on its calendar."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        print(f"sharaka convention deliberations: no partnership with slug {slug!r}", file=stderr)
        return 2
    parties, current = selectors.party_deliberations_get(partnership=partnership)
    if as_json:
        _dump({"partnership": partnership.slug,
               "current_version": current.number if current else None,
               "parties": [{"party": p.party.pk, "organization": p.party.organization.name,
                            "role": p.party.role, "current_version_cleared": p.current_cleared,
                            "deliberations": [selectors.deliberation_data(r) for r in p.rows]}
                           for p in parties]}, stdout)  # fmt: skip
        return 0
    for p in parties:
        cleared = "cleared" if p.current_cleared else "not cleared"
        print(f"{p.party.organization.name} ({p.party.role}): current version {cleared}",
              file=stdout)  # fmt: skip
        if not p.rows:
            print("  no deliberation recorded", file=stdout)
        for r in p.rows:
            d = r.deliberation
            late = " OVERDUE" if r.overdue else ""
            print(f"  {d.number} v{d.version.number} session {_day(d.session_date)} "
                  f"transmitted {_day(d.transmitted_on)} (due {_day(r.dues.transmission_due)})"
                  f"{late} oversight {d.oversight} visa {d.visa if d.financial_effect else '-'} "
                  f"state {r.state}", file=stdout)  # fmt: skip
    return 0


def oversight(authority_id: int, *, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    """``sharaka convention oversight AUTHORITY_ID [--json]``: the authority's deliberations
    waiting for their transmission or the governor's answer, by due date (every page)."""
    authority = Organization.objects.filter(kind__in=AUTHORITY_KINDS, pk=authority_id).first()
    if authority is None:
        print(f"sharaka convention oversight: no local authority with id {authority_id}",
              file=stderr)  # fmt: skip
        return 2
    rows: list[dict[str, object]] = []
    after = ""
    while True:
        page = selectors.oversight_waiting_get(authority=authority, after=after)
        rows += [selectors.waiting_data(r) for r in page.rows]
        after = page.next_key
        if not after:
            break
    if as_json:
        _dump({"authority": authority.pk, "authority_name": authority.name, "items": rows}, stdout)
        return 0
    for row in rows:
        late = " OVERDUE" if row["overdue"] else ""
        print(f"{row['due_on']} {row['waiting_for']}{late} {row['partnership']} "
              f"{row['number']} v{row['version']}", file=stdout)  # fmt: skip
    return 0

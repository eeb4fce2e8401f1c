"""``sharaka import expenses SLUG FILE`` and ``sharaka import expenses SLUG --template``.

Exit status: 0 imported (or template written); 2 bad input — unknown partnership, missing
or unreadable file, or any invalid row — with one line on stderr naming the first error
(line and column); nothing is written then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from sharaka.core.errors import DomainError
from sharaka.finance import importer
from sharaka.partnerships.models import Partnership


def import_expenses(
    slug: str,
    file: str | None,
    *,
    template: bool,
    stdout: TextIO,
    stderr: TextIO,
    allow_duplicates: bool = False,
) -> int:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        print(f"sharaka import expenses: unknown partnership {slug!r}", file=stderr)
        return 2
    if template:
        stdout.write(importer.template_csv(partnership=partnership))
        return 0
    if not file:
        print("sharaka import expenses: give a FILE or --template", file=stderr)
        return 2
    path = Path(file)
    if not path.is_file():
        print(f"sharaka import expenses: no such file {file!r}", file=stderr)
        return 2
    try:
        result = importer.import_path(
            by=None, partnership=partnership, path=path, allow_duplicates=allow_duplicates
        )
    except importer.ImportRejected as rejected:
        first = rejected.result.errors[0]
        more = len(rejected.result.errors) - 1
        suffix = f" (+{more} more)" if more else ""
        print(f"sharaka import expenses: {first}{suffix}; nothing written", file=stderr)
        return 2
    except DomainError as error:
        print(f"sharaka import expenses: {error.message}", file=stderr)
        return 2
    updated = (
        f", {result.updated} updated, {result.unchanged} unchanged"
        if (result.updated or result.unchanged)
        else ""
    )
    print(f"{result.written} expenses imported into {slug}{updated}", file=stdout)
    return 0

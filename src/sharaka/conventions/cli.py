"""``sharaka convention render SLUG --format pdf|docx --lang fr|ar|en -o FILE``.

Exit 0 when the file is written; 2 with one line on stderr on bad input (unknown
partnership, no convention, unknown version, unwritable file). The operator of the command
line is trusted like the server itself: no access check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils import timezone

from sharaka.conventions import renderers, selectors
from sharaka.conventions.models import ConventionVersion
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

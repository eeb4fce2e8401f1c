"""``sharaka export popolo SLUG -o FILE``, ``sharaka export iati [--partnership SLUG] -o
FILE``, ``sharaka export datapackage -o DIR``: the open data as files, exactly what
``/open-data/`` serves (only public partnerships and public records).

Exit status: 0 written; 2 bad input (a partnership that is unknown or not public, one not
marked for IATI publication, an output that cannot be written) with one line on stderr;
nothing is written then. ``-o -`` writes a file to standard output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from sharaka.core.errors import NotFound
from sharaka.opendata import datasets, iati, popolo, selectors

PROG = "sharaka export"


def _fail(stderr: TextIO, what: str, message: str) -> int:
    print(f"{PROG} {what}: {message}", file=stderr)
    return 2


def _write(output: str, data: bytes, stdout: BinaryIO | None) -> None:
    if output == "-":
        (stdout or sys.stdout.buffer).write(data)
        return
    Path(output).write_bytes(data)


def _writable(output: str) -> str | None:
    """Why ``output`` cannot be written, or None."""
    if output == "-":
        return None
    path = Path(output)
    if path.is_dir():
        return f"{output!r} is a directory"
    if not path.parent.is_dir():
        return f"no such directory {str(path.parent)!r}"
    return None


def export_popolo(slug: str, output: str, *, stderr: TextIO, stdout: BinaryIO | None = None) -> int:
    problem = _writable(output)
    if problem:
        return _fail(stderr, "popolo", problem)
    try:
        partnership = selectors.public_partnership_get(slug=slug)
    except NotFound:
        return _fail(stderr, "popolo", f"no public partnership {slug!r}")
    document = popolo.partnership_popolo(partnership=partnership)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    _write(output, data, stdout)
    return 0


def export_iati(
    slug: str | None, output: str, *, stderr: TextIO, stdout: BinaryIO | None = None
) -> int:
    problem = _writable(output)
    if problem:
        return _fail(stderr, "iati", problem)
    publications = selectors.iati_publications(slug=slug)
    if not publications.exists():  # the schema wants at least one activity
        what = f"no public partnership {slug!r}" if slug else "no public partnership"
        return _fail(stderr, "iati", f"{what} marked for IATI publication")
    _write(output, iati.activities(publications), stdout)
    return 0


def export_datapackage(directory: str, *, stdout: TextIO, stderr: TextIO) -> int:
    path = Path(directory)
    if path.exists() and not path.is_dir():
        return _fail(stderr, "datapackage", f"{directory!r} is not a directory")
    if not path.parent.is_dir():
        return _fail(stderr, "datapackage", f"no such directory {str(path.parent)!r}")
    path.mkdir(exist_ok=True)
    for dataset in datasets.DATASETS:
        with (path / dataset.filename).open("wb") as file:
            for chunk in datasets.csv_chunks(dataset):
                file.write(chunk)
    descriptor = json.dumps(datasets.datapackage(), ensure_ascii=False, indent=2)
    (path / "datapackage.json").write_text(descriptor + "\n", encoding="utf-8")
    print(f"{len(datasets.DATASETS)} datasets and datapackage.json written to {path}", file=stdout)
    return 0

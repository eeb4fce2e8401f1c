"""``sharaka export popolo|iati|datapackage``: the files /open-data/ serves; exit 2 and
one line on bad input, nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from sharaka.cli import main
from sharaka.opendata.datasets import DATASETS
from tests.opendata.conftest import PRIVATE, PUBLIC
from tests.opendata.standards import iati_errors, popolo_errors

pytestmark = pytest.mark.django_db


def _one_line(capsys: Any) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_exports(demo: None, tmp_path: Path, capsys: Any) -> None:
    popolo = tmp_path / "p.json"
    assert main(["export", "popolo", PUBLIC, "-o", str(popolo)]) == 0
    assert popolo_errors(json.loads(popolo.read_text(encoding="utf-8"))) == []
    iati = tmp_path / "iati.xml"
    assert main(["export", "iati", "-o", str(iati)]) == 0
    assert iati_errors(iati.read_bytes()) == []
    assert main(["export", "iati", "--partnership", PUBLIC, "-o", str(iati)]) == 0
    assert iati_errors(iati.read_bytes()) == [] and PUBLIC.encode() in iati.read_bytes()
    out = tmp_path / "package"
    assert main(["export", "datapackage", "-o", str(out)]) == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        with (out / resource["path"]).open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [d.filename for d in DATASETS] + ["datapackage.json"]
    )


BAD = [
    ["export", "popolo", PRIVATE, "-o", "{tmp}/x.json"],
    ["export", "popolo", "nope", "-o", "{tmp}/x.json"],
    ["export", "popolo", PUBLIC, "-o", "{tmp}/missing/x.json"],
    ["export", "popolo", PUBLIC, "-o", "{tmp}"],
    ["export", "iati", "--partnership", PRIVATE, "-o", "{tmp}/x.xml"],
    ["export", "iati", "--partnership", "base-de-plein-air", "-o", "{tmp}/x.xml"],
    ["export", "datapackage", "-o", "{tmp}/missing/dir"],
    ["export", "datapackage", "-o", "{tmp}/file.txt"],
    ["export", "popolo", PUBLIC],
    ["export", "nope"],
]


def test_bad_input_exit_2(demo: None, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "file.txt").write_text("x")
    for args in BAD:
        argv = [a.replace("{tmp}", str(out)) for a in args]
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: a usage error
            code = exit_.code
        assert code == 2, args
        _one_line(capsys)
        assert sorted(p.name for p in out.iterdir()) == ["file.txt"], args

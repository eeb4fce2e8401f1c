"""``sharaka convention render``: exit codes and files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from sharaka import cli
from sharaka.conventions import services
from sharaka.conventions.models import ConventionVersion
from sharaka.partnerships.models import Party
from tests.conftest import World


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args], capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("convention",),
        ("convention", "render"),
        ("convention", "render", "x", "--format", "odt", "-o", "f"),
        ("convention", "render", "x", "--format", "pdf", "--lang", "de", "-o", "f"),
        ("convention", "render", "x", "--format", "pdf"),
        ("convention", "render", "x", "--format", "pdf", "-o", "f", "--version", "un"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: tuple[str, ...]) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_render_writes_the_file(world: World, in_force: ConventionVersion, tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    assert cli.main(["convention", "render", "partenariat-a", "--format", "docx",
                     "--lang", "en", "-o", str(target)]) == 0  # fmt: skip
    headings = [p.text for p in Document(io.BytesIO(target.read_bytes())).paragraphs]
    assert "Article 1 — Preamble" in headings


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "extra", "message"),
    [
        ("inconnu", [], "no partnership"),
        ("partenariat-b", [], "no convention"),
        ("partenariat-a", ["--version", "7"], "no version 7"),
        ("partenariat-a", ["-o", "/nonexistent/dir/x.docx"], "cannot write"),
    ],
)
def test_render_refusals_exit_2(
    world: World, draft: ConventionVersion, capsys: Any, slug: str, extra: list[str],
    message: str, tmp_path: Path,
) -> None:  # fmt: skip
    args = ["convention", "render", slug, "--format", "docx", "-o", str(tmp_path / "x.docx")]
    assert cli.main(args + extra) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("convention", "deliberations"),
        ("convention", "oversight"),
        ("convention", "oversight", "une"),
    ],
)
def test_deliberation_commands_bad_arguments(args: tuple[str, ...]) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_deliberations_and_oversight_commands(world: World, signed: ConventionVersion,
                                              capsys: Any) -> None:  # fmt: skip
    lead = Party.objects.get(partnership=world.a, organization=world.a.lead_authority)
    deliberation = services.deliberation_record(by=world.admin, party=lead, fields={
        "version": signed, "number": "D-12", "session_date": date(2025, 7, 7)})  # fmt: skip
    assert cli.main(["convention", "deliberations", "partenariat-a"]) == 0
    out = capsys.readouterr().out
    assert "Commune A (lead): current version not cleared" in out
    assert "D-12 v0 session 2025-07-07 transmitted - (due 2025-07-28) OVERDUE" in out
    assert cli.main(["convention", "deliberations", "partenariat-a", "--json"]) == 0
    [party] = json.loads(capsys.readouterr().out)["parties"]
    assert party["deliberations"][0]["id"] == deliberation.pk
    assert party["deliberations"][0]["transmission_due"] == "2025-07-28"

    authority = world.a.lead_authority.pk
    assert cli.main(["convention", "oversight", str(authority)]) == 0
    assert capsys.readouterr().out == "2025-07-28 transmission OVERDUE partenariat-a D-12 v0\n"
    assert cli.main(["convention", "oversight", str(authority), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["id"] == deliberation.pk

    assert cli.main(["convention", "deliberations", "inconnu"]) == 2
    assert cli.main(["convention", "oversight", "999999"]) == 2
    assert capsys.readouterr().err.count("\n") == 2

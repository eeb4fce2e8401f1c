from __future__ import annotations

from pathlib import Path
from typing import Any

from sharaka.cli import main
from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld

HEADER = "date,amount,currency,supplier,reference,activity_code,line,description"


def test_import_good_bad_and_template(fw: FinWorld, tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        f"{HEADER}\n2025-04-01,10,MAD,S,R,A1.1,staff,d\n2025-04-02,5,MAD,S,,A1.2,staff,\n"
    )
    assert main(["import", "expenses", "partenariat-a", str(good)]) == 0
    assert Expense.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{HEADER}\n2025-04-01,10,MAD,S,R,A1.1,staff,d\n2025-04-01,x,MAD,S,R,A1.1,staff,d\n"
    )
    assert main(["import", "expenses", "partenariat-a", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "ligne 3, colonne amount" in err and len(err.strip().splitlines()) == 1
    assert Expense.objects.count() == 2
    assert main(["import", "expenses", "nope", str(good)]) == 2
    assert main(["import", "expenses", "partenariat-a", str(tmp_path / "missing.csv")]) == 2
    capsys.readouterr()
    assert main(["import", "expenses", "partenariat-a", "--template"]) == 0
    template = tmp_path / "t.csv"
    template.write_text(capsys.readouterr().out)
    assert template.read_text().startswith(HEADER)
    assert main(["import", "expenses", "partenariat-a", str(template)]) == 0

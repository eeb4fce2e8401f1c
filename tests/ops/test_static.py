"""Production static storage: compressed copies made once, not at every serve start."""

from __future__ import annotations

import os
from pathlib import Path

from sharaka.ops.static import StaticStorage


def _storage(root: Path) -> StaticStorage:
    storage = StaticStorage(location=str(root), base_url="/static/")
    storage.hashed_files = {"app.js": "app.0123456789ab.js"}
    return storage


def test_only_files_without_an_up_to_date_copy_are_compressed(tmp_path: Path) -> None:
    body = b"console.log('sharaka');\n" * 200
    for name in ("app.js", "app.0123456789ab.js", "new.js"):
        (tmp_path / name).write_bytes(body)
    storage = _storage(tmp_path)
    first = sorted(storage.compress_files(["app.js", "app.0123456789ab.js", "new.js"]))
    assert [name for name, _ in first].count("new.js") == 2  # .br and .gz
    assert (tmp_path / "app.0123456789ab.js.br").is_file()

    # Django writes the hashed file again (a new date, same content): no new copy needed;
    # an unhashed file that changed gets new copies
    later = (tmp_path / "app.js").stat().st_mtime + 10
    os.utime(tmp_path / "app.0123456789ab.js", (later, later))
    (tmp_path / "app.js").write_bytes(body + b"// changed\n")
    os.utime(tmp_path / "app.js", (later, later))
    again = sorted(_storage(tmp_path).compress_files(
        ["app.js", "app.0123456789ab.js", "new.js"]
    ))  # fmt: skip
    assert {name for name, _ in again} == {"app.js"}

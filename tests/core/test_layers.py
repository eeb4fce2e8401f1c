"""The layers of docs/architecture.md hold, and no import hides from them.

import-linter (``[tool.importlinter]`` in pyproject.toml, run by ``.ci/run``) checks the
contracts; it sees every import, but an import inside a function is how a cycle between
apps used to be hidden from the reader, so none is allowed: an app that needs something
from an app above it gets it through a port (``core/ports.py``).

Two places need one by Django's rules and are allowed:
- ``AppConfig.ready`` (``apps.py``): models cannot be imported while the app registry loads;
- ``sharaka.cli``'s ``main`` and ``_demo``: the entry point sets Django up, then imports the
  commands that use models (the ``rules`` command runs without Django).
"""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

import sharaka

SRC = Path(sharaka.__file__).parent
PYPROJECT = SRC.parent.parent / "pyproject.toml"

#: (module path under src/sharaka, function name) that may import after ``django.setup()``.
ENTRY_POINT = {("cli.py", "main"), ("cli.py", "_demo")}


def _imports_sharaka(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "sharaka"
    return any(alias.name.split(".")[0] == "sharaka" for alias in node.names)


def _allowed(relative: str, function: str) -> bool:
    ready = relative.endswith("apps.py") and function == "ready"
    return ready or (relative, function) in ENTRY_POINT


def imports_in_functions(path: Path, relative: str) -> list[str]:
    """``file:line`` of every import of a sharaka module inside a function of ``path``."""
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if function and _imports_sharaka(child) and not _allowed(relative, function):
                    found.append(f"src/sharaka/{relative}:{child.lineno}")
            else:
                visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def _modules() -> list[tuple[Path, str]]:
    return [
        (path, path.relative_to(SRC).as_posix())
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_import_inside_a_function() -> None:
    offenders = [
        place for path, relative in _modules() for place in imports_in_functions(path, relative)
    ]
    assert offenders == [], "imports inside functions (move them to the top):\n" + "\n".join(
        offenders
    )


def test_the_walk_finds_a_hidden_import(tmp_path: Path) -> None:
    module = tmp_path / "selectors.py"
    module.write_text(
        "import sharaka\n\n"
        "def f():\n    from sharaka.finance import selectors\n\n"
        "class C:\n    def ready(self):\n        import sharaka.core\n"
        "    async def g(self):\n        from . import models\n        import json\n",
        encoding="utf-8",
    )
    found = imports_in_functions(module, "governance/selectors.py")
    assert found == [f"src/sharaka/governance/selectors.py:{line}" for line in (4, 8, 10)]
    # ready() of an AppConfig may import models, and only there
    assert imports_in_functions(module, "governance/apps.py") == [
        "src/sharaka/governance/apps.py:4",
        "src/sharaka/governance/apps.py:10",
    ]


def test_import_contracts_are_kept() -> None:
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == 0

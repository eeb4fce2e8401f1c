"""The shape issue 12 set for the code: thin views, no view handling a ``DomainError`` itself,
no module mixing so much that it runs past 700 lines.

A view that grows past 25 lines is doing a service's or a selector's job; a module past 700
lines holds several concerns (docs/web-layer.md). Data catalogues are exempt: their length
is their content, not their logic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sharaka

SRC = Path(sharaka.__file__).parent

#: Modules that are data, not logic (their length is the catalogue's).
CATALOGUES = {"conventions/catalogue.py"}

MAX_VIEW_LINES = 25
MAX_MODULE_LINES = 700


def _sources() -> list[tuple[Path, str]]:
    return [
        (path, path.relative_to(SRC).as_posix())
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _view_modules() -> list[tuple[Path, str]]:
    return [
        (path, relative)
        for path, relative in _sources()
        if path.name == "views.py" or path.parent.name == "views" or path.name.startswith("views_")
    ]


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, its docstring left out."""
    body = function.body
    first = body[0]
    has_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    start = body[1].lineno if has_docstring and len(body) > 1 else first.lineno
    end = function.end_lineno or function.lineno
    return end - start + 1


def long_views(source: str, relative: str) -> list[str]:
    """``file:function (lines)`` of every module-level view longer than the limit."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith(
            "_"
        ):
            lines = body_lines(node)
            if lines > MAX_VIEW_LINES:
                found.append(f"{relative}:{node.name} ({lines} lines)")
    return found


def handlers_of_domain_error(source: str, relative: str) -> list[str]:
    """``file:line`` of every ``except DomainError`` (or a subclass named ...Error from core)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            names += [n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)]
            if "DomainError" in names:
                found.append(f"{relative}:{node.lineno}")
    return found


def test_no_view_is_longer_than_25_lines() -> None:
    found = [
        entry
        for path, relative in _view_modules()
        for entry in long_views(path.read_text(encoding="utf-8"), relative)
    ]
    assert found == [], "views to thin out (move the logic to a service or a selector): " + (
        ", ".join(found)
    )


def test_no_view_handles_a_domain_error() -> None:
    found = [
        entry
        for path, relative in _view_modules()
        for entry in handlers_of_domain_error(path.read_text(encoding="utf-8"), relative)
    ]
    assert found == [], "use core's form/confirm helpers (docs/web-layer.md): " + ", ".join(found)


def test_no_module_is_longer_than_700_lines() -> None:
    found = [
        f"{relative} ({count} lines)"
        for path, relative in _sources()
        if relative not in CATALOGUES
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert found == [], "modules to split by concern: " + ", ".join(found)


def test_the_checks_see_a_long_view_and_a_handler() -> None:
    """The walks above find what they look for (a check that cannot fail proves nothing)."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_VIEW_LINES + 1))
    source = (
        f'def page(request):\n    """Doc."""\n{body}\n'
        "def short(request):\n    try:\n        pass\n    except core.DomainError:\n        pass\n"
    )
    assert long_views(source, "v.py") == [f"v.py:page ({MAX_VIEW_LINES + 1} lines)"]
    assert handlers_of_domain_error(source, "v.py") == [f"v.py:{MAX_VIEW_LINES + 7}"]

"""Every user-facing string is translated in Arabic and English (ADR 0028).

- every entry of the ar and en catalogues (the project's and the apps' own) has a
  translation, every plural form included; a fuzzy entry counts as missing;
- every string the code marks (``gettext``, ``gettext_lazy``, ``gettext_noop``…, the
  templates' ``{% translate %}`` and ``{% blocktranslate %}``) is in both catalogues;
- a ``gettext(variable)`` never translates a literal that was not marked: the strings of the
  module-level table it reads (and its defaults) are wrapped in ``gettext_noop``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.locale.catalogue import (
    GETTEXT,
    PACKAGE,
    _call_name,
    blocks_in_templates,
    catalogue,
    marked_in_python,
    marked_in_templates,
    python_files,
    read_po,
)

LANGS = ("ar", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_no_entry_of_a_catalogue_lacks_its_translation(lang: str) -> None:
    missing = [
        f"{entry.line} {entry.msgid[:60]!r}" + (" (fuzzy)" if entry.fuzzy else "")
        for entry in catalogue(lang).values()
        if not entry.translated
    ]
    assert not missing, missing[:20]


def test_the_reader_sees_fuzzy_and_empty_plural_forms(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "a"\nmsgstr "b"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "x"\nmsgstr[1] ""\n\n'
        'msgid "long "\n"text"\nmsgstr ""\n"done"\n',
        encoding="utf-8",
    )
    entries = {e.msgid: e for e in read_po(po)}
    assert not entries["a"].translated and entries["a"].fuzzy
    assert not entries["one"].translated
    assert entries["long text"].translated and entries["long text"].msgstr[0] == "done"


@pytest.mark.parametrize("lang", LANGS)
def test_every_marked_string_is_in_the_catalogue(lang: str) -> None:
    entries = catalogue(lang)
    marked = marked_in_python() + marked_in_templates() + blocks_in_templates()
    missing = [
        f"{where} {msgid[:70]!r}"
        for context, msgid, where in marked
        if (context, msgid) not in entries or not entries[(context, msgid)].translated
    ]
    assert not missing, missing[:20]


def _marked(node: ast.AST) -> set[int]:
    """ids of the string constants inside a gettext-family call under ``node``."""
    inside: set[int] = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and _call_name(call) in GETTEXT:
            inside.update(id(n) for arg in call.args for n in ast.walk(arg))
    return inside


def _bare_strings(node: ast.AST) -> list[str]:
    """String constants under ``node`` not wrapped in a gettext-family call (dict keys and
    the arguments of ``.get()`` other than its default are lookups, not texts)."""
    skip = _marked(node)
    for sub in ast.walk(node):
        if isinstance(sub, ast.Dict):
            skip.update(id(n) for key in sub.keys if key is not None for n in ast.walk(key))
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.args:
            skip.update(id(n) for n in ast.walk(sub.args[0]))
        if isinstance(sub, ast.Subscript):
            skip.update(id(n) for n in ast.walk(sub.slice))
    return [
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.strip()
        and id(n) not in skip
    ]  # fmt: skip


def unmarked_sources(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each literal a ``gettext(<not a literal>)`` call of ``source``
    may translate without it having been marked."""
    tree = ast.parse(source)
    tables = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _call_name(node) in GETTEXT - {"gettext_noop"}):
            continue
        if not node.args or isinstance(node.args[0], ast.Constant):
            continue
        argument = node.args[-1] if _call_name(node).startswith("p") else node.args[0]  # type: ignore[union-attr]
        problems += [(node.lineno, text) for text in _bare_strings(argument)]
        for name in {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}:
            if name in tables:
                problems += [(node.lineno, text) for text in _bare_strings(tables[name])]
    return problems


def test_the_scan_finds_a_table_of_unmarked_strings() -> None:
    bad = 'T = {1: "Conflit"}\ndef f(s):\n    return _(T.get(s, "Erreur"))\n'
    assert unmarked_sources(bad) == [(3, "Erreur"), (3, "Conflit")] or sorted(
        unmarked_sources(bad)
    ) == [(3, "Conflit"), (3, "Erreur")]
    good = (
        'T = {1: gettext_noop("Conflit")}\n'
        'def f(s):\n    return _(T.get(s, gettext_noop("Erreur")))\n'
    )
    assert unmarked_sources(good) == []


def test_no_gettext_of_a_variable_translates_an_unmarked_literal() -> None:
    problems = [
        f"{path.relative_to(PACKAGE)}:{line} {text!r}"
        for path in python_files()
        for line, text in unmarked_sources(path.read_text(encoding="utf-8"))
    ]
    assert not problems, problems

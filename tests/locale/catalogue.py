"""A small reader of our .po catalogues and of the strings the code marks for translation
(no dependency: the format we write by hand is simple)."""

from __future__ import annotations

import ast
import ast as _ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import sharaka

PACKAGE = Path(sharaka.__file__).parent
LOCALE = PACKAGE / "locale"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def translated(self) -> bool:
        if self.fuzzy or not self.msgstr:
            return False
        return all(text for text in self.msgstr.values())


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    flags_pending = False

    def finish() -> None:
        nonlocal current
        if current.msgstr or current.msgid or current.msgid_plural is not None:
            entries.append(current)
        current = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,"):
            if current.msgstr:
                finish()
            flags_pending = flags_pending or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current.msgstr:
            finish()
        if keyword == "msgctxt":
            current.context, target = _unquote(rest), ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid, target, current.line = _unquote(rest), ("msgid", 0), number
            current.fuzzy, flags_pending = flags_pending, False
        elif keyword == "msgid_plural":
            current.msgid_plural, target = _unquote(rest), ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            current.msgstr[index], target = _unquote(rest), ("msgstr", index)
        elif line.startswith('"') and target is not None:
            kind, index = target
            text = _unquote(line)
            if kind == "msgctxt":
                current.context = (current.context or "") + text
            elif kind == "msgid":
                current.msgid += text
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                current.msgstr[index] += text
    finish()
    return [e for e in entries if e.msgid]  # the header has an empty msgid


def catalogue_files(lang: str) -> list[Path]:
    """The project's catalogue and the apps' own (``meetings/locale``), the project's last:
    it wins, as in Django (``LOCALE_PATHS`` first)."""
    files = sorted(PACKAGE.glob(f"*/locale/{lang}/LC_MESSAGES/django.po"))
    return [*files, LOCALE / lang / "LC_MESSAGES" / "django.po"]


def catalogue(lang: str) -> dict[tuple[str | None, str], Entry]:
    """What Django finds for each msgid: the project's translation, else an app's (an empty
    or fuzzy entry is not compiled, so the lookup goes on to the next catalogue)."""
    merged: dict[tuple[str | None, str], Entry] = {}
    for path in catalogue_files(lang):
        for entry in read_po(path):
            key = (entry.context, entry.msgid)
            if key not in merged or entry.translated or not merged[key].translated:
                merged[key] = entry
    return merged


# --- What the code marks ----------------------------------------------------------------------

GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
           "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy", "_noop", "noop"}  # fmt: skip


def _call_name(node: _ast.Call) -> str | None:
    func = node.func
    if isinstance(func, _ast.Name):
        return func.id
    if isinstance(func, _ast.Attribute):
        return func.attr
    return None


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def marked_in_python() -> list[tuple[str | None, str, str]]:
    """(context, msgid, where) for each literal passed to a gettext function."""
    found = []
    for path in python_files():
        tree = _ast.parse(path.read_text(encoding="utf-8"))
        for node in _ast.walk(tree):
            if not isinstance(node, _ast.Call) or _call_name(node) not in GETTEXT:
                continue
            name = _call_name(node) or ""
            args = node.args
            context = None
            if name.startswith(("pgettext", "npgettext")) and len(args) >= 2:
                if isinstance(args[0], _ast.Constant) and isinstance(args[0].value, str):
                    context = args[0].value
                args = args[1:]
            if args and isinstance(args[0], _ast.Constant) and isinstance(args[0].value, str):
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                found.append((context, args[0].value, where))
    return found


_TRANSLATE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?[^%]*%\}"""
)


def marked_in_templates() -> list[tuple[str | None, str, str]]:
    """(context, msgid, where) for each ``{% translate "…" %}`` of our templates."""
    found = []
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if not path.is_file() or path.suffix not in (".html", ".txt", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in _TRANSLATE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((match.group(4), match.group(2), f"{path.relative_to(PACKAGE)}:{line}"))
    return found


_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.DOTALL,
)
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _block_msgid(body: str, trimmed: bool) -> str:
    text = body.replace("%", "%%")
    text = _VARIABLE.sub(lambda m: f"%({m.group(1)})s", text)
    if trimmed:
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text


def blocks_in_templates() -> list[tuple[str | None, str, str]]:
    """(context, msgid, where) for each ``{% blocktranslate %}`` (its singular)."""
    found = []
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if not path.is_file() or path.suffix not in (".html", ".txt", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            args = match.group("args")
            context = re.search(r"""context\s+(["'])(.*?)\1""", args)
            singular = re.split(r"\{%\s*plural\s*%\}", match.group("body"))[0]
            line = text.count("\n", 0, match.start()) + 1
            found.append((context.group(2) if context else None,
                          _block_msgid(singular, "trimmed" in args.split()),
                          f"{path.relative_to(PACKAGE)}:{line}"))  # fmt: skip
    return found

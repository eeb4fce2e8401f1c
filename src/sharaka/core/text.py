"""Control characters in text: which are refused at input, and stripped at output.

Pure functions (only the messages use Django's translation). A *control character* here
is one no person types into a name, a title or a note and that breaks something
downstream: the C0 controls except tab, line feed and carriage return (a NUL cannot be
stored by PostgreSQL; a vertical tab makes openpyxl refuse to write a workbook), DEL and
the C1 controls, lone surrogates (they cannot be encoded in UTF-8) and the two
non-characters U+FFFE and U+FFFF (not allowed in XML, hence in an XLSX file).

Tab, line feed and carriage return are allowed in multi-line text (a note, a description)
and refused in single-line text (a name, a code, a reference).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

#: Characters never allowed in stored text (see the module's docstring).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
#: Whitespace controls allowed only in multi-line text.
_LINE_CONTROL = "\t\n\r"

CONTROL_RE = re.compile(f"[{_CONTROL}]")
SINGLE_LINE_CONTROL_RE = re.compile(f"[{_CONTROL}{_LINE_CONTROL}]")


def first_control_character(text: str, *, multiline: bool = True) -> str | None:
    """The first character of ``text`` refused at input, or ``None`` when it has none."""
    match = (CONTROL_RE if multiline else SINGLE_LINE_CONTROL_RE).search(text)
    return match.group() if match else None


def codepoint(character: str) -> str:
    """``U+000B``: how a message names an invisible character."""
    return f"U+{ord(character):04X}"


def strip_control_characters(text: str) -> str:
    """``text`` without the characters refused at input (tab and line breaks are kept)."""
    return CONTROL_RE.sub("", text)


def control_character_message(text: str, *, multiline: bool = True) -> str | None:
    """The message refusing ``text`` (it names the character), or ``None`` when it is
    acceptable. Forms, the API and the importer show it on the field at fault."""
    character = first_control_character(text, multiline=multiline)
    if character is None:
        return None
    if character in _LINE_CONTROL:
        return gettext(
            "Ce champ tient sur une ligne : retirez la tabulation ou le saut de ligne "
            "(%(character)s)."
        ) % {"character": codepoint(character)}
    return gettext("Caractère invisible interdit (%(character)s) : retirez-le.") % {
        "character": codepoint(character)
    }

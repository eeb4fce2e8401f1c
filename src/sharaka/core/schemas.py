"""The base of every API schema: text received in a request never holds a control
character (``core.text``).

A NUL in a text field was a 500 on PostgreSQL (it cannot store one) and was stored on
SQLite; now it is a 422 problem JSON naming the field, like any invalid input. The check
runs only when django-ninja validates a request (its validation context holds the request
and no response status), never when a response is built: a bad value already stored must
not turn a read into an error. Tab and line breaks are allowed (the API does not know which
text is multi-line; the exports neutralise a cell that starts with one).
"""

from __future__ import annotations

from collections.abc import Mapping

import ninja
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from sharaka.core.text import control_character_message


def _message(value: object) -> str | None:
    if isinstance(value, str):
        return control_character_message(value)
    if isinstance(value, Mapping):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            message = _message(item)
            if message is not None:
                return message
    return None


class Schema(ninja.Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: object, info: ValidationInfo) -> object:
        context = info.context
        if not isinstance(context, dict) or "request" not in context:
            return value  # built in code, not received
        if "response_status" in context:
            return value  # a response: what is stored is shown as it is
        message = _message(value)
        if message is not None:
            raise PydanticCustomError("control_character", message)
        return value

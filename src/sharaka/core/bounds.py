"""What the domain allows for dates and numbers, in one place.

Forms, API schemas and services all bound their input with these, so that a value the
database or the pages cannot handle (a date in year 9999, an id larger than a 64-bit
integer) is refused with a message naming the field instead of ending in a 500 later.

- Dates lie between ``DATE_MIN`` and ``DATE_MAX`` (1900-01-01 .. 2100-12-31): old enough
  for an association declared or an asset acquired long ago, far enough for any plan,
  mandate or convention, and far from ``date.max`` so that "end + 1 day" and "year + 1"
  never overflow.
- Ids (``BigAutoField``) lie between 1 and ``ID_MAX`` (a signed 64-bit integer, what SQLite
  and PostgreSQL ``bigint`` store); other integers are at most ``INT_MAX`` (PostgreSQL
  ``integer``) unless their own field says less.
- A partial update (``PatchSchema``) leaves absent fields as they are and refuses an
  explicit ``null`` except for the fields listed in its ``nullable`` (where null clears the
  value), since most columns cannot be empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from ninja import Field
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from sharaka.core.errors import ValidationFailed
from sharaka.core.schemas import Schema

if TYPE_CHECKING:
    from django import forms
    from django.db import models

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
ID_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
POSITION_MAX = 9999

#: An id sent to the API (a row of a ``BigAutoField`` table).
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
#: Any other integer sent to the API, unless its field bounds it more tightly.
BoundedInt = Annotated[int, Field(ge=-INT_MAX, le=INT_MAX)]
#: A calendar year (filters, budget years).
Year = Annotated[int, Field(ge=DATE_MIN.year, le=DATE_MAX.year)]
#: A rank in a list (clause order, position).
Position = Annotated[int, Field(ge=0, le=POSITION_MAX)]
#: A date sent to the API.
BoundedDate = Annotated[
    dt.date,
    Field(
        ge=DATE_MIN,
        le=DATE_MAX,
        json_schema_extra={"formatMinimum": DATE_MIN.isoformat(),
                           "formatMaximum": DATE_MAX.isoformat()},
    ),
]  # fmt: skip


def _datetime_in_bounds(value: dt.datetime) -> dt.datetime:
    if not date_in_bounds(value.date()):
        raise ValueError(date_bounds_message())
    return value


#: A date and time sent to the API.
BoundedDateTime = Annotated[dt.datetime, AfterValidator(_datetime_in_bounds)]


def date_in_bounds(value: dt.date | None) -> bool:
    return value is None or DATE_MIN <= value <= DATE_MAX


def date_bounds_message() -> str:
    return gettext("La date doit être comprise entre le %(min)s et le %(max)s.") % {
        "min": DATE_MIN.strftime("%d/%m/%Y"),
        "max": DATE_MAX.strftime("%d/%m/%Y"),
    }


def validate_date_bounds(value: dt.date | None) -> None:
    """A Django validator (forms): refuse a date outside ``DATE_MIN .. DATE_MAX``."""
    if not date_in_bounds(value):
        raise ValidationError(date_bounds_message(), code="date_out_of_bounds")


def bound_form_dates(form: forms.BaseForm) -> None:
    """Add the date bounds to every date field of a form (call it in ``__init__``)."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.DateField) and validate_date_bounds not in field.validators:
            field.validators.append(validate_date_bounds)
            field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
            field.widget.attrs.setdefault("max", DATE_MAX.isoformat())


def out_of_bounds_dates(fields: Mapping[str, object]) -> dict[str, list[str]]:
    """The date values of ``fields`` outside the bounds, as ValidationFailed errors."""
    return {
        name: [date_bounds_message()]
        for name, value in fields.items()
        if isinstance(value, dt.date) and not date_in_bounds(value)
    }


def _document_non_nullable(schema: dict[str, Any], model: type[object]) -> None:
    """In the OpenAPI document, a patch field accepts null only if it is ``nullable``."""
    nullable: frozenset[str] = getattr(model, "nullable", frozenset())
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if name in nullable or not options:
            continue
        kept = [o for o in options if o.get("type") != "null"]
        if len(kept) == len(options):
            continue
        del prop["anyOf"]
        if len(kept) == 1:
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept
        if prop.get("default", ...) is None:
            del prop["default"]


class PatchSchema(Schema):
    """A partial update: absent fields stay as they are; ``null`` is refused except for
    the fields named in ``nullable`` (where it clears the value)."""

    model_config = ConfigDict(json_schema_extra=_document_non_nullable)
    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError(
                "null_not_allowed",
                gettext("Ce champ ne peut pas être vide ; omettez-le pour le laisser inchangé."),
            )
        return value


def check_date_bounds(instance: models.Model) -> None:
    """Refuse a model instance holding a date outside the bounds (services' last line)."""
    from django.db import models

    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.DateField):
            continue
        value = getattr(instance, field.attname, None)
        day = value.date() if isinstance(value, dt.datetime) else value
        if isinstance(day, dt.date) and not date_in_bounds(day):
            errors[field.name] = [date_bounds_message()]
    if errors:
        name, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{name} : {messages[0]}", errors)


class BoundedPageNumberPagination(PageNumberPagination):
    """Ninja's page-number pagination with a page number the database can offset to."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=INT_MAX)
        page_size: int | None = Field(None, ge=1, le=INT_MAX)

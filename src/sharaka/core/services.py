"""Helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from sharaka.core.bounds import check_date_bounds
from sharaka.core.errors import ValidationFailed

M = TypeVar("M", bound=models.Model)


def validation_failed(error: ValidationError) -> ValidationFailed:
    """Turn Django's ``ValidationError`` into our domain error, keeping the field names."""
    if hasattr(error, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in error.messages]}
    first = next(iter(errors.items()))
    field_label = "" if first[0] == "__all__" else f"{first[0]} : "
    return ValidationFailed(
        gettext("Données invalides — %(detail)s") % {"detail": field_label + first[1][0]},
        errors,
    )


def assign_fields(instance: M, fields: Mapping[str, object], *, allowed: Iterable[str]) -> M:
    """Set ``fields`` on ``instance``, refusing any name outside ``allowed``."""
    allowed_set = set(allowed)
    unknown = sorted(set(fields) - allowed_set)
    if unknown:
        raise ValidationFailed(
            gettext("Champ inconnu : %(field)s") % {"field": unknown[0]},
            {name: [gettext("Champ inconnu.")] for name in unknown},
        )
    for name, value in fields.items():
        setattr(instance, name, value)
    check_date_bounds(instance)
    return instance


def clean_and_save(instance: M, *, exclude: Iterable[str] = ()) -> M:
    """``full_clean`` then save; validation problems become ``ValidationFailed``."""
    check_date_bounds(instance)
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise validation_failed(error) from error
    instance.save()
    return instance

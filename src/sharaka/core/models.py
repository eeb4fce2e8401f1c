"""Shared abstract models (the immutable ones are in ``core.immutable``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    """The stored values of ``choices`` (for a check constraint ``field__in=...``)."""
    return [str(choice.value) for choice in choices]


def choice_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """The check constraint "``field`` holds one of ``choices``" (named ``name``)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choice_values(choices)}), name=name
    )


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


def stamped_path(folder: str, filename: str) -> str:
    """Where an upload is stored: ``folder``, then the time to the microsecond and the
    lower-case extension of ``filename`` (the name the user gave is kept in a column,
    never in the path)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"{folder}/{stamp}.{extension}"


class UploadedDocument(models.Model):
    """A document a user uploaded, checked by type and size before it is stored.

    A concrete model adds its ``file`` (with its own ``upload_to``, which migrations name)
    and its ``content_type`` column, and says what the document belongs to.
    """

    title = models.CharField(_("titre"), max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class DemoMarker(models.Model):
    """One row, written by ``sharaka demo`` in a database it created (or found empty).

    The demo publishes its passwords and authenticator keys; it only loads them into a
    database that carries this mark, so pointing it at real data by mistake does nothing.
    """

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("marque de base de démonstration")
        verbose_name_plural = _("marques de base de démonstration")

    def __str__(self) -> str:
        return f"démo {self.created_at:%Y-%m-%d}"


class ScheduledRun(models.Model):
    """When a periodic job of ``core.scheduler`` last ran: one row per job name.

    A scheduler runs a job only by moving ``last_run_at`` forward in one conditional
    ``UPDATE`` (``last_run_at`` still older than one period), so two schedulers, even on
    two machines, never run one job twice in the same period (ADR 0016)."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

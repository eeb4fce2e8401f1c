"""Users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.accounts.rules import TokenScope
from sharaka.core.models import choice_check


class GlobalRole(models.TextChoices):
    """The role a user holds everywhere; per-partnership roles are granted separately."""

    USER = "user", _("Utilisateur")
    AUTHORITY_OFFICER = "authority_officer", _("Chargé de partenariat d'une collectivité")
    PLATFORM_ADMIN = "platform_admin", _("Administrateur de la plateforme")
    SUPERVISOR = "supervisor", _("Autorité de tutelle (observatoire)")


class User(AbstractUser):
    role = models.CharField(
        _("rôle"), max_length=32, choices=GlobalRole.choices, default=GlobalRole.USER
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Pour un chargé de partenariat : la collectivité qu'il représente."),
    )
    person = models.OneToOneField(
        "directory.Person",
        verbose_name=_("personne de l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # A supervisor's territory (issue 19): a province (its communes) or, empty, the country.
    territory = models.ForeignKey(
        "directory.Organization", verbose_name=_("territoire supervisé"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervisors",
        help_text=_("Pour une autorité de tutelle : la province supervisée ; vide : tout le pays."),
    )  # fmt: skip
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            choice_check("role", GlobalRole, "accounts_user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(territory__isnull=True) | models.Q(role="supervisor"),
                name="accounts_user_territory_supervisor_only",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenScope(models.TextChoices):
    READ = TokenScope.READ.value, _("Lecture seule")
    WRITE = TokenScope.WRITE.value, _("Lecture et écriture")


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the raw key is shown once.

    It expires at ``expires_at``, serves only reads when its scope is ``read``, and is revoked
    by its owner, or with all the owner's other tokens when their password changes.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scope = models.CharField(_("portée"), max_length=8, choices=ApiTokenScope.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(_("révoqué"), default=False)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        constraints = [choice_check("scope", ApiTokenScope, "accounts_apitoken_scope_valid")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @classmethod
    def issue(
        cls,
        *,
        user: User,
        name: str,
        scope: str = ApiTokenScope.WRITE,
        days: int | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token; ``days`` defaults to ``SHARAKA_API_TOKEN_DAYS``. Checks are the
        service's job (``services.api_token_issue``)."""
        raw = "shk_" + secrets.token_urlsafe(32)
        lifetime = timedelta(days=days if days is not None else settings.SHARAKA_API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=_hash_token(raw),
            prefix=raw[:8],
            scope=scope,
            expires_at=timezone.now() + lifetime,
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The unrevoked token of an active user with this raw key (expired or not)."""
        return (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked=False, user__is_active=True)
            .first()
        )

    @classmethod
    def find_user(cls, raw: str) -> User | None:
        """The owner of a usable (unrevoked, unexpired) token with this raw key."""
        token = cls.find(raw)
        return token.user if token and not token.expired else None

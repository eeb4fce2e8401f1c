"""Fixtures shared by every test: one user per role around two partnerships, A and B."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from sharaka.accounts.models import GlobalRole
from sharaka.core.access import forget_grants, second_factor_required
from sharaka.partnerships.models import GrantRole, Partnership
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory, grant

# Property tests: no per-example deadline (a loaded machine must not fail a test), and in CI
# (CI=true) derandomised, so a run is reproducible and a red build is not a coin toss.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@dataclass
class World:
    """Partnership A (led by authority A) and B (led by authority B), and one user per role.

    Every per-partnership role is granted on A only, so B is what they must not see.
    """

    a: Partnership
    b: Partnership
    admin: Any
    officer: Any  # authority officer of A's lead authority
    other_officer: Any  # authority officer of B's lead authority
    coordinator: Any
    board_member: Any
    treasurer: Any
    auditor: Any
    outsider: Any  # signed in, no role anywhere

    def user(self, role: str) -> Any:
        return getattr(self, role)


ROLES = (
    "admin", "officer", "other_officer", "coordinator", "board_member", "treasurer",
    "auditor", "outsider",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _no_axes_lockout(settings: Any) -> None:
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    """Passwords hash fast (Argon2 is slow on purpose; the test that checks hashing asks for
    it), uploads go to a temporary folder and the hash chain has its own key."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHARAKA_CHAIN_KEY = "test chain key"  # never var/chain_key of the checkout
    settings.SHARAKA_CHAIN_KEY_FILE = tmp_path / "chain_key"


@pytest.fixture
def world(db: None) -> World:
    authority_a = OrganizationFactory(name="Commune A")
    authority_b = OrganizationFactory(name="Commune B")
    a = PartnershipFactory(title="Partenariat A", slug="partenariat-a", lead_authority=authority_a)
    b = PartnershipFactory(title="Partenariat B", slug="partenariat-b", lead_authority=authority_b)
    w = World(
        a=a,
        b=b,
        admin=UserFactory(username="admin", role=GlobalRole.PLATFORM_ADMIN),
        officer=UserFactory(
            username="officer", role=GlobalRole.AUTHORITY_OFFICER, organization=authority_a
        ),
        other_officer=UserFactory(
            username="other_officer", role=GlobalRole.AUTHORITY_OFFICER, organization=authority_b
        ),
        coordinator=UserFactory(username="coordinator"),
        board_member=UserFactory(username="board_member"),
        treasurer=UserFactory(username="treasurer"),
        auditor=UserFactory(username="auditor"),
        outsider=UserFactory(username="outsider"),
    )
    grant(w.coordinator, a, GrantRole.COORDINATOR)
    grant(w.board_member, a, GrantRole.BOARD_MEMBER)
    grant(w.treasurer, a, GrantRole.TREASURER)
    grant(w.auditor, a, GrantRole.AUDITOR)
    return w


def sign_in(client: Client, user: Any) -> Client:
    """Sign ``user`` in on ``client``; when their role needs a second factor (administrators,
    treasurers: accounts/middleware.py) the session has confirmed a code, as after sign-in."""
    client.force_login(user)
    required = second_factor_required(user)
    forget_grants(user)
    if required:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(world: World) -> Any:
    """``client_for("officer")`` is a test client signed in as that role (or anonymous)."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            sign_in(client, world.user(role))
        return client

    return make


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    """Background tasks (django-tasks) run at once, in the test's thread, on commit."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in French, the site's default, and leaves no language behind: a request
    through the locale middleware activates its language for the thread and does not reset it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield

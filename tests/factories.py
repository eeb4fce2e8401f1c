"""factory-boy factories shared by the test suite."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from sharaka.accounts.models import GlobalRole
from sharaka.directory.models import College, Organization, OrganizationKind, Person
from sharaka.partnerships.models import (
    Category,
    Complexity,
    Kind,
    Partnership,
    PartnershipRole,
    Party,
    PartyRole,
    Sector,
)

PASSWORD = "correct-Horse-battery-9"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Commune n°{n}")
    kind = OrganizationKind.COMMUNE
    default_college = College.LOCAL_PUBLIC
    city = "Oued Zitoune"


class AssociationFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Association n°{n}")
    kind = OrganizationKind.ASSOCIATION
    default_college = College.ASSOCIATIVE


class CompanyFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Entreprise n°{n} SARL")
    kind = OrganizationKind.PRIVATE_COMPANY
    default_college = College.PRIVATE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    gender = "f"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = GlobalRole.USER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partenariat {n}")
    slug = factory.Sequence(lambda n: f"partenariat-{n}")
    kind = Kind.MANAGEMENT
    category = Category.FACILITY
    sector = Sector.SPORTS_FACILITY
    complexity = Complexity.LARGE
    lead_authority = factory.SubFactory(OrganizationFactory)

    @factory.post_generation
    def lead_party(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Party.objects.get_or_create(
                partnership=self, organization=self.lead_authority, role=PartyRole.LEAD
            )


def grant(user: object, partnership: Partnership, role: str) -> PartnershipRole:
    return PartnershipRole.objects.create(user=user, partnership=partnership, role=role)

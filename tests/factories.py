"""factory_boy factories for the registry. Territories get their tree path through the action."""

import datetime

import factory

from core.models import User
from registry import actions
from registry.models import Affiliation, FundingLine, Organization, Person, RoleAssignment, Territory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password-123")


def make_territory(name: str, kind: str, parent: Territory | None = None, **extra) -> Territory:
    return actions.create_territory_as_system({"name": name, "kind": kind, "parent": parent, **extra})


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisme {n}")
    sector = Organization.Sector.COMMUNITY
    rls = None  # required: pass rls=


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.org".lower())
    decision_level = Person.DecisionLevel.STAFF


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    start_date = datetime.date(2020, 1, 1)


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    year = 2024
    source = FundingLine.Source.PSOC_MISSION
    amount = 100000


def grant(user: User, role: str, rls: Territory | None = None, organization: Organization | None = None) -> User:
    RoleAssignment.objects.create(user=user, role=role, rls=rls, organization=organization)
    return user

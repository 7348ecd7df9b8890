"""Shared fixtures: a small world with two RLS, two organisations, and one user per role."""

from dataclasses import dataclass

import pytest

from registry.models import Organization, Person, RoleAssignment, Territory
from tests.factories import (
    AffiliationFactory,
    FundingLineFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    grant,
    make_territory,
)


@dataclass
class World:
    province: Territory
    region: Territory
    rls: Territory
    other_rls: Territory
    mrc: Territory
    town: Territory
    org_a: Organization
    org_b: Organization
    org_elsewhere: Organization
    person_a: Person
    person_b: Person
    admin: object
    coordinator: object
    analyst: object
    rep_a: object
    rep_b: object
    other_coordinator: object
    nobody: object


@pytest.fixture
def world(db) -> World:
    province = make_territory("Québec", "province")
    region = make_territory("Région des Rivières", "health_region", province)
    rls = make_territory("RLS du Val-des-Sources", "rls", region, year=2024, population=60000, population_65_plus=16000)
    other_rls = make_territory("RLS des Collines", "rls", region)
    mrc = make_territory("MRC du Val", "mrc", rls)
    town = make_territory("Saint-Clément", "municipality", mrc, year=2024, population=3000, population_65_plus=900)
    org_a = OrganizationFactory(name="Popote roulante du Val", rls=rls)
    org_a.territories.set([town])
    org_b = OrganizationFactory(name="Centre d'action bénévole du Val", rls=rls)
    org_elsewhere = OrganizationFactory(name="Maison des aînés des Collines", rls=other_rls)
    FundingLineFactory(organization=org_a)
    person_a = PersonFactory(first_name="Alice", last_name="Tremblay")
    AffiliationFactory(person=person_a, organization=org_a)
    person_b = PersonFactory(first_name="Bruno", last_name="Gagnon")
    AffiliationFactory(person=person_b, organization=org_b)
    role = RoleAssignment.Role
    return World(
        province=province,
        region=region,
        rls=rls,
        other_rls=other_rls,
        mrc=mrc,
        town=town,
        org_a=org_a,
        org_b=org_b,
        org_elsewhere=org_elsewhere,
        person_a=person_a,
        person_b=person_b,
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
        coordinator=grant(UserFactory(username="coord"), role.COORDINATOR, rls=rls),
        analyst=grant(UserFactory(username="analyst"), role.ANALYST, rls=rls),
        rep_a=grant(UserFactory(username="rep_a"), role.REPRESENTATIVE, organization=org_a),
        rep_b=grant(UserFactory(username="rep_b"), role.REPRESENTATIVE, organization=org_b),
        other_coordinator=grant(UserFactory(username="coord_other"), role.COORDINATOR, rls=other_rls),
        nobody=UserFactory(username="nobody"),
    )

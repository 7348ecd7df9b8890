"""The synthetic benchmark dataset: deterministic for a seed, consistent tree paths, refuses to pile up."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import User
from registry.management.commands.generate_synthetic import SCALES, place_names
from registry.models import Affiliation, FundingLine, Organization, Person, RoleAssignment, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_synthetic", "--scale", "small", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """What must not depend on database ids: names, counts, the shape of the tree."""
    return {
        "territories": sorted((t.kind, t.name, t.path.count("/")) for t in Territory.objects.all()),
        "organizations": sorted(Organization.objects.values_list("name", "sector", "rls__name", "neq")),
        "people": sorted(Person.objects.values_list("first_name", "last_name", "email", "decision_level")),
        "funding": FundingLine.objects.count(),
        "affiliations": Affiliation.objects.count(),
    }


def test_same_seed_gives_the_same_data():
    generate("--seed", "1")
    first = snapshot()
    generate("--seed", "1", "--flush")
    assert snapshot() == first
    generate("--seed", "2", "--flush")
    assert snapshot()["organizations"] != first["organizations"]


def test_small_scale_counts():
    output = generate("--seed", "1")
    assert Territory.objects.filter(kind="health_region").count() == 2
    assert Territory.objects.filter(kind="rls").count() == 4
    assert Territory.objects.filter(kind="municipality").count() == 40
    assert Organization.objects.count() == 300
    assert Person.objects.count() == 750
    assert Affiliation.objects.count() >= 750
    assert FundingLine.objects.exists()
    assert "Durée" in output


def test_territory_paths_follow_the_parents():
    generate("--seed", "1")
    for territory in Territory.objects.select_related("parent"):
        parent_path = territory.parent.path if territory.parent else "/"
        assert territory.path == f"{parent_path}{territory.pk}/"
    municipality = Territory.objects.filter(kind="municipality").first()
    assert [t.kind for t in municipality.ancestors()] == ["province", "health_region", "rls", "mrc"]


def test_population_of_a_region_is_the_sum_of_its_municipalities():
    generate("--seed", "1")
    region = Territory.objects.filter(kind="health_region").first()
    municipalities = region.descendants().filter(kind="municipality")
    total = sum(m.latest_population().population for m in municipalities)
    assert region.latest_population().population == total


def test_bench_accounts_have_their_roles():
    generate("--seed", "1")
    assert User.objects.get(username="bench-admin").is_superuser
    coordinator_role = RoleAssignment.objects.get(user__username="bench-coord")
    assert coordinator_role.role == "coordinator"
    # The common case lists a full page (50 rows) of organisations.
    assert Organization.objects.filter(rls=coordinator_role.rls).count() > 50
    assert RoleAssignment.objects.filter(user__username__startswith="coord-rls-").count() == 4


def test_refuses_to_run_twice_without_flush():
    generate("--seed", "1")
    with pytest.raises(CommandError, match="--flush"):
        generate("--seed", "1")
    assert Organization.objects.count() == 300


def test_flush_keeps_other_data(world):
    generate("--seed", "1")
    generate("--seed", "1", "--flush")
    assert Organization.objects.filter(pk=world.org_a.pk).exists()
    assert Organization.objects.count() == 300 + 3


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate("--seed", "1")


def test_the_name_pool_covers_the_province_scale():
    scale = SCALES["province"]
    needed = scale.rls + 2 * scale.rls + scale.municipalities  # RLS, at most two MRCs each, municipalities
    assert len(set(place_names(random.Random(1)))) >= needed

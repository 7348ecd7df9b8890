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

# `demo_once` and `demo`: the whole demo, loaded once per module that asks for it.
pytest_plugins = ["tests.demo_fixtures"]


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


# Added for the web and security suite ---------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes passwords with 1,000,000 PBKDF2 rounds; tests create many users, so hash cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters (password reset) live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded attachments go to a folder of the test's own, not to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def registry_state():
    """A callable returning everything the registry holds, to assert that a refused request changed nothing."""
    from core.models import AuditEvent
    from registry.models import Affiliation, FundingLine, ImportBatch, TerritoryPopulation

    written = [a for a in AuditEvent.Action.values if a not in {"view", "export", "login", "login_failed", "logout"}]

    def snapshot() -> dict:
        through = Organization.territories.through
        grouped = Territory.grouped_municipalities.through
        return {
            "organizations": list(Organization.objects.order_by("pk").values()),
            "served": list(through.objects.order_by("pk").values_list("organization_id", "territory_id")),
            "funding": list(FundingLine.objects.order_by("pk").values()),
            "people": list(Person.objects.order_by("pk").values()),
            "affiliations": list(Affiliation.objects.order_by("pk").values()),
            "territories": list(Territory.objects.order_by("pk").values()),
            "grouped": list(grouped.objects.order_by("pk").values_list("from_territory_id", "to_territory_id")),
            "populations": list(TerritoryPopulation.objects.order_by("pk").values()),
            "imports": list(ImportBatch.objects.order_by("pk").values("pk", "imported_at")),
            "audit_writes": AuditEvent.objects.filter(action__in=written).count(),
        }

    return snapshot


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, found by walking the resolver (so a new URL is crawled too)."""

    name: str  # namespaced name, or the regex when the pattern has none
    regex: str  # the full regex from the site root
    callback: object

    @property
    def params(self) -> set[str]:
        from django.utils.regex_helper import normalize

        return {p for _, params in normalize(self.regex) for p in params}

    def url(self, values: dict[str, list]) -> str | None:
        """A path for this pattern whose parameters take the first candidate values that resolve back to it."""
        from itertools import product

        from django.urls import Resolver404, resolve
        from django.utils.regex_helper import normalize

        for template, params in normalize(self.regex):
            if any(p not in values for p in params):
                continue
            for combination in product(*(values[p] for p in params)):
                path = "/" + template % {p: str(v) for p, v in zip(params, combination, strict=True)}
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                if match.func is self.callback or getattr(match.func, "__wrapped__", None) is self.callback:
                    return path
        return None


def _walk(patterns, prefix: str, namespace: str):
    from django.urls import URLResolver

    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, regex.removesuffix("$").removesuffix(r"\Z"), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or regex)
            yield Route(name=name, regex=regex, callback=pattern.callback)


@pytest.fixture
def routes() -> list[Route]:
    from django.urls import get_resolver

    return list(_walk(get_resolver().url_patterns, "", ""))


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run inside the test, when enqueued (a failure is recorded on the result, not raised)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

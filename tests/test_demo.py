"""The demo network: accounts per role, ~45 organisations telling the VES story, idempotent, never in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent, User
from registry.models import (
    Affiliation,
    FundingLine,
    Organization,
    Person,
    RoleAssignment,
    Territory,
    TerritoryPopulation,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Organization,
    Person,
    Territory,
    TerritoryPopulation,
    FundingLine,
    Affiliation,
    User,
    RoleAssignment,
    AuditEvent,
]


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


# The real hasher is slow by design; these tests check what is stored, not how hard it is to crack.


def test_if_empty_does_nothing_when_an_organisation_exists(world):
    before = counts()
    output = load("--if-empty")
    assert counts() == before
    assert "non chargé" in output


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        load()
    assert not Organization.objects.exists()
    assert not User.objects.filter(username="admin").exists()


def test_production_needs_an_explicit_flag(settings):
    settings.PRODUCTION = True
    load("--allow-production")
    assert Organization.objects.exists()


def test_concertation_step_needs_the_registry_demo(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_concertation", stdout=StringIO())


class TestDemoNetwork:
    """Tests that read the demo network, loaded once for them all."""

    def test_creates_the_accounts_of_every_role(self, demo):
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        for username in ["admin", "coordination", "analyste", "popote", "cab"]:
            user = User.objects.get(username=username)
            assert user.language == "fr"
            assert user.first_name and user.last_name
        assert User.objects.get(username="cab").check_password("maillage-demo-2026")
        roles = {r.user.username: r for r in RoleAssignment.objects.select_related("user", "rls", "organization")}
        assert roles["coordination"].role == "coordinator" and roles["coordination"].rls.kind == "rls"
        assert roles["analyste"].role == "analyst"
        assert roles["popote"].organization.name.startswith("Popote roulante")
        assert roles["cab"].organization.name.startswith("Centre d'action bénévole")

    def test_prints_the_url_and_the_accounts(self, demo):
        assert "http://127.0.0.1:8000/" in demo
        for username in ["admin", "coordination", "analyste", "popote", "cab"]:
            assert username in demo
        assert "maillage-demo-2026" in demo

    def test_network_covers_every_sector_in_one_rls(self, demo):
        orgs = Organization.objects.all()
        assert 40 <= orgs.count() <= 55  # with the public body's predecessors (CSSS, agency, CLD, CRÉ…)
        assert {o.sector for o in orgs} >= {
            "community", "public", "municipal", "education", "private", "social_economy", "philanthropy",
            "citizen_group",
        }  # fmt: skip
        assert len({o.rls_id for o in orgs}) == 1
        assert orgs.filter(is_aca=True).exclude(neq="").exists()
        assert orgs.filter(is_public=True).count() >= 3
        assert all(o.mission for o in orgs)
        assert 70 <= Person.objects.count() <= 95  # two citizens sit as themselves on a local committee

    def test_territories_of_belonging_regroup_the_municipalities(self, demo):
        communities = Territory.objects.filter(kind="community")
        assert communities.count() == 5
        for community in communities:
            assert community.grouped_municipalities.exists()
            assert community.path.startswith(community.parent.path)
        rls = Territory.objects.get(kind="rls")
        figure = rls.latest_population()
        assert figure.population_65_plus / figure.population > 0.25

    def test_some_organisations_drift_to_service_agreements(self, demo):
        popote = Organization.objects.get(name__startswith="Popote roulante")
        by_source = {}
        for line in popote.funding_lines.all():
            by_source.setdefault(line.source, {})[line.year] = line.amount
        years = sorted(by_source["psoc_mission"])
        assert len(years) >= 5
        first, last = years[0], years[-1]
        assert by_source["service_agreement"][last] > by_source["psoc_mission"][last]
        assert by_source["service_agreement"].get(first, 0) < by_source["psoc_mission"][first]

    def test_some_people_changed_organisation(self, demo):
        movers = [p for p in Person.objects.prefetch_related("affiliations") if len(p.affiliations.all()) > 1]
        assert len(movers) >= 5
        assert Affiliation.objects.filter(end_date__isnull=False).exists()

    def test_records_are_created_through_the_audited_actions(self, demo):
        org = Organization.objects.get(name__startswith="Popote roulante")
        event = AuditEvent.objects.get(object_id=str(org.pk), content_type__model="organization", action="create")
        assert event.actor.username == "admin"

    def test_representatives_edit_only_their_organisation(self, demo):
        popote = User.objects.get(username="popote")
        own = Organization.objects.get(name__startswith="Popote roulante")
        other = Organization.objects.get(name__startswith="Centre d'action bénévole")
        assert popote.has_perm("registry.change_organization", own)
        assert not popote.has_perm("registry.change_organization", other)

    def test_is_idempotent(self, demo):
        before = counts()
        output = load()
        assert counts() == before
        assert "0 fiches créées" in output

    @pytest.mark.parametrize("username", ["admin", "coordination", "analyste", "popote", "cab"])
    def test_every_demo_account_can_browse_the_registry(self, demo, client, username):
        client.force_login(User.objects.get(username=username))
        # A representative sees only their own organisation; the others see the whole RLS.
        name = "Centre d'action bénévole" if username == "cab" else "Popote roulante"
        org = Organization.objects.get(name__startswith=name)
        for url in ["/", "/registry/organisations/", f"/registry/organisations/{org.pk}/", "/registry/people/"]:
            assert client.get(url).status_code == 200, url

    def test_published_organisations_have_a_public_page(self, demo, client):
        for org in Organization.objects.filter(is_public=True):
            assert client.get(f"/public/organisations/{org.pk}/").status_code == 200
